/**
 * The halting guard: a safety stop for the fault phase. It watches sliding
 * windows of the live history (each op as it completes) and trips as soon
 * as an entrypoint's error rate exceeds the plan's bound over any window,
 * so the runner can remove the toxic at once (chaos-engineering "blast
 * radius" practice). Pure: it sees ops, it never touches the proxy.
 */
import type { HaltingCondition } from '../../generators/plan.js';
import type { Op } from '../../claims/history.js';

/** A tripped condition. */
export interface HaltingTrip {
  /** `error rate 83% > 50% over 1000 ms on checkout (6 ops)` */
  condition: string;
  /** End of the violating window on the run's monotonic clock (the completion that revealed it). */
  windowEndMs: number;
}

/** Fewest ops in a window before a rate means anything (one failed op is not 100 %). */
export const MIN_WINDOW_OPS = 5;

interface WindowState {
  cond: HaltingCondition;
  ops: Op[];
  bad: number;
}

/**
 * Incremental evaluator: feed it every completed op (in completion order);
 * it answers the first trip. Timeouts count as errors here — for a safety
 * stop an unanswered request is as bad as a failed one.
 */
export class HaltingGuard {
  private readonly windows: WindowState[];
  private tripped: HaltingTrip | undefined;

  constructor(conditions: readonly HaltingCondition[], private readonly minOps = MIN_WINDOW_OPS) {
    this.windows = conditions.map((cond) => ({ cond, ops: [], bad: 0 }));
  }

  /** The first trip so far, if any. */
  get trip(): HaltingTrip | undefined {
    return this.tripped;
  }

  /** Observe one completed op; returns the trip when this op caused it. */
  observe(op: Op): HaltingTrip | undefined {
    if (this.tripped) return undefined;
    for (const w of this.windows) {
      if (w.cond.entrypoint && w.cond.entrypoint !== op.type) continue;
      w.ops.push(op);
      if (!op.ok) w.bad++;
      const start = op.completeMs - w.cond.windowMs;
      while (w.ops.length > 0 && w.ops[0].completeMs < start) {
        const old = w.ops.shift()!;
        if (!old.ok) w.bad--;
      }
      const n = w.ops.length;
      if (n >= this.minOps && w.bad / n > w.cond.maxErrorRate) {
        const rate = Math.round((w.bad / n) * 100);
        this.tripped = {
          condition: `error rate ${rate}% > ${Math.round(w.cond.maxErrorRate * 100)}% over ${w.cond.windowMs} ms on ${w.cond.entrypoint ?? 'all entrypoints'} (${n} ops)`,
          windowEndMs: op.completeMs,
        };
        return this.tripped;
      }
    }
    return undefined;
  }
}
