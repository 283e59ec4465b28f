/**
 * Runs: the list, and one run live. The live view follows
 * `GET /v1/runs/{id}/events` (Server-Sent Events): each event is the whole
 * picture (per-scenario phase, elapsed, ETA), so the table is redrawn from
 * it; the stream ends with the run and the page links its findings.
 */
import { getJson, streamEvents } from '../api.js';
import { duration, h, table } from '../dom.js';
import { showError } from '../problem-view.js';

interface RunDoc { id: string; planId: string; status: string; createdAt: string; total: number; counts?: Record<string, number>; error?: { code: string; message: string } }
interface ScenarioLive { scenarioId: string; stage: string; detail?: string; elapsedMs: number | null; etaMs: number; plannedMs: number }
interface RunLive { runId: string; planId: string; status: string; elapsedMs: number; etaMs: number; total: number; finished: number; scenarios: ScenarioLive[] }

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** The list of runs, newest first. */
export async function runsPage(main: HTMLElement): Promise<void> {
  const { runs } = await getJson<{ runs: RunDoc[] }>('/v1/runs?limit=100');
  main.replaceChildren(
    h('h1', {}, 'Runs'),
    runs.length === 0
      ? h('p', {}, 'No run yet: start one from a ', h('a', { href: '#/plans' }, 'plan'), '.')
      : table('Runs, newest first', ['run', 'plan', 'status', 'created', 'verdicts'], runs.map((r) => [
        h('a', { href: `#/runs/${encodeURIComponent(r.id)}` }, r.id),
        h('a', { href: `#/plans/${encodeURIComponent(r.planId)}` }, r.planId),
        r.status, new Date(r.createdAt).toLocaleString(),
        r.counts ? Object.entries(r.counts).map(([v, n]) => `${n}× ${v}`).join(', ') : (r.error?.message ?? '—'),
      ])));
}

function liveTable(live: RunLive): HTMLElement {
  return table(`Scenarios of run ${live.runId}`, ['scenario', 'phase', 'progress', 'elapsed', 'ETA', 'detail'], live.scenarios.map((s) => {
    const share = s.plannedMs > 0 && s.elapsedMs !== null ? Math.min(1, s.elapsedMs / s.plannedMs) : s.etaMs === 0 ? 1 : 0;
    return [s.scenarioId, h('span', { 'data-stage': s.stage }, s.stage),
      h('progress', { max: '100', value: String(Math.round(share * 100)), 'aria-label': `${s.scenarioId}: ${Math.round(share * 100)} %` }),
      duration(s.elapsedMs), s.etaMs > 0 ? duration(s.etaMs) : '—', s.detail ?? ''];
  }), [3, 4]);
}

/** One run, live until it ends. */
export async function runPage(main: HTMLElement, id: string | undefined): Promise<() => void> {
  const run = await getJson<RunDoc>(`/v1/runs/${encodeURIComponent(id ?? '')}`);
  const summary = h('p', { id: 'run-summary', 'aria-live': 'polite' }, `${run.status}`);
  const body = h('div', { id: 'run-live' });
  const after = h('div', {});
  main.replaceChildren(
    h('h1', {}, `Run ${run.id}`),
    h('p', {}, 'Plan ', h('a', { href: `#/plans/${encodeURIComponent(run.planId)}` }, run.planId), '. The emergency stop in the header cancels it and removes every toxic.'),
    summary, body, after);
  const draw = (live: RunLive) => {
    summary.textContent = `${live.status}: ${live.finished} of ${live.total} scenarios finished, elapsed ${duration(live.elapsedMs)}${ENDED.has(live.status) ? '' : `, about ${duration(live.etaMs)} left`}`;
    summary.dataset.status = live.status;
    body.replaceChildren(liveTable(live));
    if (ENDED.has(live.status)) after.replaceChildren(live.status === 'succeeded' ? h('p', {}, h('a', { href: `#/findings/${encodeURIComponent(live.runId)}` }, 'Read the findings')) : h('p', {}, `The run ended ${live.status}.`));
  };
  const abort = new AbortController();
  streamEvents(`/v1/runs/${encodeURIComponent(run.id)}/events`, (e) => draw(JSON.parse(e.data) as RunLive), abort.signal)
    .catch((err) => { if (!abort.signal.aborted) showError(err, after); });
  return () => abort.abort();
}
