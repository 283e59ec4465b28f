/**
 * The side panel of one edge: its risk factors, the reason sentence, latency
 * percentiles, error rate, retries and timeout evidence from the traces, and
 * the scenarios of the latest plan that fault it with their latest verdicts.
 */
import { getJson } from '../api.js';
import { duration, h, percent, table, verdict } from '../dom.js';
import type { EdgeDoc, RiskDoc } from '../graph-data.js';

interface PlanDoc { id: string; scenarios: { id: string; title: string; target: { edge: string }; fault: { toxic: string } }[] }
interface FindingsDoc { results: { scenarioId: string; verdict: string }[] }

/** Latest plan and its latest findings, fetched once per page load. */
export type ScenarioIndex = () => Promise<{ plan?: PlanDoc; runId?: string; findings?: FindingsDoc }>;

/** Fetch the latest plan and the findings of its latest finished run (both optional). */
export function scenarioIndex(): ScenarioIndex {
  let cached: ReturnType<ScenarioIndex> | undefined;
  return () => (cached ??= (async () => {
    const { plans } = await getJson<{ plans: { id: string }[] }>('/v1/plans?limit=1');
    if (!plans.length) return {};
    const plan = await getJson<PlanDoc>(`/v1/plans/${encodeURIComponent(plans[0].id)}`);
    const { runs } = await getJson<{ runs: { id: string }[] }>(`/v1/runs?status=succeeded&limit=1&planId=${encodeURIComponent(plan.id)}`);
    if (!runs.length) return { plan };
    const findings = await getJson<FindingsDoc>(`/v1/runs/${encodeURIComponent(runs[0].id)}/findings`).catch(() => undefined);
    return { plan, runId: runs[0].id, findings };
  })());
}

const FACTOR_NAMES: Record<string, string> = {
  errorRate: 'error rate', tailRatio: 'tail ratio (p99/p50)', blastRadius: 'blast radius', retryAmplification: 'retry amplification',
  syncWithoutTimeout: 'sync without timeout', depth: 'depth', fanOut: 'fan-out', history: 'earlier sweeps',
};

/** Fill `panel` with one edge. */
export function showEdge(panel: HTMLElement, edge: EdgeDoc, risk: RiskDoc | undefined, scenarios: ScenarioIndex): void {
  const timeout = edge.timeout.evidence === 'observed'
    ? `observed: cut-off ${edge.timeout.cutoffMs ?? '?'} ms (${edge.timeout.hits ?? 0} calls ended there)`
    : 'none: no cut-off in the client durations';
  const touched = h('div', {}, h('p', { class: 'muted' }, 'Looking for scenarios…'));
  panel.replaceChildren(h('div', {},
    h('h2', { id: 'edge-title', tabindex: '-1' }, edge.id),
    risk ? h('p', {}, h('strong', {}, `risk ${risk.score.toFixed(2)}: `), risk.reason) : h('p', { class: 'muted' }, 'Not ranked.'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'mode'), h('dd', {}, `${edge.mode} ${edge.protocol}`),
      h('dt', {}, 'calls'), h('dd', {}, edge.calls.toLocaleString('en')),
      h('dt', {}, 'error rate'), h('dd', {}, `${percent(edge.errorRate)} (${edge.errors} errors)`),
      h('dt', {}, 'latency'), h('dd', {}, `p50 ${duration(edge.latency.p50)} · p95 ${duration(edge.latency.p95)} · p99 ${duration(edge.latency.p99)} · max ${duration(edge.latency.max)}`),
      h('dt', {}, 'retries'), h('dd', {}, `×${edge.retries.amplification.toFixed(2)} (${edge.retries.extraAttempts} extra attempts under ${edge.retries.retriedParents} callers)`),
      h('dt', {}, 'timeout'), h('dd', {}, timeout),
      edge.operations.length ? [h('dt', {}, 'operations'), h('dd', {}, edge.operations.slice(0, 5).join(', '))] : null),
    risk ? [h('h3', {}, 'Risk factors'), table(`Risk factors of ${edge.id}`, ['factor', 'value'], Object.entries(risk.factors).map(([k, v]) => [FACTOR_NAMES[k] ?? k, Number.isInteger(v) ? v : v.toFixed(3)]), [1])] : null,
    h('h3', {}, 'Scenarios on this edge'), touched,
  ));
  void scenarios().then(({ plan, runId, findings }) => {
    const mine = plan?.scenarios.filter((s) => s.target.edge === edge.id) ?? [];
    if (!plan || mine.length === 0) return touched.replaceChildren(h('p', { class: 'muted' }, plan ? `No scenario of plan ${plan.id} faults this edge.` : 'No plan yet.'));
    const v = (id: string) => findings?.results.find((r) => r.scenarioId === id)?.verdict;
    touched.replaceChildren(table(`Scenarios of plan ${plan.id} on ${edge.id}`, ['scenario', 'fault', 'verdict'], mine.map((s) => {
      const got = v(s.id);
      return [s.id, s.fault.toxic, got && runId ? h('a', { href: `#/findings/${encodeURIComponent(runId)}` }, verdict(got)) : 'not run'];
    })));
  }, () => touched.replaceChildren(h('p', { class: 'muted' }, 'Scenarios could not be read.')));
}
