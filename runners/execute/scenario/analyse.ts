/**
 * The pure half of an attempt: from what was observed (AttemptData) to
 * metrics, boundary movement, checks, landing evidence, recovery and the
 * verdict. No I/O here; every function called is a value-in value-out core
 * module owned by runners/.
 */
import type { Scenario } from '../../../generators/plan.js';
import { boundaryMetrics } from '../../analyse/boundaries.js';
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
  const checks = runChecks(scenario.oracle, history, plan.recovery);
  const landing = judgeLanding({
    signal: scenario.landing,
    toxicName: data.toxicName,
    countersBefore: data.countersBefore,
    countersAfter: data.countersAfter,
    boundaries,
    targetEdge: scenario.target.edge,
    metrics,
  });
  const recovery = measureRecovery(history, recoveryEntrypoint(scenario), plan.recovery);
  const { verdict, path } = decideVerdict({
    envProblem: data.envProblem,
    landing,
    checks,
    faultWindow: faultWindowOf(data),
    ...(options.rerun ? { rerun: options.rerun } : {}),
    ...(options.scaledDown ? { scaledDown: true } : {}),
  });
  if (data.abort) path.unshift(`halting guard removed the fault early: ${data.abort.condition}`);
  return { checks, metrics, boundaries, landing, recovery, verdict, verdictPath: path };
}

/** True for either FAIL verdict. */
export function isFail(v: Verdict): boolean {
  return v === 'FAIL-reproducible' || v === 'FAIL-nondeterministic';
}
