/**
 * The halting guard: a safety stop for the fault phase. It watches the live
 * history (each op as it completes) and trips when an entrypoint it
 * protects has an error rate above the bound over a FULL window of
 * fault-phase data — never before `windowMs` of the fault has passed, so a
 * few early failures cannot end the fault in a quarter of a second. Which
 * entrypoints a guard protects is decided per scenario at planning
 * (generators/halting-scope.ts): what lies outside the hypothesis, never the
 * effect the scenario was designed to cause. Pure: it sees ops, it never
 * touches the proxy.
 */
import type { ScenarioGuard } from '../../generators/plan.js';
import type { Op } from '../../claims/history.js';

/** A tripped condition. */
export interface HaltingTrip {
  /** `error rate 83% > 50% over 1000 ms on stock (6 ops)` */
  condition: string;
  /** End of the violating window on the run's monotonic clock (the completion that revealed it). */
  windowEndMs: number;
}

/** Fewest ops in a window before a rate means anything (one failed op is not 100 %). */
export const MIN_WINDOW_OPS = 5;

interface WindowState {
  guard: ScenarioGuard;
  watched: Set<string>;
  ops: Op[];
  bad: number;
}

/**
 * Incremental evaluator: feed it every completed op of the fault phase (in
 * completion order); it answers the first trip. Timeouts count as errors
 * here — for a safety stop an unanswered request is as bad as a failed one.
 */
export class HaltingGuard {
  private readonly windows: WindowState[];
  private tripped: HaltingTrip | undefined;

  /** `faultStartMs`: when the fault went on, on the ops' clock; a window is full only `windowMs` after it. */
  constructor(guards: readonly ScenarioGuard[], private readonly faultStartMs: number, private readonly minOps = MIN_WINDOW_OPS) {
    this.windows = guards.map((guard) => ({ guard, watched: new Set(guard.entrypoints), ops: [], bad: 0 }));
  }

  /** The first trip so far, if any. */
  get trip(): HaltingTrip | undefined {
    return this.tripped;
  }

  /** Observe one completed op; returns the trip when this op caused it. */
  observe(op: Op): HaltingTrip | undefined {
    if (this.tripped || op.invokeMs < this.faultStartMs) return undefined;
    for (const w of this.windows) {
      if (!w.watched.has(op.type)) continue;
      w.ops.push(op);
      if (!op.ok) w.bad++;
      const start = op.completeMs - w.guard.windowMs;
      while (w.ops.length > 0 && w.ops[0].completeMs <= start) {
        const old = w.ops.shift();
        if (old && !old.ok) w.bad--;
      }
      // A partial window is not evidence: wait until a whole window of fault data exists.
      if (op.completeMs - this.faultStartMs < w.guard.windowMs) continue;
      const n = w.ops.length;
      if (n >= this.minOps && w.bad / n > w.guard.maxErrorRate) {
        const rate = Math.round((w.bad / n) * 100);
        this.tripped = {
          condition: `error rate ${rate}% > ${Math.round(w.guard.maxErrorRate * 100)}% over ${w.guard.windowMs} ms on ${w.guard.entrypoints.join(', ')} (${n} ops)`,
          windowEndMs: op.completeMs,
        };
        return this.tripped;
      }
    }
    return undefined;
  }
}
