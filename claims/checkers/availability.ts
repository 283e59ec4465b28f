/**
 * Availability: the error rate of an entrypoint's ops invoked in a phase
 * stays at or under a bound. A timeout is unavailability from the user's
 * view, so it counts as an error here; it is also reported separately so a
 * reviewer can tell "answered 503" from "never answered".
 */
import type { ClaimCheck } from '../claim.js';
import type { History } from '../history.js';
import { opsIn } from '../phase-metrics.js';
import type { CheckResult } from '../check-result.js';
import { insufficient, MIN_OPS, report } from './report.js';

type AvailabilityCheck = Extract<ClaimCheck, { type: 'availability' }>;

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** Check an availability claim over the ops of its phase. */
export function checkAvailability(claimId: string, check: AvailabilityCheck, history: History): CheckResult {
  const name = 'availability';
  const ops = opsIn(history, check.phase, check.entrypoint);
  if (ops.length === 0) return insufficient(claimId, name, `no ops of ${check.entrypoint} in the ${check.phase} phase`);
  if (ops.length < MIN_OPS) return insufficient(claimId, name, `only ${ops.length} ops of ${check.entrypoint} in the ${check.phase} phase (need ${MIN_OPS})`, ops.length);
  const failed = ops.filter((o) => !o.ok);
  const timeouts = failed.filter((o) => o.timeout).length;
  const rate = failed.length / ops.length;
  const detail = `error rate ${pct(rate)} (limit ${pct(check.maxErrorRate)}): ${failed.length - timeouts} errors, ${timeouts} timeouts`;
  const anomalies =
    rate <= check.maxErrorRate
      ? []
      : [{ message: `error rate of ${check.entrypoint} in the ${check.phase} phase was ${pct(rate)} > ${pct(check.maxErrorRate)}`, ops: failed.map((o) => o.id) }];
  return report({ claimId, checker: name, consumed: ops.length, anomalies, extra: [detail] });
}
