/**
 * The pure half of an attempt: from what was observed (AttemptData) to
 * metrics, boundary movement, checks, landing evidence, recovery and the
 * verdict. No I/O here; every function called is a value-in value-out core
 * module owned by runners/.
 */
import type { Scenario } from '../../../generators/plan.js';
import { boundaryMetrics, tracesCrossing } from '../../analyse/boundaries.js';
import { DEFAULT_MAX_DRIVER_LAG_MS, lateOps, onTimeHistory } from '../../analyse/blame.js';
import type { History } from '../../../claims/history.js';
import { runChecks } from '../../../claims/checkers/index.js';
import { judgeLanding } from '../../analyse/landing.js';
import { phaseMetrics } from '../../../claims/phase-metrics.js';
import { measureRecovery } from '../../../claims/recovery.js';
import type { BoundaryMetrics, LandingEvidence, Verdict } from '../../record/result.js';
import type { CheckResult, PhaseMetrics, RecoveryResult } from '../../../claims/check-result.js';
import { decideVerdict, type VerdictInput } from '../../analyse/verdict.js';
import type { AttemptData } from './attempt.js';
import type { ScenarioPlanContext } from './context.js';

/** The analysed attempt. */
export interface AttemptAnalysis {
  checks: CheckResult[];
  metrics: PhaseMetrics[];
  boundaries: BoundaryMetrics[];
  landing: LandingEvidence;
  recovery: RecoveryResult;
  verdict: Verdict;
  verdictPath: string[];
}

/** Which entrypoint recovery is measured on: the recovery claim's, else all of the workload's. */
export function recoveryEntrypoint(scenario: Scenario): string | undefined {
  for (const oc of scenario.oracle) if (oc.check.type === 'recovery') return oc.check.entrypoint;
  return scenario.workload.entrypoints.length === 1 ? scenario.workload.entrypoints[0].name : undefined;
}

/** How the verdict of an attempt is to be decided. */
export interface AnalyseOptions {
  /** Phases were scaled below 1 (a quick run: at best PASS-smoke). */
  scaledDown?: boolean;
  /** The same-seed re-run's outcome, when this is the decision after a FAIL. */
  rerun?: VerdictInput['rerun'];
  /** What the same-seed re-run showed about lasting damage. */
  damageRerun?: NonNullable<VerdictInput['damage']>['rerun'];
}

/** Lasting damage in words, one line per subject. */
export function damageLines(data: AttemptData): string[] {
  return (data.damage ?? []).map((d) => `${d.subject}: ${d.error} since ${d.since}, ${d.checked}`);
}

/** Claims whose checks read probe dumps: their effects must be read once the system is quiescent. */
function effectClaims(scenario: Scenario): string[] {
  return [...scenario.oracle, ...(scenario.watch ?? [])].filter((oc) => 'probe' in oc.check).map((oc) => oc.claimId);
}

/**
 * The watched invariants' checks that count: only violations, and only
 * when the effects were read once the system was quiescent. A watched check
 * that cannot judge (no ops of its entrypoint in this mix) or passes adds
 * nothing, so watching never makes a scenario weaker than its aim.
 */
function watchedViolations(scenario: Scenario, history: History, recovery: ScenarioPlanContext['recovery']): CheckResult[] {
  if (!scenario.watch?.length || (history.quiescence && !history.quiescence.reached)) return [];
  return runChecks(scenario.watch, history, recovery).filter((c) => c.sufficient && !c.ok);
}

/** Entrypoints whose baseline ops' own traces cross the edge, and their client metrics. */
function crossing(data: AttemptData, edge: string): { entrypoints: string[]; metrics: AttemptAnalysis['metrics'] } | undefined {
  const traces = tracesCrossing(data.spans.baseline, edge);
  if (traces.size === 0) return undefined;
  const entrypoints = [...new Set(data.history.ops.filter((o) => o.epoch === 'baseline' && o.traceId && traces.has(o.traceId)).map((o) => o.type))].sort();
  if (entrypoints.length === 0) return undefined;
  const only: History = { ...data.history, ops: data.history.ops.filter((o) => entrypoints.includes(o.type)) };
  return { entrypoints, metrics: phaseMetrics(only) };
}

/**
 * The history covers the fault window when the driver kept running past the
 * fault's end and dropped no arrival (a dropped arrival is a hole in it).
 */
export function faultWindowOf(data: AttemptData): { opsInvoked: number; covered: boolean } {
  const { ops, phases } = data.history;
  const opsInvoked = ops.filter((o) => o.epoch === 'fault').length;
  const ranPast = ops.some((o) => o.invokeMs >= phases.fault.endMs);
  return { opsInvoked, covered: ranPast && (data.driver?.dropped ?? 0) === 0 };
}

/** Analyse one attempt. */
export function analyseAttempt(scenario: Scenario, plan: ScenarioPlanContext, data: AttemptData, options: AnalyseOptions = {}): AttemptAnalysis {
  const { history } = data;
  const metrics = phaseMetrics(history);
  const boundaries = boundaryMetrics(data.spans);
  // Lag is a property of each op: ops the driver sent late are not evidence about the system.
  const late = lateOps(history.ops);
  const watched = watchedViolations(scenario, onTimeHistory(history), plan.recovery);
  const checks = [...runChecks(scenario.oracle, onTimeHistory(history), plan.recovery), ...watched];
  const { phases } = history;
  const crossed = crossing(data, scenario.target.edge);
  const landing = judgeLanding({
    signal: scenario.landing,
    toxicName: data.toxicName,
    fault: scenario.fault.toxic,
    countersBaseline: data.countersBaseline,
    countersBefore: data.countersBefore,
    countersAfter: data.countersAfter,
    baselineMs: phases.baseline.endMs - phases.baseline.startMs,
    faultMs: phases.fault.endMs - phases.fault.startMs,
    boundaries,
    targetEdge: scenario.target.edge,
    metrics,
    ...(crossed ? { crossing: crossed } : {}),
  });
  const recovery = measureRecovery(history, recoveryEntrypoint(scenario), plan.recovery);
  const damage = damageLines(data);
  const faultLasted = Math.round(phases.fault.endMs - phases.fault.startMs);
  const { verdict, path } = decideVerdict({
    envProblem: data.envProblem,
    landing,
    checks,
    faultWindow: faultWindowOf(data),
    ...(options.rerun ? { rerun: options.rerun } : {}),
    ...(options.scaledDown ? { scaledDown: true } : {}),
    ...(damage.length ? { damage: { lines: damage, ...(options.damageRerun ? { rerun: options.damageRerun } : {}) } } : {}),
    ...(data.abort ? { halted: `${data.abort.condition}; the fault lasted ${faultLasted} of ${scenario.phases.faultMs} ms planned` } : {}),
    ...(history.quiescence ? { quiescence: history.quiescence } : {}),
    effectClaims: effectClaims(scenario),
  });
  if (watched.length) path.push(`${watched.map((c) => c.claimId).join(', ')}: watched, not this scenario's aim; an invariant every scenario checks broke under this fault`);
  if (late.length) path.unshift(`${late.length} of ${history.ops.length} ops were sent more than ${DEFAULT_MAX_DRIVER_LAG_MS} ms late and left out of the checks`);
  if (data.abort) path.unshift(`halting guard removed the fault early: ${data.abort.condition}`);
  if (data.spansBy === 'time-window') path.push('spans tied to phases by time window: no span carried the trace id of a workload op (the system does not propagate W3C traceparent)');
  if (history.quiescence && !history.quiescence.reached) path.push(`effects read before quiescence: ${history.quiescence.condition} not reached after ${history.quiescence.waitedMs} ms (${history.quiescence.detail ?? 'still moving'})`);
  return { checks, metrics, boundaries, landing, recovery, verdict, verdictPath: path };
}

/** True for either FAIL verdict. */
export function isFail(v: Verdict): boolean {
  return v === 'FAIL-reproducible' || v === 'FAIL-nondeterministic';
}
