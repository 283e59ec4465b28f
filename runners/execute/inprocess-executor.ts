/**
 * Executor that runs a plan's scenarios one after another in this process
 * (the default when no REDIS_URL is configured). Scenarios are sequential
 * on purpose: two faults at once would make landing and blame ambiguous.
 * Every scenario is still attempted after one left the system dead (its
 * hooks may restart it); those the dead system kept from running are
 * reported as not run since that scenario.
 */
import { performance } from 'node:perf_hooks';
import type { Plan } from '../../generators/plan.js';
import { hash31 } from '../../generators/plan-context.js';
import type { TraceSource } from '../../ingest/trace-source.js';
import type { Executor, ProgressEvent, RunOptions } from './executor.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import { assembleFindings } from '../record/findings.js';
import type { Findings, ScenarioResult } from '../record/result.js';
import { planContext } from './scenario/context.js';
import { runScenario } from './scenario/index.js';
import { SystemDownTracker, environmentResult, progressEvent, safeEmitter, selectScenarios } from './scenario/run-scope.js';
import type { FetchLike } from './workload/request.js';

/** Dependencies of the in-process executor. */
export interface InProcessExecutorOptions {
  injector: FaultInjector;
  traceSource?: TraceSource;
  fetch?: FetchLike;
  /** Redis for probes that name none. */
  defaultRedisUrl?: string;
  /** Owner tag in toxic names (default `local`). */
  owner?: string;
  quiesceMs?: number;
  /** Precheck grace for an entrypoint still settling from the previous scenario (default 5000 ms). */
  settleMs?: number;
  ttlMarginMs?: number;
  /** Grace for something failing after a scenario to come back before it counts as lasting damage (default 10000 ms). */
  damageGraceMs?: number;
}

/** Runs scenarios sequentially in this process. */
export class InProcessExecutor implements Executor {
  readonly describe: string;

  constructor(private readonly opts: InProcessExecutorOptions) {
    this.describe = `in-process (${opts.injector.describe})`;
  }

  async run(plan: Plan, options: RunOptions, onProgress?: (e: ProgressEvent) => void): Promise<Findings> {
    const startedAt = new Date().toISOString();
    const scenarios = selectScenarios(plan, options.only);
    const total = scenarios.length;
    const emit = safeEmitter(onProgress);
    scenarios.forEach((s, i) => emit(progressEvent(options.runId, s.id, 'queued', i, total)));
    const ctx = planContext(plan);
    const results: ScenarioResult[] = [];
    // A scenario that left the system dead makes the next ones "not run", not the environment's fault.
    const down = new SystemDownTracker();
    for (const [i, scenario] of scenarios.entries()) {
      const t = performance.now();
      let result: ScenarioResult;
      if (options.signal?.aborted) {
        result = environmentResult(scenario, 'run aborted before the scenario started', 0);
      } else {
        result = await runScenario(
          scenario,
          ctx,
          { ...this.opts, phaseScale: options.phaseScale, signal: options.signal, keySalt: hash31(options.runId) },
          (stage, detail) => emit(progressEvent(options.runId, scenario.id, stage, i, total, detail)),
        );
      }
      result.durationMs ||= Math.round(performance.now() - t);
      result = down.observe(result);
      results.push(result);
      emit(progressEvent(options.runId, scenario.id, 'done', i, total, result.verdict));
    }
    return assembleFindings(plan, results, { runId: options.runId, startedAt, finishedAt: new Date().toISOString() });
  }

  async close(): Promise<void> {
    // Nothing held between runs.
  }
}
