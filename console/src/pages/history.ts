/**
 * History: sweeps over time with their graph diffs, each claim's verdicts
 * across sweeps (changes marked), and recovery time per claim as a trend
 * chart with a table beside it.
 */
import uPlot from 'uplot';
import { getJson } from '../api.js';
import { duration, h, table, verdict } from '../dom.js';

interface SweepDoc {
  id: string; startedAt: string; status: string; trigger: string; runId?: string; counts?: Record<string, number>;
  diff?: { first: boolean; newServices: string[]; vanishedServices: string[]; newEdges: string[]; vanishedEdges: string[]; riskMoves: unknown[] };
  claims: { claimId: string; verdicts: string[]; recoveredAfterMs?: number | null }[];
}

function diffText(d: SweepDoc['diff']): string {
  if (!d) return '—';
  if (d.first) return 'first graph';
  const parts = [
    d.newServices.length && `+${d.newServices.length} services (${d.newServices.slice(0, 3).join(', ')})`,
    d.vanishedServices.length && `−${d.vanishedServices.length} services (${d.vanishedServices.slice(0, 3).join(', ')})`,
    d.newEdges.length && `+${d.newEdges.length} edges`, d.vanishedEdges.length && `−${d.vanishedEdges.length} edges`,
    d.riskMoves.length && `${d.riskMoves.length} risk moves`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'unchanged';
}

function recoveryChart(claimId: string, sweeps: SweepDoc[], width: number): HTMLElement | null {
  const points = sweeps.map((s) => s.claims.find((c) => c.claimId === claimId)?.recoveredAfterMs);
  if (!points.some((p) => typeof p === 'number')) return null;
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': `Recovery time of ${claimId} per sweep, oldest first: ${points.map((p) => (p === null ? 'not recovered' : p === undefined ? 'not measured' : duration(p))).join(', ')}` });
  new uPlot({
    title: `Recovery of ${claimId} (ms)`, width, height: 180,
    scales: { x: { time: true } },
    series: [{}, { label: 'recovered after (ms)', stroke: '#1b7f3b', width: 2, points: { show: true } }],
    axes: [{}, { label: 'ms' }],
  }, [sweeps.map((s) => Date.parse(s.startedAt) / 1000), points.map((p) => (typeof p === 'number' ? p : null))], box);
  return box;
}

/** Render the history page. */
export async function historyPage(main: HTMLElement): Promise<void> {
  const { sweeps } = await getJson<{ sweeps: SweepDoc[] }>('/v1/sweeps?limit=100');
  if (sweeps.length === 0) return void main.replaceChildren(h('h1', {}, 'History'), h('p', {}, 'No sweep yet: schedule one or POST /v1/sweeps.'));
  const oldestFirst = [...sweeps].filter((s) => s.status === 'succeeded').reverse();
  const claims = [...new Set(oldestFirst.flatMap((s) => s.claims.map((c) => c.claimId)))].sort();
  const width = Math.max(320, Math.min(900, main.clientWidth - 48));
  main.replaceChildren(
    h('h1', {}, 'History'),
    h('h2', {}, 'Sweeps'),
    table('Sweeps, newest first', ['sweep', 'started', 'status', 'trigger', 'verdicts', 'graph diff'], sweeps.map((s) => [
      s.id, new Date(s.startedAt).toLocaleString(), s.status, s.trigger,
      s.runId && s.counts ? h('a', { href: `#/findings/${encodeURIComponent(s.runId)}` }, Object.entries(s.counts).map(([v, n]) => `${n}× ${v}`).join(', ')) : '—',
      diffText(s.diff),
    ])),
    h('h2', {}, 'Verdicts per claim'),
    claims.length === 0 ? h('p', { class: 'muted' }, 'No finished sweep has claim outcomes yet.') : table('Verdicts per claim across sweeps, oldest first; a change is marked', ['claim', ...oldestFirst.map((s) => new Date(s.startedAt).toLocaleDateString())], claims.map((id) => {
      let before = '';
      return [id, ...oldestFirst.map((s) => {
        const v = s.claims.find((c) => c.claimId === id)?.verdicts.join(', ') ?? '';
        const changed = before !== '' && v !== '' && v !== before;
        if (v) before = v;
        return v ? h('span', {}, changed ? h('strong', { title: 'changed since the sweep before' }, h('span', { 'aria-hidden': 'true' }, '▲ '), h('span', { class: 'sr-only' }, 'changed: ')) : null, ...v.split(', ').map((x) => verdict(x))) : h('span', { class: 'muted' }, 'untested');
      })];
    })),
    h('h2', {}, 'Recovery time per claim'),
    ...claims.map((id) => recoveryChart(id, oldestFirst, width)).filter((x): x is HTMLElement => x !== null));
}
