/**
 * Live progress of a run as Server-Sent Events: `GET /v1/runs/{id}/events`.
 * Every event carries the whole picture (per-scenario phase, elapsed time
 * and ETA, the run's ETA), so a client that connects late or reconnects
 * needs no history. The stream reads the run record from the artifact store
 * rather than listening to the in-process run manager, so it works the same
 * for runs a BullMQ worker or another server process is executing. It ends
 * with an `end` event when the run does.
 */
import type { FastifyInstance } from 'fastify';
import type { Plan, Scenario } from '../../../generators/plan.js';
import type { RunRecord } from '../../store/artifact-store.js';
import { fail } from '../../../base/errors.js';
import { idParams, problemResponses, type RouteContext } from '../route-context.js';

/** One scenario's place in a live run. */
export interface ScenarioLive {
  scenarioId: string;
  stage: string;
  at: string;
  detail?: string;
  /** Time spent in the scenario so far; null once it ended before this stream saw it run. */
  elapsedMs: number | null;
  /** Time left by the plan's phase lengths; 0 when done. */
  etaMs: number;
  /** The scenario's planned length (baseline + fault + recovery, scaled). */
  plannedMs: number;
}

/** The payload of every `progress` and `end` event. */
export interface RunLive {
  runId: string;
  planId: string;
  status: RunRecord['status'];
  elapsedMs: number;
  /** Scenarios are assumed to run one after another (the in-process executor does). */
  etaMs: number;
  total: number;
  finished: number;
  scenarios: ScenarioLive[];
}

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);
const FINISHED_STAGES = new Set(['done', 'failed']);
const POLL_MS = 250;
/** A tick at least this often so elapsed time advances on screen between phase changes. */
const TICK_MS = 1000;

/** Where each stage starts inside a scenario, by the plan's phase lengths. */
function stageOffset(stage: string, p: Scenario['phases'], scale: number): number {
  if (stage === 'fault') return p.baselineMs * scale;
  if (stage === 'recovery') return (p.baselineMs + p.faultMs) * scale;
  if (stage === 'checking' || stage === 'rerun') return (p.baselineMs + p.faultMs + p.recoveryMs) * scale;
  return 0;
}

/**
 * The live view of a run at `now`. `seen` keeps each scenario's last elapsed
 * time so a finished scenario still shows how long it took.
 */
export function liveView(run: RunRecord, plan: Plan | undefined, now: number, seen: Map<string, number> = new Map()): RunLive {
  const scale = run.options.phaseScale ?? 1;
  const scenarios = run.progress.map((p): ScenarioLive => {
    const phases = plan?.scenarios.find((s) => s.id === p.scenarioId)?.phases ?? { baselineMs: 0, faultMs: 0, recoveryMs: 0 };
    const plannedMs = Math.round((phases.baselineMs + phases.faultMs + phases.recoveryMs) * scale);
    const base = { scenarioId: p.scenarioId, stage: p.stage, at: p.at, ...(p.detail ? { detail: p.detail } : {}), plannedMs };
    if (p.stage === 'queued') return { ...base, elapsedMs: 0, etaMs: plannedMs };
    if (FINISHED_STAGES.has(p.stage) || ENDED.has(run.status)) return { ...base, elapsedMs: seen.get(p.scenarioId) ?? null, etaMs: 0 };
    const elapsedMs = Math.max(0, Math.round(stageOffset(p.stage, phases, scale) + now - Date.parse(p.at)));
    seen.set(p.scenarioId, elapsedMs);
    // A re-run or a slow checker outlives the plan: its ETA stays 0, never negative.
    return { ...base, elapsedMs, etaMs: Math.max(0, plannedMs - elapsedMs) };
  });
  const started = run.startedAt ? Date.parse(run.startedAt) : now;
  const ended = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return {
    runId: run.id,
    planId: run.planId,
    status: run.status,
    elapsedMs: Math.max(0, ended - started),
    etaMs: ENDED.has(run.status) ? 0 : scenarios.reduce((sum, s) => sum + s.etaMs, 0),
    total: run.total,
    finished: scenarios.filter((s) => FINISHED_STAGES.has(s.stage)).length,
    scenarios,
  };
}

/** Register the run events route. */
export async function eventRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { store, clock } = ctx.deps;
  const open = new Set<() => void>();
  // An open stream is never idle: end them first, or closing the server waits for every run.
  app.addHook('preClose', async () => {
    for (const close of open) close();
  });

  app.get<{ Params: { id: string } }>('/v1/runs/:id/events', {
    schema: {
      summary: "A run's live progress as Server-Sent Events (`progress` events, then one `end`): per-scenario phase, elapsed and ETA",
      tags: ['runs'],
      params: idParams,
      produces: ['text/event-stream'],
      response: { 200: { type: 'string', description: 'text/event-stream of `progress` and `end` events whose data is the run\'s live view (JSON)' }, ...problemResponses },
    },
  }, async (req, reply) => {
    const first = await store.get('runs', req.params.id);
    if (!first) throw fail('NOT_FOUND', `run ${req.params.id} not found`, { id: req.params.id });
    const plan = await store.get('plans', first.planId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const seen = new Map<string, number>();
    let lastRecord = '';
    let lastSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const close = () => {
      clearTimeout(timer);
      open.delete(close);
      if (!res.writableEnded) res.end();
    };
    open.add(close);
    req.raw.on('close', close);
    const send = (event: string, data: RunLive) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const step = async (run: RunRecord | undefined) => {
      if (res.writableEnded) return;
      if (!run) return close();
      const now = clock.now().getTime();
      const json = JSON.stringify(run);
      if (json !== lastRecord || now - lastSent >= TICK_MS) {
        lastRecord = json;
        lastSent = now;
        const view = liveView(run, plan, now, seen);
        if (ENDED.has(run.status)) {
          send('end', view);
          return close();
        }
        send('progress', view);
      }
      timer = setTimeout(() => void store.get('runs', run.id).then(step, close), POLL_MS);
    };
    await step(first);
  });
}
