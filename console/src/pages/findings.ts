/**
 * Findings of a run: the verdict table, then per scenario its timeline
 * charts, landing evidence, checks, blame, the claims it falsified and the
 * command that reproduces it.
 */
import { getJson } from '../api.js';
import { duration, h, table, verdict } from '../dom.js';
import { timeline, type PhaseMetricsDoc, type SeriesDoc } from '../timeline-chart.js';

interface ResultDoc {
  scenarioId: string; claims: string[]; verdict: string; verdictPath: string[]; blame: string; blameReason: string; seed: number; attempts: number; durationMs: number;
  checks: { claimId: string; checker: string; ok: boolean; summary: string; anomalies: { message: string }[] }[];
  landing: { proven: boolean; source: string; evidence: string[] };
  recovery?: { recoveredAfterMs: number | null; band: string; note?: string };
  metrics: PhaseMetricsDoc[];
  timeline?: SeriesDoc;
  envProblem?: string; notRun?: string;
}
interface FindingsDoc { runId: string; planId: string; system: string; headline: string; results: ResultDoc[]; confidenceDelta: string }
interface PlanDoc { scenarios: { id: string; title: string; phases: { baselineMs: number; faultMs: number; recoveryMs: number } }[]; claims: { id: string; text: string }[] }

function scenarioCard(r: ResultDoc, plan: PlanDoc | undefined, scale: number, width: number): HTMLElement {
  const s = plan?.scenarios.find((x) => x.id === r.scenarioId);
  const phases = s ? { baselineMs: s.phases.baselineMs * scale, faultMs: s.phases.faultMs * scale, recoveryMs: s.phases.recoveryMs * scale } : undefined;
  const falsified = r.verdict.startsWith('FAIL') ? r.checks.filter((c) => !c.ok) : [];
  const claimText = (id: string) => plan?.claims.find((c) => c.id === id)?.text ?? id;
  return h('section', { class: 'card', id: `scenario-${r.scenarioId}`, 'aria-labelledby': `h-${r.scenarioId}` },
    h('h2', { id: `h-${r.scenarioId}` }, r.scenarioId, ' ', verdict(r.verdict)),
    r.notRun || r.envProblem ? h('p', {}, r.notRun ?? r.envProblem) : null,
    r.timeline || (phases && r.metrics.length) ? timeline({ scenarioId: r.scenarioId, phases: phases ?? { baselineMs: 0, faultMs: 0, recoveryMs: 0 }, metrics: r.metrics, series: r.timeline, recoveredAfterMs: r.recovery?.recoveredAfterMs }, width) : h('p', { class: 'muted' }, 'No phase metrics to chart.'),
    falsified.length ? [h('h3', {}, 'Claims falsified'), h('ul', {}, falsified.map((c) => h('li', {}, h('strong', {}, c.claimId), ': ', claimText(c.claimId), ' — ', c.summary, c.anomalies.length ? h('ul', {}, c.anomalies.slice(0, 5).map((a) => h('li', {}, a.message))) : null)))] : null,
    h('h3', {}, 'Evidence'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'landing'), h('dd', {}, `${r.landing.proven ? 'proven' : 'not proven'} (${r.landing.source})${r.landing.evidence.length ? ': ' + r.landing.evidence.join('; ') : ''}`),
      h('dt', {}, 'checks'), h('dd', {}, r.checks.map((c) => h('div', {}, `${c.ok ? '✓' : '✗'} ${c.claimId} (${c.checker}): ${c.summary}`))),
      h('dt', {}, 'blame'), h('dd', {}, `${r.blame}: ${r.blameReason}`),
      r.recovery ? [h('dt', {}, 'recovery'), h('dd', {}, r.recovery.recoveredAfterMs === null ? (r.recovery.note ?? 'did not recover') : `${duration(r.recovery.recoveredAfterMs)} (${r.recovery.band})`)] : null,
      h('dt', {}, 'verdict path'), h('dd', {}, r.verdictPath.join(' → ') || '—'),
      h('dt', {}, 'reproduce'), h('dd', {}, h('code', {}, `faultline run plan.json --only ${r.scenarioId} --seed ${r.seed}`))));
}

/** Render the findings of a run. */
export async function findingsPage(main: HTMLElement, runId: string | undefined): Promise<void> {
  const id = encodeURIComponent(runId ?? '');
  const [findings, run] = await Promise.all([getJson<FindingsDoc>(`/v1/runs/${id}/findings`), getJson<{ options: { phaseScale?: number } }>(`/v1/runs/${id}`)]);
  const plan = await getJson<PlanDoc>(`/v1/plans/${encodeURIComponent(findings.planId)}`).catch(() => undefined);
  const width = Math.max(320, Math.min(900, main.clientWidth - 48));
  main.replaceChildren(
    h('h1', {}, `Findings of ${findings.runId}`),
    h('p', {}, findings.headline),
    table('Verdicts per scenario', ['scenario', 'verdict', 'claims', 'blame', 'recovery', 'attempts', 'took'], findings.results.map((r) => [
      h('a', { href: `#/findings/${id}`, onclick: (e: Event) => { e.preventDefault(); document.getElementById(`h-${r.scenarioId}`)?.scrollIntoView(); } }, r.scenarioId),
      verdict(r.verdict), r.claims.join(', '), r.blame,
      r.recovery ? (r.recovery.recoveredAfterMs === null ? 'not recovered' : duration(r.recovery.recoveredAfterMs)) : '—',
      r.attempts, duration(r.durationMs),
    ]), [5, 6]),
    h('p', { class: 'muted' }, findings.confidenceDelta),
    ...findings.results.map((r) => scenarioCard(r, plan, run.options.phaseScale ?? 1, width)));
}
