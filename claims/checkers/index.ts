/**
 * The oracle: run each check of a scenario over its history, one checker
 * module per claim form. Pure: values in, CheckResults out. A check that
 * cannot do its job says so (`sufficient: false`) instead of throwing, so
 * one bad claim never hides the others' results.
 */
import type { OracleCheck, RecoverySettings } from '../claim.js';
import type { History } from '../history.js';
import type { CheckResult } from '../check-result.js';
import { checkAtMostOnce } from './at-most-once.js';
import { checkAvailability } from './availability.js';
import { checkConservation } from './conservation.js';
import { checkRecordsOfAcks } from './exactly-once.js';
import { checkLatency } from './latency.js';
import { checkLinearizable } from './linearizability.js';
import { checkQueueOrder } from './queue-order.js';
import { checkRecoveryBound } from './recovery-bound.js';
import { insufficient } from './report.js';

/** Run one check. */
export function runCheck(oc: OracleCheck, history: History, settings: RecoverySettings): CheckResult {
  const { claimId, check } = oc;
  switch (check.type) {
    case 'latency':
      return checkLatency(claimId, check, history);
    case 'availability':
      return checkAvailability(claimId, check, history);
    case 'recovery':
      return checkRecoveryBound(claimId, check, history, settings);
    case 'at-most-once':
      return checkAtMostOnce(claimId, check, history);
    case 'exactly-once':
    case 'no-lost-ack':
      return checkRecordsOfAcks(claimId, check, history);
    case 'conservation':
      return checkConservation(claimId, check, history);
    case 'queue-order':
      return checkQueueOrder(claimId, check, history);
    case 'linearizable':
      return checkLinearizable(claimId, check, history);
    default:
      return insufficient(claimId, String((check as { type?: unknown }).type), `no checker for claim form ${JSON.stringify((check as { type?: unknown }).type)}`);
  }
}

/** Run every check of an oracle over the history, in oracle order. */
export function runChecks(oracle: OracleCheck[], history: History, settings: RecoverySettings): CheckResult[] {
  return oracle.map((oc) => runCheck(oc, history, settings));
}
