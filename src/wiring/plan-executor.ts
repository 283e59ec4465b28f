/**
 * The in-process executor, wired per plan: before a run the plan's proxies
 * are created on the fault proxy, and its scenarios read per-phase spans
 * from the plan's own trace source — so `run`, `sweep` and `serve` get the
 * same landing evidence from the same plan.
 */
import type { Plan } from '../../generators/plan.js';
import type { TraceSource, TraceSourceSpec } from '../../ingest/trace-source.js';
import type { Executor, ProgressEvent, RunOptions } from '../../runners/execute/executor.js';
import { InProcessExecutor, type InProcessExecutorOptions } from '../../runners/execute/inprocess-executor.js';
import type { Findings } from '../../runners/record/result.js';
import type { FaultProxyHandle } from './fault-proxy.js';

/** Knobs of the in-process executor other than its injector and trace source (tests shorten them). */
export type ExecutorTuning = Omit<InProcessExecutorOptions, 'injector' | 'traceSource'>;

/** What a plan-wired executor is built from. */
export interface PlanExecutorDeps {
  proxy: FaultProxyHandle;
  /** The trace source of a plan's `traces:` (undefined: none this process can read). */
  traceSourceFor(spec: TraceSourceSpec | undefined): TraceSource | undefined;
  tuning?: ExecutorTuning;
}

/** Runs each plan in this process with that plan's proxies and trace source. */
export class PlanWiredExecutor implements Executor {
  readonly describe: string;

  constructor(private readonly deps: PlanExecutorDeps) {
    this.describe = `in-process (${deps.proxy.injector.describe})`;
  }

  async run(plan: Plan, options: RunOptions, onProgress?: (e: ProgressEvent) => void): Promise<Findings> {
    await this.deps.proxy.provision(plan.proxies);
    const traceSource = this.deps.traceSourceFor(plan.traces);
    // InProcessExecutor holds nothing between runs, so one per run costs nothing.
    return new InProcessExecutor({ ...this.deps.tuning, injector: this.deps.proxy.injector, traceSource }).run(plan, options, onProgress);
  }

  async close(): Promise<void> {
    // The proxy belongs to the wiring, which closes it.
  }
}
