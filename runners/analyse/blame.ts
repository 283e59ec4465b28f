/**
 * Blame for a scenario's outcome, decided from evidence only (docs/architecture.md, "Verdicts and blame").
 * First matching rule wins:
 *
 *  1. environment: an env problem / failed precheck, or the proxy/host was unhealthy;
 *  2. SUT: lasting damage — something healthy in the baseline did not come back;
 *  3. harness: the workload driver's own errors (its history has holes);
 *  4. checker: every check that failed also fails on the baseline-only
 *     history, and no more often under the fault than there (the system
 *     was calm, so the checker or the claim is wrong). A check that fails
 *     at rest but fails more often once the fault acts is the fault's doing;
 *  5. SUT: a FAIL verdict with all of the above clean. Driver lag is a
 *     property of each op (`lagMs`): ops sent late were left out of the
 *     checks, so a FAIL's anomalies come from ops sent on time and a busy
 *     host cannot hide a real bug;
 *  6. harness: not a FAIL, and too many ops were sent late to judge;
 *  7. unknown, with the reason (including "nothing to blame" for passes).
 */
import type { History, Op } from '../../claims/history.js';
import type { Blame, Verdict } from '../record/result.js';
import type { CheckResult } from '../../claims/check-result.js';
import { chanceAllowance } from '../../claims/recovery.js';

/** Per-op send lag above which an op is late (left out of the checks). */
export const DEFAULT_MAX_DRIVER_LAG_MS = 100;
/** Share of late ops above which a non-FAIL outcome is the harness's doing. */
export const MAX_LATE_SHARE = 0.2;

/** What the driver's per-op lag measured. */
export interface LagSummary {
  /** Ops sent more than `limitMs` after their scheduled time. */
  lateOps: number;
  ops: number;
  limitMs: number;
  /** p99 of the per-op send lag. */
  p99Ms: number;
}

/** What assignBlame reads. */
export interface BlameInput {
  verdict: Verdict;
  checks: CheckResult[];
  /** The same checkers re-run on `baselineOnly(history)`. */
  baselineChecks: CheckResult[];
  driverErrors: number;
  lag: LagSummary;
  envProblem?: string;
  proxyHealthy: boolean;
  /** Lasting damage lines. */
  damage?: string[];
  /** The halting condition that removed the fault early. */
  halted?: string;
}

/** Ops the driver sent later than `limitMs` against schedule. */
export function lateOps(ops: readonly Op[], limitMs = DEFAULT_MAX_DRIVER_LAG_MS): Op[] {
  return ops.filter((o) => (o.lagMs ?? 0) > limitMs);
}

/** Summarise per-op lag. */
export function lagSummary(ops: readonly Op[], limitMs = DEFAULT_MAX_DRIVER_LAG_MS): LagSummary {
  const lags = ops.map((o) => o.lagMs ?? 0).sort((a, b) => a - b);
  const p99 = lags.length ? lags[Math.min(lags.length - 1, Math.ceil(lags.length * 0.99) - 1)] : 0;
  return { lateOps: lateOps(ops, limitMs).length, ops: ops.length, limitMs, p99Ms: Math.round(p99) };
}

/** The history the checks consume: ops sent on time only (keys stay generated: a duplicate is a duplicate however late). */
export function onTimeHistory(history: History, limitMs = DEFAULT_MAX_DRIVER_LAG_MS): History {
  if (!history.ops.some((o) => (o.lagMs ?? 0) > limitMs)) return history;
  return { ...history, ops: history.ops.filter((o) => (o.lagMs ?? 0) <= limitMs) };
}

const measured = (l: LagSummary) => `${l.lateOps} of ${l.ops} ops were sent more than ${l.limitMs} ms after their scheduled time (per-op send lag, p99 ${l.p99Ms} ms)`;

/** Decide who is to blame, and why. */
export function assignBlame(input: BlameInput): { blame: Blame; reason: string } {
  if (input.envProblem) return { blame: 'environment', reason: `environment problem: ${input.envProblem}` };
  if (!input.proxyHealthy) return { blame: 'environment', reason: 'the fault proxy or its host was unhealthy during the run' };
  if (input.damage?.length) return { blame: 'SUT', reason: `the system under test did not come back after the fault: ${input.damage.join('; ')}` };
  if (input.driverErrors > 0) return { blame: 'harness', reason: `the workload driver hit ${input.driverErrors} errors of its own` };
  const failed = input.checks.filter((c) => c.sufficient && !c.ok);
  const atRest = failed.map((c) => ({ c, b: failedAtRest(c, input.baselineChecks) }));
  if (failed.length > 0 && atRest.every(({ c, b }) => b !== undefined && !worseUnderFault(c, b))) {
    return { blame: 'checker', reason: `${failed.map((c) => c.claimId).join(', ')} also failed on the baseline-only history, before any fault, and no more often under it` };
  }
  const worse = atRest.filter(({ b }) => b !== undefined).map(({ c, b }) => `${c.claimId}: ${anomaliesOf(b!)} anomalies in ${b!.opsConsumed} ops before the fault, ${anomaliesOf(c)} in ${c.opsConsumed} with it`);
  const { lag } = input;
  if (input.verdict.startsWith('FAIL')) {
    const late = lag.lateOps > 0 ? `; ${measured(lag)} and were left out of the checks, so the anomalies come from ops sent on time` : '';
    if (worse.length) return { blame: 'SUT', reason: `${failed.map((c) => c.claimId).join(', ')} failed more often under the fault than before it (${worse.join('; ')}); driver and proxy were clean${late}` };
    return { blame: 'SUT', reason: `${failed.map((c) => c.claimId).join(', ') || 'the oracle'} failed under the fault; baseline checks, driver and proxy were clean${late}` };
  }
  if (lag.ops > 0 && lag.lateOps / lag.ops > MAX_LATE_SHARE) return { blame: 'harness', reason: `the workload driver fell behind: ${measured(lag)}` };
  if (input.halted) return { blame: 'unknown', reason: `not tested: the halting guard removed the fault early (${input.halted})` };
  if (input.verdict.startsWith('PASS')) return { blame: 'unknown', reason: `no finding to blame (${input.verdict})` };
  return { blame: 'unknown', reason: `${input.verdict} with environment, driver and checkers clean: no evidence points anywhere` };
}

/**
 * The same check's failing result on the baseline-only history, if any.
 * Conservation reads only the probe dumps, which a baseline-only history
 * cannot restrict: its baseline re-run repeats the same evidence and proves nothing.
 */
function failedAtRest(c: CheckResult, baseline: readonly CheckResult[]): CheckResult | undefined {
  if (c.checker === 'conservation') return undefined;
  return baseline.find((b) => b.claimId === c.claimId && b.checker === c.checker && b.sufficient && !b.ok);
}

function anomaliesOf(c: CheckResult): number {
  return c.anomalyCount ?? c.anomalies.length;
}

/**
 * True when the ops the fault added carry more anomalies than the
 * baseline's rate gives by chance (the one-sided binomial test of recovery):
 * a system that breaks a claim now and then at rest (messages reordered by
 * a concurrent consumer) but far more often under the fault is failing
 * because of the fault, not because the checker misreads it.
 */
function worseUnderFault(c: CheckResult, b: CheckResult): boolean {
  const extraOps = c.opsConsumed - b.opsConsumed;
  const extra = anomaliesOf(c) - anomaliesOf(b);
  if (extraOps <= 0 || b.opsConsumed <= 0 || extra <= 0) return false;
  return extra > chanceAllowance(extraOps, Math.min(1, anomaliesOf(b) / b.opsConsumed));
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
