/**
 * The sweep coordinator: one resilience sweep as a short sequence of typed
 * steps (src/sweeps/steps/): pull the last window of traces and build the
 * graph, compare it with the previous sweep's graph, rank with feedback from
 * earlier sweeps, generate the plan, run it, fold the findings into
 * per-claim outcomes, and post the digest. Returns the sweep record; an
 * environment failure makes the sweep `failed` (and is still digested), it
 * does not throw.
 */
import type { Manifest } from '../../generators/manifest.js';
import type { ArtifactStore, SweepRecord } from '../store/artifact-store.js';
import { buildDigest } from './digest.js';
import { flushOutbox, sendDigest, type OutboxDeps } from './digest-outbox.js';
import { fail, isFaultlineError } from '../../base/errors.js';
import { emptyGraphReason, emptyPlanReason, emptyRunReason } from '../nothing-to-run.js';
import { traceWindowWords } from './steps/collect-graph.js';
import { diffGraphs } from './graph-diff.js';
import { newId, type Clock } from '../store/artifact-id.js';
import type { Log } from '../log.js';
import type { ServiceMetrics } from '../api/service-metrics.js';
import type { Pipeline } from '../pipeline.js';
import type { RunManager } from '../api/run-manager.js';
import type { Notifier } from './slack-notifier.js';
import { claimOutcomes } from './steps/claim-outcomes.js';
import { HISTORY_SWEEPS, makePlan } from './steps/make-plan.js';

/** What a sweep needs. */
export interface SweepDeps {
  store: ArtifactStore;
  pipeline: Pipeline;
  runs: RunManager;
  clock: Clock;
  log: Log;
  metrics?: ServiceMetrics;
  notifier?: Notifier;
  /** Retry settings for digest delivery (tests shorten them). */
  outbox?: Pick<OutboxDeps, 'attempts' | 'baseDelayMs' | 'sleep'>;
  /** Base URL of the API, for the findings link. */
  publicUrl?: string;
}

/** How the sweep was started. */
export interface SweepOptions {
  trigger: SweepRecord['trigger'];
  scheduleId?: string;
  /** Scale every phase (quick sweeps in tests and demos). */
  phaseScale?: number;
}

/** A started sweep: its first record and a promise of its final one. */
export interface StartedSweep {
  record: SweepRecord;
  done: Promise<SweepRecord>;
}

/** Run one sweep end to end. */
export async function runSweep(deps: SweepDeps, manifest: Manifest, opts: SweepOptions): Promise<SweepRecord> {
  return (await startSweep(deps, manifest, opts)).done;
}

/** Record the sweep as running, then carry it out in the background. */
export async function startSweep(deps: SweepDeps, manifest: Manifest, opts: SweepOptions): Promise<StartedSweep> {
  const t0 = deps.clock.now();
  const sweep: SweepRecord = {
    id: newId('sweep', t0),
    startedAt: t0.toISOString(),
    status: 'running',
    trigger: opts.trigger,
    ...(opts.scheduleId ? { scheduleId: opts.scheduleId } : {}),
    system: manifest.system.name,
    claims: [],
  };
  await deps.store.put('sweeps', sweep);
  return { record: structuredClone(sweep), done: carryOut(deps, manifest, sweep, t0, opts) };
}

async function carryOut(deps: SweepDeps, manifest: Manifest, sweep: SweepRecord, t0: Date, opts: SweepOptions): Promise<SweepRecord> {
  const { store, pipeline, clock, log } = deps;
  const outbox: OutboxDeps | undefined = deps.notifier ? { store, notifier: deps.notifier, clock, log, ...deps.outbox } : undefined;
  if (outbox) await flushOutbox(outbox);
  const previous = await store.list('sweeps', { where: (s) => s.status === 'succeeded' && s.system === manifest.system.name && s.id !== sweep.id, limit: HISTORY_SWEEPS });
  let findings;
  try {
    const prevGraph = previous[0]?.graphId ? await store.get('graphs', previous[0].graphId) : undefined;
    const { graph, plan } = await makePlan({ pipeline, store, clock }, manifest, { sweepId: sweep.id });
    Object.assign(sweep, { graphId: graph.id, planId: plan.id, diff: diffGraphs(prevGraph, graph) });
    await store.put('sweeps', sweep);
    // Empty is not success: a sweep that tested nothing says why instead of reading as all green.
    const empty = emptyGraphReason(graph.snapshot, traceWindowWords(manifest)) ?? emptyPlanReason(plan);
    if (empty) throw fail('EMPTY', empty);
    const started = await deps.runs.start(plan, { sweepId: sweep.id, ...(opts.phaseScale !== undefined ? { phaseScale: opts.phaseScale } : {}) });
    sweep.runId = started.record.id;
    await store.put('sweeps', sweep);
    const run = await started.done;
    if (run.status !== 'succeeded') {
      sweep.status = 'failed';
      sweep.error = run.error ?? { code: 'INTERNAL', message: `run ${run.id} ended ${run.status}` };
    } else {
      findings = await store.get('findings', run.id);
      sweep.claims = findings ? claimOutcomes(plan, findings) : [];
      sweep.counts = findings?.counts ?? {};
      sweep.status = 'succeeded';
      const none = findings ? emptyRunReason(findings) : undefined;
      if (none) Object.assign(sweep, { status: 'empty', error: { code: 'EMPTY', message: none } });
    }
  } catch (err) {
    sweep.status = isFaultlineError(err, 'EMPTY') ? 'empty' : 'failed';
    sweep.error = isFaultlineError(err) ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: 'the sweep failed unexpectedly' };
    if (!isFaultlineError(err)) log.error({ err, sweepId: sweep.id }, 'sweep threw');
  }
  const t1 = clock.now();
  sweep.finishedAt = t1.toISOString();
  sweep.durationMs = t1.getTime() - t0.getTime();
  deps.metrics?.sweeps.inc({ status: sweep.status });
  deps.metrics?.sweepDuration.observe(sweep.durationMs / 1000);
  if (outbox) {
    const findingsUrl = sweep.runId ? findingsLink(sweep.runId, manifest.slack?.findingsBaseUrl, deps.publicUrl) : undefined;
    const payload = buildDigest({ sweep, findings, previous, findingsUrl });
    const entry = await sendDigest(outbox, payload, sweep.id);
    sweep.digest = { outboxId: entry.id, delivered: Boolean(entry.deliveredAt) };
  }
  await store.put('sweeps', sweep);
  log.info({ sweepId: sweep.id, status: sweep.status, durationMs: sweep.durationMs }, 'sweep finished');
  return sweep;
}

/**
 * Where "Full findings" in a digest points: a manifest's `findingsBaseUrl`
 * (`<base>/<runId>/findings`, for teams that publish findings elsewhere),
 * else the web console's findings page on FAULTLINE_PUBLIC_URL, which a
 * person can read, rather than the raw JSON of the API.
 */
function findingsLink(runId: string, findingsBaseUrl: string | undefined, publicUrl: string | undefined): string | undefined {
  if (findingsBaseUrl) return `${findingsBaseUrl.replace(/\/+$/, '')}/${runId}/findings`;
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}/#/findings/${encodeURIComponent(runId)}`;
  return undefined;
}
