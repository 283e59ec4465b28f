/**
 * Recovery measurement: how long after the fault is removed the entrypoint
 * is back inside its baseline band, and stays there.
 *
 * Band (plan.recovery): latency p99 ≤ baseline p99 × bandFactor and error
 * rate ≤ baseline error rate + errorSlack, both over the ops *invoked* in a
 * sliding window of `windowMs`. A window holds few ops at ordinary rates
 * (five at 5 ops/s), where one routine error reads as 20 % and one slow op
 * as the window's p99; so a window is out of band only when it holds more
 * failed ops, or more ops over the latency bound, than a system back at
 * its baseline would produce by chance: the binomial upper tail at the
 * band's rate (1 % of ops over a p99 bound) falls below CHANCE. A system
 * still failing or still slow fails nearly every op and stays out of band
 * at any window size. Windows start at the fault's removal and at
 * every op invocation after it, so every op is judged by at least one window.
 * Recovery is the earliest window start t from which every window starting
 * in [t, t + holdMs] is inside the band, and every op from t on, taken
 * together, is inside its error rate; the answer is t − fault end.
 * Only windows that fit inside the observed recovery phase are judged, so a
 * system that is still inside its hold at the end of the run did not recover.
 */
import type { RecoverySettings } from './claim.js';
import { isRefusal, type History, type Op } from './history.js';
import { latencyOf, percentile, sortedLatencies } from './phase-metrics.js';
import type { RecoveryResult } from './check-result.js';

/** The baseline band, or why there is none. */
export interface RecoveryBand {
  maxP99Ms: number;
  maxErrorRate: number;
  baselineOps: number;
}

/** Compute the band from the baseline ops of the entrypoint (all entrypoints when undefined). */
export function baselineBand(history: History, entrypoint: string | undefined, settings: RecoverySettings): RecoveryBand {
  const base = history.ops.filter((o) => o.epoch === 'baseline' && (entrypoint === undefined || o.type === entrypoint));
  const p99 = percentile(sortedLatencies(base), 99);
  const errors = base.filter((o) => !o.ok).length;
  return {
    maxP99Ms: Number.isFinite(p99) ? p99 * settings.bandFactor : Infinity,
    maxErrorRate: (base.length ? errors / base.length : 0) + settings.errorSlack,
    baselineOps: base.length,
  };
}

function describeBand(b: RecoveryBand): string {
  const pct = Math.round(b.maxErrorRate * 1000) / 10;
  return `p99 ≤ ${Math.round(b.maxP99Ms)} ms and error rate ≤ ${pct}%`;
}

/** Below this probability a window's count of bad ops is not chance but the system (a one-sided binomial test). */
const CHANCE = 0.01;

/** Share of ops a p99 bound lets through by definition. */
const OVER_P99 = 0.01;

/**
 * The most of `n` ops that can be bad by chance when each is bad with
 * probability `p`: the largest c with P(X ≥ c) ≥ CHANCE for X ~ Binomial(n, p).
 */
export function chanceAllowance(n: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  let pmf = (1 - p) ** n; // P(X = 0)
  let below = 0; // P(X < c)
  for (let c = 0; c < n; c++) {
    below += pmf;
    if (1 - below < CHANCE) return c;
    pmf *= ((n - c) / (c + 1)) * (p / (1 - p));
  }
  return n;
}

/** True when the ops of one window are inside the band (an empty window has nothing out of band). */
function inBand(ops: Op[], band: RecoveryBand): boolean {
  if (ops.length === 0) return true;
  const slow = ops.filter((o) => latencyOf(o) > band.maxP99Ms).length;
  const errors = ops.filter((o) => !o.ok).length;
  return slow <= chanceAllowance(ops.length, OVER_P99) && errors <= chanceAllowance(ops.length, band.maxErrorRate);
}

/**
 * For ascending starts `t`: the errors of every op invoked from `t` on, taken together, within what the
 * band's rate gives by chance. A window of a few ops cannot tell one failing
 * request in five from a routine error (a cached error answered for every
 * key that was asked during the outage, a pool with one dead connection),
 * while the same rate over every op since `t` is plainly not the baseline.
 * Latency is judged by the windows only: a busy host slows a share of ops
 * for reasons that are not the system's.
 */
function errorsSinceInBand(after: readonly Op[], band: RecoveryBand): (t: number) => boolean {
  // Failed ops from index i to the end, once; `after` is sorted by invocation.
  const failedFrom = new Array<number>(after.length + 1).fill(0);
  for (let i = after.length - 1; i >= 0; i--) failedFrom[i] = failedFrom[i + 1] + (after[i].ok ? 0 : 1);
  let i = 0;
  // Asked with ascending t, so the index only moves forward.
  return (t) => {
    while (i < after.length && after[i].invokeMs < t) i++;
    return failedFrom[i] <= chanceAllowance(after.length - i, band.maxErrorRate);
  };
}

/** A re-asked request refused with a 4xx counts as answered (isRefusal): only server errors, transport errors and timeouts say it has not recovered. */
function answeredRevisit(o: Op): Op {
  return o.revisitOf !== undefined && !o.ok && isRefusal(o) ? { ...o, ok: true } : o;
}

/**
 * What the re-asked requests say (workload/revisits.ts): failures that stick
 * to the resources the fault broke, such as a cached error or a lock never
 * released, while fresh requests succeed.
 */
function stillFailing(after: readonly Op[]): string {
  const revisits = after.filter((o) => o.revisitOf !== undefined);
  const failed = revisits.filter((o) => !o.ok).length;
  if (failed === 0) return '';
  const fresh = after.filter((o) => o.revisitOf === undefined);
  const freshFailed = fresh.filter((o) => !o.ok).length;
  return `; ${failed} of ${revisits.length} requests re-asking what failed during the fault failed again (fresh requests: ${freshFailed} of ${fresh.length})`;
}

/**
 * Ms from fault removal (`phases.fault.endMs`) until the entrypoint is back
 * in its baseline band for `holdMs`; `null` with a note when it never is
 * within the recovery phase.
 */
export function measureRecovery(history: History, entrypoint: string | undefined, settings: RecoverySettings): RecoveryResult {
  const band = baselineBand(history, entrypoint, settings);
  const faultEnd = history.phases.fault.endMs;
  const end = history.phases.recovery.endMs;
  const base = { windowMs: settings.windowMs, holdMs: settings.holdMs, band: describeBand(band) };
  const after = history.ops
    .filter((o) => o.invokeMs >= faultEnd && (entrypoint === undefined || o.type === entrypoint))
    .map(answeredRevisit)
    .sort((a, b) => a.invokeMs - b.invokeMs);
  const never = { ...base, recoveredAfterMs: null, note: `did not recover within ${Math.round(end - faultEnd)} ms${stillFailing(after)}` };
  if (band.baselineOps === 0 || after.length === 0) return never;

  // Candidate window starts that fit whole windows before the end of observation.
  const starts = [faultEnd, ...after.map((o) => o.invokeMs)].filter((t, i, a) => t + settings.windowMs <= end && (i === 0 || t !== a[i - 1]));
  const ok: boolean[] = [];
  let lo = 0;
  let hi = 0;
  for (const t of starts) {
    while (lo < after.length && after[lo].invokeMs < t) lo++;
    if (hi < lo) hi = lo;
    while (hi < after.length && after[hi].invokeMs < t + settings.windowMs) hi++;
    ok.push(inBand(after.slice(lo, hi), band));
  }
  // Scan backwards: `nextBad` is the nearest out-of-band start after i.
  const held: number[] = [];
  let nextBad = Infinity;
  for (let i = starts.length - 1; i >= 0; i--) {
    if (!ok[i]) {
      nextBad = starts[i];
      continue;
    }
    const t = starts[i];
    if (t + settings.holdMs + settings.windowMs <= end && nextBad > t + settings.holdMs) held.push(t);
  }
  // Earliest first; a start also needs every op from it on to be inside the band together.
  const answer = held.reverse().find(errorsSinceInBand(after, band));
  if (answer === undefined) return never;
  return { ...base, recoveredAfterMs: Math.round(answer - faultEnd) };
}
