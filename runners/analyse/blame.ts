/**
 * Blame for a scenario's outcome, decided from evidence only (DESIGN.md).
 * First matching rule wins:
 *
 *  1. environment: an env problem / failed precheck, or the proxy/host was unhealthy;
 *  2. harness: the workload driver's own errors, or its schedule lag above
 *     the threshold (an open-loop driver that falls behind stops being a
 *     fair load, and its latencies include its own queueing);
 *  3. checker: a check that failed also fails on the baseline-only history
 *     (the system was calm there, so the checker or the claim is wrong);
 *  4. SUT: a FAIL verdict with all of the above clean;
 *  5. unknown, with the reason (including "nothing to blame" for passes).
 */
import type { History } from '../../claims/history.js';
import type { Blame, Verdict } from '../record/result.js';
import type { CheckResult } from '../../claims/check-result.js';

/** Driver schedule lag above which the harness is suspect. */
export const DEFAULT_MAX_DRIVER_LAG_MS = 100;

/** What assignBlame reads. */
export interface BlameInput {
  verdict: Verdict;
  checks: CheckResult[];
  /** The same checkers re-run on `baselineOnly(history)`. */
  baselineChecks: CheckResult[];
  driverErrors: number;
  driverLagMs: number;
  envProblem?: string;
  proxyHealthy: boolean;
  maxDriverLagMs?: number;
}

/** Decide who is to blame, and why. */
export function assignBlame(input: BlameInput): { blame: Blame; reason: string } {
  if (input.envProblem) return { blame: 'environment', reason: `environment problem: ${input.envProblem}` };
  if (!input.proxyHealthy) return { blame: 'environment', reason: 'the fault proxy or its host was unhealthy during the run' };
  const maxLag = input.maxDriverLagMs ?? DEFAULT_MAX_DRIVER_LAG_MS;
  if (input.driverErrors > 0) return { blame: 'harness', reason: `the workload driver hit ${input.driverErrors} errors of its own` };
  if (input.driverLagMs > maxLag) return { blame: 'harness', reason: `the workload driver lagged ${Math.round(input.driverLagMs)} ms behind schedule (limit ${maxLag} ms)` };
  const failed = input.checks.filter((c) => c.sufficient && !c.ok);
  // Conservation reads only the probe dumps, which a baseline-only history cannot
  // restrict: its baseline re-run repeats the same evidence and proves nothing.
  const onBaseline = failed.filter((c) => c.checker !== 'conservation' && input.baselineChecks.some((b) => b.claimId === c.claimId && b.checker === c.checker && b.sufficient && !b.ok));
  if (onBaseline.length) {
    return { blame: 'checker', reason: `${onBaseline.map((c) => c.claimId).join(', ')} also failed on the baseline-only history, before any fault` };
  }
  if (input.verdict.startsWith('FAIL')) {
    return { blame: 'SUT', reason: `${failed.map((c) => c.claimId).join(', ') || 'the oracle'} failed under the fault; baseline checks, driver and proxy were clean` };
  }
  if (input.verdict.startsWith('PASS')) return { blame: 'unknown', reason: `no finding to blame (${input.verdict})` };
  return { blame: 'unknown', reason: `${input.verdict} with environment, driver and checkers clean: no evidence points anywhere` };
}

/** How long before the fault a baseline op must have completed to count as baseline evidence. */
export const BASELINE_SETTLE_MS = 1000;

/**
 * The history restricted to the baseline phase: its ops that completed at
 * least `settleMs` before the fault, the keys they generated, and phase
 * windows that end with the baseline. Probe dumps are kept: record checkers
 * ignore records of keys this history did not generate or acknowledge.
 */
export function baselineOnly(history: History, settleMs = BASELINE_SETTLE_MS): History {
  const end = history.phases.baseline.endMs;
  // Ops acknowledged in the last moments before the fault may still have an
  // effect in flight (an email being queued) that the fault then loses: that
  // is the SUT's bug, not the checker's, so they are not baseline evidence.
  const ops = history.ops.filter((o) => o.epoch === 'baseline' && o.completeMs <= end - settleMs);
  const keys = new Set(ops.flatMap((o) => (o.key === undefined ? [] : [o.key])));
  return {
    ...history,
    ops,
    phases: { baseline: history.phases.baseline, fault: { startMs: end, endMs: end }, recovery: { startMs: end, endMs: end } },
    ...(history.generatedKeys ? { generatedKeys: history.generatedKeys.filter((k) => keys.has(k)) } : {}),
  };
}
