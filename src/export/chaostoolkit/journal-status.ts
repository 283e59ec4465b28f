/**
 * faultline's nine verdicts in a Chaos Toolkit journal's terms. chaoslib
 * (run.py) sets `status` to "completed" when the experiment was carried
 * out, whatever it found; a steady state not met after the method is
 * `deviated: true` with status "completed"; "failed" when a probe could not
 * run at all (the system unreachable); "aborted" when something stopped the
 * method. faultline's verdicts say the same things in more detail:
 *
 * | verdict | status | deviated |
 * |---|---|---|
 * | PASS-hardening, PASS-smoke | completed | false |
 * | FAIL-reproducible, FAIL-nondeterministic | completed | true |
 * | INCONCLUSIVE-env (and scenarios not run) | failed | false |
 * | INCONCLUSIVE-oracle-too-weak, INCONCLUSIVE-fault-not-proven, PARTIAL-surface, PARTIAL-model | completed | false |
 * | any verdict whose fault a halting guard removed early | aborted | as above |
 *
 * The exact verdict, its decision path and blame travel in the journal's
 * experiment, in the faultline extension.
 */
import type { ScenarioResult, Verdict } from '../../../runners/record/result.js';
import type { CtkStatus } from './format.js';

/** Status and deviation of one verdict, before a halting guard's abort is taken into account. */
export const VERDICT_JOURNAL: Readonly<Record<Verdict, { status: CtkStatus; deviated: boolean }>> = {
  'PASS-hardening': { status: 'completed', deviated: false },
  'PASS-smoke': { status: 'completed', deviated: false },
  'FAIL-reproducible': { status: 'completed', deviated: true },
  'FAIL-nondeterministic': { status: 'completed', deviated: true },
  'INCONCLUSIVE-env': { status: 'failed', deviated: false },
  'INCONCLUSIVE-oracle-too-weak': { status: 'completed', deviated: false },
  'INCONCLUSIVE-fault-not-proven': { status: 'completed', deviated: false },
  'PARTIAL-surface': { status: 'completed', deviated: false },
  'PARTIAL-model': { status: 'completed', deviated: false },
};

/** The journal status and deviation of one scenario result. */
export function journalStatus(r: ScenarioResult): { status: CtkStatus; deviated: boolean } {
  const base = VERDICT_JOURNAL[r.verdict];
  return r.abort ? { ...base, status: 'aborted' } : base;
}

/** True when the method ran: neither the environment nor a system already down kept the scenario from starting. */
export function methodRan(r: ScenarioResult): boolean {
  return !r.notRun && !r.envProblem;
}
