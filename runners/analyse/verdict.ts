/**
 * The one decision tree that assigns a scenario its verdict (docs/architecture.md
 * "Verdicts and blame"). First matching rule wins, in this order:
 *
 *  1. envProblem set (precheck failed, proxy down)       → INCONCLUSIVE-env
 *  2. lasting damage: something healthy in the baseline
 *     did not come back after the fault (whatever claim
 *     the scenario targeted):
 *     the same-seed re-run left the system healthy       → FAIL-nondeterministic
 *     otherwise — damaged again, or it could not even
 *     run because the system stayed down                 → FAIL-reproducible
 *  3. landing not proven from data                       → INCONCLUSIVE-fault-not-proven
 *  4. the oracle cannot judge the fault:                 → INCONCLUSIVE-oracle-too-weak
 *     no checks; no check sufficient; no op invoked in
 *     the fault window; the history stops before the
 *     fault window ends (the driver did not run through
 *     it); or the only anomalies are in effects read
 *     before the system was quiescent
 *  5. a sufficient check found an anomaly:
 *     the same-seed re-run failed again                  → FAIL-reproducible
 *     otherwise (passed on re-run, or no re-run)         → FAIL-nondeterministic
 *  6. a halting guard removed the fault early: the       → INCONCLUSIVE-oracle-too-weak
 *     claim was not tested for the planned fault
 *  7. part of the claim's surface was not exercised
 *     (a check insufficient while others judged, or a
 *     check lists unexercised entrypoints/keys)          → PARTIAL-surface
 *  8. the model checked only part (search gave up, or
 *     the claim is only partly machine-checkable)        → PARTIAL-model
 *  9. no anomaly; hardening needs the fault proven from
 *     data, ≥ minFaultOps ops invoked in the fault
 *     window, full-length phases and effects read once
 *     the system was quiescent                            → PASS-hardening
 * 10. otherwise (shallow)                                 → PASS-smoke
 *
 * Rule 4 comes before FAIL on purpose: an anomaly in a history that does not
 * cover the fault is not evidence about the fault. A FAIL found by one
 * sufficient check is not hidden by another check being insufficient.
 * A system dead after the fault is FAIL-reproducible even when its re-run
 * could not run: re-running is impossible precisely because it stayed down.
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
  /**
   * Outcome of the same-seed re-runs of a FAIL, absent when none was made:
   * whether the last one failed again, what it gave when it did not (a PASS,
   * or an INCONCLUSIVE that shows nothing), and how many were made.
   */
  rerun?: { failedAgain: boolean; otherVerdict?: Verdict; runs?: number };
  /** Parts of the claim's surface not exercised, beyond what checks report. */
  unexercised?: string[];
  /** Why only part of the claim could be checked by a model, beyond what checks report. */
  modelPartial?: string[];
  /** True when the phases were scaled down (a quick run). */
  scaledDown?: boolean;
  minFaultOps?: number;
  /** Lasting damage lines (`entrypoint orders: ECONNREFUSED since …`) and what the same-seed re-run showed. */
  damage?: { lines: string[]; rerun?: 'damaged-again' | 'could-not-run' | 'healthy' };
  /** The halting condition that removed the fault early, with how long the fault lasted. */
  halted?: string;
  /** Whether the after-dump was read once nothing was in flight. */
  quiescence?: { reached: boolean; detail?: string };
  /** Claim ids whose checks read probe dumps (effects). */
  effectClaims?: string[];
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
  if (input.damage && input.damage.lines.length > 0) {
    path.push(`the system did not come back after the fault: ${input.damage.lines.join('; ')}`);
    if (input.damage.rerun === 'healthy') return done('FAIL-nondeterministic', 'same-seed re-run left the system healthy');
    if (input.damage.rerun === 'damaged-again') return done('FAIL-reproducible', 'same-seed re-run damaged it again');
    return done('FAIL-reproducible', 'the system did not come back, so re-running on the same seed cannot be done: a dead system after the fault is reproducible by definition');
  }
  if (!input.landing.proven || input.landing.source === 'none') return done('INCONCLUSIVE-fault-not-proven', 'fault landing not proven from data');
  path.push(`fault landed (${input.landing.source}: ${input.landing.evidence[0] ?? 'evidence'})`);

  const sufficient = input.checks.filter((c) => c.sufficient);
  const insufficient = input.checks.filter((c) => !c.sufficient);
  if (input.checks.length === 0) return done('INCONCLUSIVE-oracle-too-weak', 'no checks in the oracle');
  if (sufficient.length === 0) return done('INCONCLUSIVE-oracle-too-weak', `no check could judge: ${insufficient.map((c) => `${c.claimId}: ${c.insufficientReason}`).join('; ')}`);
  if (input.faultWindow.opsInvoked === 0) return done('INCONCLUSIVE-oracle-too-weak', 'no op invoked in the fault window');
  if (!input.faultWindow.covered) return done('INCONCLUSIVE-oracle-too-weak', 'the history does not cover the whole fault window');
  path.push(`${sufficient.length} of ${input.checks.length} checks sufficient, ${input.faultWindow.opsInvoked} ops in the fault window`);

  const early = input.quiescence && !input.quiescence.reached;
  const effects = new Set(input.effectClaims ?? []);
  const earlyReads = early ? sufficient.filter((c) => effects.has(c.claimId)) : [];
  const failedAll = sufficient.filter((c) => !c.ok);
  const failed = failedAll.filter((c) => !earlyReads.includes(c));
  if (failedAll.length > 0 && failed.length === 0) {
    return done('INCONCLUSIVE-oracle-too-weak', `effects read before the system was quiescent (${input.quiescence?.detail ?? 'still moving'}): anomalies in ${failedAll.map((c) => c.claimId).join(', ')} may be work still in flight`);
  }
  if (failed.length) {
    path.push(`anomalies in ${failed.map((c) => c.claimId).join(', ')}`);
    const runs = input.rerun?.runs ?? 1;
    if (input.rerun?.failedAgain) return done('FAIL-reproducible', runs > 1 ? `same-seed re-run ${runs} failed again (${runs - 1} before it passed)` : 'same-seed re-run failed again');
    if (!input.rerun) return done('FAIL-nondeterministic', 'no same-seed re-run: reproducibility not shown');
    const other = input.rerun.otherVerdict;
    const reruns = runs > 1 ? `${runs} same-seed re-runs` : 'same-seed re-run';
    return done('FAIL-nondeterministic', other === undefined || other.startsWith('PASS') ? `${reruns} passed` : `${reruns === 'same-seed re-run' ? reruns : `last of ${reruns}`} gave ${other}: reproducibility not shown`);
  }
  path.push('no anomaly');
  if (input.halted) return done('INCONCLUSIVE-oracle-too-weak', `not tested: the halting guard removed the fault early (${input.halted})`);

  const surface = [...insufficient.map((c) => `${c.claimId}: ${c.insufficientReason}`), ...input.checks.flatMap((c) => c.unexercised ?? []), ...(input.unexercised ?? [])];
  if (surface.length) return done('PARTIAL-surface', `surface not exercised: ${surface.slice(0, 5).join('; ')}`);
  const model = [...input.checks.flatMap((c) => (c.partialModel ? [`${c.claimId}: ${c.partialModel}`] : [])), ...(input.modelPartial ?? [])];
  if (model.length) return done('PARTIAL-model', `model checked only part: ${model.slice(0, 5).join('; ')}`);

  const minOps = input.minFaultOps ?? DEFAULT_MIN_FAULT_OPS;
  const shallow: string[] = [];
  if (input.faultWindow.opsInvoked < minOps) shallow.push(`only ${input.faultWindow.opsInvoked} ops in the fault window (hardening needs ${minOps})`);
  if (input.scaledDown) shallow.push('phases scaled down');
  if (earlyReads.length) shallow.push(`effects of ${earlyReads.map((c) => c.claimId).join(', ')} read before the system was quiescent`);
  if (shallow.length) return done('PASS-smoke', `shallow: ${shallow.join('; ')}`);
  return done('PASS-hardening', 'fault proven, complete history over the fault window, no anomaly');
}
