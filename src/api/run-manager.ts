/**
 * Runs in the service: starts a plan's run on the Executor without blocking
 * the caller, keeps the run record (status + per-scenario progress) current
 * in the artifact store, writes the findings when the run ends, and can
 * cancel one run or all of them (emergency stop, shutdown).
 *
 * A failing system under test is a verdict inside the findings; only an
 * executor that throws (environment, harness) makes the run `failed`.
 */
import type { Plan } from '../../generators/plan.js';
import type { Executor, ProgressEvent } from '../../runners/execute/executor.js';
import type { Findings } from '../../runners/record/result.js';
import type { ArtifactStore, RunRecord } from '../store/artifact-store.js';
import { fail, isFaultlineError } from '../../base/errors.js';
import { emptyPlanReason, emptySelectionReason } from '../nothing-to-run.js';
import { newId, type Clock } from '../store/artifact-id.js';
import type { Log } from '../log.js';
import type { ServiceMetrics } from './service-metrics.js';

/** What the run manager needs. */
export interface RunManagerDeps {
  store: ArtifactStore;
  executor: Executor;
  clock: Clock;
  log: Log;
  metrics?: ServiceMetrics;
  /** Findings → Markdown, written beside findings.json (absent = JSON only). */
  renderFindings?: (findings: Findings, plan: Plan) => string;
}

/** A started run: its first record and a promise of its final one. */
export interface StartedRun {
  record: RunRecord;
  done: Promise<RunRecord>;
}

/** Starts, tracks and cancels runs. */
export class RunManager {
  private readonly active = new Map<string, { controller: AbortController; done: Promise<RunRecord> }>();

  constructor(private readonly deps: RunManagerDeps) {}

  /** Ids of runs still going. */
  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  /** Record the run as queued and start it in the background. */
  async start(plan: Plan, options: { only?: string[]; phaseScale?: number; sweepId?: string } = {}): Promise<StartedRun> {
    const { store, clock } = this.deps;
    // Empty is not success: a run of nothing is refused with why and the fix (422 EMPTY over the API), never recorded as succeeded.
    const nothing = emptyPlanReason(plan) ?? emptySelectionReason(plan, options.only);
    if (nothing) throw fail('EMPTY', nothing);
    const ids = new Set(plan.scenarios.map((s) => s.id));
    const only = options.only?.filter((id) => ids.has(id));
    const record: RunRecord = {
      id: newId('run', clock.now()),
      planId: plan.id,
      status: 'queued',
      createdAt: clock.now().toISOString(),
      options: { ...(options.only ? { only: options.only } : {}), ...(options.phaseScale !== undefined ? { phaseScale: options.phaseScale } : {}) },
      total: only ? only.length : plan.scenarios.length,
      progress: plan.scenarios.filter((s) => !only || only.includes(s.id)).map((s) => ({ scenarioId: s.id, stage: 'queued', at: clock.now().toISOString() })),
      ...(options.sweepId ? { sweepId: options.sweepId } : {}),
    };
    await store.put('runs', record);
    const first = structuredClone(record);
    const controller = new AbortController();
    const done = this.execute(plan, record, controller.signal).finally(() => this.active.delete(record.id));
    this.active.set(record.id, { controller, done });
    return { record: first, done };
  }

  /**
   * Ask a run to stop; true when it was running here. The reason reaches the
   * executor (and, with BullMQ, every worker running one of its jobs).
   */
  cancel(runId: string, reason = 'run cancelled'): boolean {
    const a = this.active.get(runId);
    a?.controller.abort(new Error(reason));
    return a !== undefined;
  }

  /** Cancel every run; resolves when all have ended (their executors confirmed it). Returns the ids cancelled. */
  async cancelAll(reason = 'run cancelled'): Promise<string[]> {
    const ids = this.activeRuns();
    const dones = ids.map((id) => this.active.get(id)!.done);
    for (const id of ids) this.cancel(id, reason);
    await Promise.allSettled(dones);
    return ids;
  }

  /** Resolves when no run is active (graceful shutdown lets them finish). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  private async execute(plan: Plan, record: RunRecord, signal: AbortSignal): Promise<RunRecord> {
    const { store, executor, clock, log, metrics } = this.deps;
    // Progress events arrive faster than files are written: chain the writes
    // so the record on disk only moves forward.
    let writes: Promise<void> = Promise.resolve();
    const persist = () => {
      const snapshot = structuredClone(record);
      writes = writes.then(() => store.put('runs', snapshot)).catch((err) => log.error({ err, runId: record.id }, 'run record write failed'));
      return writes;
    };
    const onProgress = (e: ProgressEvent) => {
      const p = record.progress.find((x) => x.scenarioId === e.scenarioId);
      const next = { scenarioId: e.scenarioId, stage: e.stage, at: e.at, ...(e.detail ? { detail: e.detail } : {}) };
      if (p) Object.assign(p, next);
      else record.progress.push(next);
      if (record.status === 'queued') record.status = 'running';
      void persist();
    };
    record.status = 'running';
    record.startedAt = clock.now().toISOString();
    void persist();
    try {
      const findings = await executor.run(plan, { runId: record.id, only: record.options.only, phaseScale: record.options.phaseScale, signal }, onProgress);
      await store.put('findings', { ...findings, runId: record.id }, this.deps.renderFindings?.(findings, plan));
      record.status = signal.aborted ? 'cancelled' : 'succeeded';
      record.counts = findings.counts;
      for (const r of findings.results) metrics?.scenarios.inc({ verdict: r.verdict });
    } catch (err) {
      record.status = signal.aborted ? 'cancelled' : 'failed';
      record.error = isFaultlineError(err) ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: 'the executor failed unexpectedly' };
      if (!isFaultlineError(err)) log.error({ err, runId: record.id }, 'executor threw');
    }
    record.finishedAt = clock.now().toISOString();
    metrics?.runs.inc({ status: record.status });
    await persist();
    await writes;
    return structuredClone(record);
  }
}
