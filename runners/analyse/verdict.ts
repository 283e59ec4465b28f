/**
 * The one decision tree that assigns a scenario its verdict (DESIGN.md
 * "Verdicts and blame"). First matching rule wins, in this order:
 *
 *  1. envProblem set (precheck failed, proxy down)       → INCONCLUSIVE-env
 *  2. landing not proven from data                       → INCONCLUSIVE-fault-not-proven
 *  3. the oracle cannot judge the fault:                 → INCONCLUSIVE-oracle-too-weak
 *     no checks; no check sufficient; no op invoked in
 *     the fault window; the history stops before the
 *     fault window ends (the driver did not run through it)
 *  4. a sufficient check found an anomaly:
 *     the same-seed re-run failed again                  → FAIL-reproducible
 *     otherwise (passed on re-run, or no re-run)         → FAIL-nondeterministic
 *  5. part of the claim's surface was not exercised
 *     (a check insufficient while others judged, or a
 *     check lists unexercised entrypoints/keys)          → PARTIAL-surface
 *  6. the model checked only part (search gave up, or
 *     the claim is only partly machine-checkable)        → PARTIAL-model
 *  7. no anomaly; hardening needs the fault proven from
 *     data, ≥ minFaultOps ops invoked in the fault
 *     window and full-length phases                       → PASS-hardening
 *  8. otherwise (shallow)                                 → PASS-smoke
 *
 * Rule 3 comes before FAIL on purpose: an anomaly in a history that does not
 * cover the fault is not evidence about the fault. A FAIL found by one
 * sufficient check is not hidden by another check being insufficient.
 */
import type { LandingEvidence, Verdict } from '../record/result.js';
import type { CheckResult } from '../../claims/check-result.js';

/** Ops that must be invoked in the fault window for a PASS to count as hardening. */
export const DEFAULT_MIN_FAULT_OPS = 50;

/** Everything the decision tree looks at. */
export interface VerdictInput {
  /** Set when the environment prevented a meaningful run. */
  envProblem?: string;
  landing: LandingEvidence;
  checks: CheckResult[];
  faultWindow: {
    /** Ops invoked inside the fault window. */
    opsInvoked: number;
    /** True when the driver ran through the whole fault window (the history covers it). */
    covered: boolean;
  };
  /** Outcome of the same-seed re-run of a FAIL; absent when none was made. */
  /** Outcome of the same-seed re-run of a FAIL; `otherVerdict` names what it gave when it did not fail (a PASS, or an INCONCLUSIVE that shows nothing). */
  rerun?: { failedAgain: boolean; otherVerdict?: Verdict };
  /** Parts of the claim's surface not exercised, beyond what checks report. */
  unexercised?: string[];
  /** Why only part of the claim could be checked by a model, beyond what checks report. */
  modelPartial?: string[];
  /** True when the phases were scaled down (a quick run). */
  scaledDown?: boolean;
  minFaultOps?: number;
}

/** Apply the decision tree; `path` records each step taken, for findings. */
export function decideVerdict(input: VerdictInput): { verdict: Verdict; path: string[] } {
  const path: string[] = [];
  const done = (verdict: Verdict, why: string) => {
    path.push(why);
    return { verdict, path };
  };
  if (input.envProblem) return done('INCONCLUSIVE-env', `environment problem: ${input.envProblem}`);
  path.push('environment healthy');
  if (!input.landing.proven || input.landing.source === 'none') return done('INCONCLUSIVE-fault-not-proven', 'fault landing not proven from data');
  path.push(`fault landed (${input.landing.source}: ${input.landing.evidence[0] ?? 'evidence'})`);

  const sufficient = input.checks.filter((c) => c.sufficient);
  const insufficient = input.checks.filter((c) => !c.sufficient);
  if (input.checks.length === 0) return done('INCONCLUSIVE-oracle-too-weak', 'no checks in the oracle');
  if (sufficient.length === 0) return done('INCONCLUSIVE-oracle-too-weak', `no check could judge: ${insufficient.map((c) => `${c.claimId}: ${c.insufficientReason}`).join('; ')}`);
  if (input.faultWindow.opsInvoked === 0) return done('INCONCLUSIVE-oracle-too-weak', 'no op invoked in the fault window');
  if (!input.faultWindow.covered) return done('INCONCLUSIVE-oracle-too-weak', 'the history does not cover the whole fault window');
  path.push(`${sufficient.length} of ${input.checks.length} checks sufficient, ${input.faultWindow.opsInvoked} ops in the fault window`);

  const failed = sufficient.filter((c) => !c.ok);
  if (failed.length) {
    path.push(`anomalies in ${failed.map((c) => c.claimId).join(', ')}`);
    if (input.rerun?.failedAgain) return done('FAIL-reproducible', 'same-seed re-run failed again');
    if (!input.rerun) return done('FAIL-nondeterministic', 'no same-seed re-run: reproducibility not shown');
    const other = input.rerun.otherVerdict;
    return done('FAIL-nondeterministic', other === undefined || other.startsWith('PASS') ? 'same-seed re-run passed' : `same-seed re-run gave ${other}: reproducibility not shown`);
  }
  path.push('no anomaly');

  const surface = [...insufficient.map((c) => `${c.claimId}: ${c.insufficientReason}`), ...input.checks.flatMap((c) => c.unexercised ?? []), ...(input.unexercised ?? [])];
  if (surface.length) return done('PARTIAL-surface', `surface not exercised: ${surface.slice(0, 5).join('; ')}`);
  const model = [...input.checks.flatMap((c) => (c.partialModel ? [`${c.claimId}: ${c.partialModel}`] : [])), ...(input.modelPartial ?? [])];
  if (model.length) return done('PARTIAL-model', `model checked only part: ${model.slice(0, 5).join('; ')}`);

  const minOps = input.minFaultOps ?? DEFAULT_MIN_FAULT_OPS;
  const shallow: string[] = [];
  if (input.faultWindow.opsInvoked < minOps) shallow.push(`only ${input.faultWindow.opsInvoked} ops in the fault window (hardening needs ${minOps})`);
  if (input.scaledDown) shallow.push('phases scaled down');
  if (shallow.length) return done('PASS-smoke', `shallow: ${shallow.join('; ')}`);
  return done('PASS-hardening', 'fault proven, complete history over the fault window, no anomaly');
}
