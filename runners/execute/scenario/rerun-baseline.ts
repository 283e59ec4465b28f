/**
 * Whether a same-seed re-run started where the first attempt did. A re-run
 * repeats the experiment to see whether its anomaly comes back, which only
 * means something from the same starting state. When the first attempt left
 * damage that outlived its own checks (a lock a failed request never
 * released, an error cached per key), the re-run's baseline already fails
 * on the very requests the seed repeats; its band is then wide enough to
 * call anything "recovered", and its pass refutes nothing. Such a baseline
 * is the first attempt's damage showing again: that is the reproduction.
 */
import type { History } from '../../../claims/history.js';
import { chanceAllowance } from '../../../claims/recovery.js';

/** Baseline error counts of one entrypoint. */
function baselineErrors(history: History, entrypoint: string): { failed: number; ops: number } {
  const ops = history.ops.filter((o) => o.type === entrypoint && o.epoch === 'baseline');
  return { failed: ops.filter((o) => !o.ok).length, ops: ops.length };
}

/**
 * A sentence saying which entrypoint's baseline the re-run found failing
 * beyond the first attempt's rate plus `slack` (the recovery band's
 * errorSlack), more than chance allows; undefined when the re-run started
 * as healthy as the first attempt.
 */
export function damagedBaseline(first: History, again: History, entrypoints: readonly string[], slack: number): string | undefined {
  for (const ep of entrypoints) {
    const a = baselineErrors(first, ep);
    const b = baselineErrors(again, ep);
    if (a.ops === 0 || b.ops === 0) continue;
    if (b.failed > chanceAllowance(b.ops, Math.min(1, a.failed / a.ops + slack))) {
      return `its baseline already failed ${b.failed} of ${b.ops} ${ep} requests (first attempt: ${a.failed} of ${a.ops}): the first attempt's damage had not healed, which reproduces it`;
    }
  }
  return undefined;
}
