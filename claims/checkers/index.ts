/**
 * The oracle: run each check of a scenario over its history, through the
 * checker of its claim form (claims/forms/). Pure: values in, CheckResults
 * out. A check that cannot do its job says so (`sufficient: false`) instead
 * of throwing, so one bad claim never hides the others' results.
 */
import type { OracleCheck, RecoverySettings } from '../claim.js';
import type { History } from '../history.js';
import type { CheckResult } from '../check-result.js';
import { formOf, isClaimType } from '../forms/index.js';
import { insufficient } from './report.js';

/** Run one check. */
export function runCheck(oc: OracleCheck, history: History, settings: RecoverySettings): CheckResult {
  const { claimId, check } = oc;
  // Every form has a checker (the compiler sees to it); only a hand-edited plan can name an unknown one.
  const type: unknown = (check as { type?: unknown }).type;
  if (!isClaimType(type)) return insufficient(claimId, String(type), `no checker for claim form ${JSON.stringify(type)}`);
  return formOf(check).check(claimId, check, history, settings);
}

/** Run every check of an oracle over the history, in oracle order. */
export function runChecks(oracle: OracleCheck[], history: History, settings: RecoverySettings): CheckResult[] {
  return oracle.map((oc) => runCheck(oc, history, settings));
}
