/**
 * Recovery bound: after the fault ends the entrypoint is back inside its
 * baseline band (claims/recovery.ts) within `withinMs`.
 */
import type { ClaimCheck } from '../claim.js';
import type { RecoverySettings } from '../claim.js';
import type { History } from '../history.js';
import { opsIn } from '../phase-metrics.js';
import { measureRecovery } from '../recovery.js';
import type { CheckResult } from '../check-result.js';
import { insufficient, MIN_OPS, report } from './report.js';

type RecoveryCheck = Extract<ClaimCheck, { type: 'recovery' }>;

/** Check a recovery claim. */
export function checkRecoveryBound(claimId: string, check: RecoveryCheck, history: History, settings: RecoverySettings): CheckResult {
  const name = 'recovery';
  const base = opsIn(history, 'baseline', check.entrypoint).length;
  if (base < MIN_OPS) return insufficient(claimId, name, `only ${base} baseline ops of ${check.entrypoint}: no band to recover to (need ${MIN_OPS})`, base);
  const after = history.ops.filter((o) => o.type === check.entrypoint && o.invokeMs >= history.phases.fault.endMs).length;
  if (after < MIN_OPS) return insufficient(claimId, name, `only ${after} ops of ${check.entrypoint} after the fault ended (need ${MIN_OPS})`, base + after);
  const r = measureRecovery(history, check.entrypoint, settings);
  const anomalies =
    r.recoveredAfterMs === null
      ? [{ message: `${check.entrypoint} ${r.note ?? 'did not recover'} (band ${r.band}; claim: within ${check.withinMs} ms)` }]
      : r.recoveredAfterMs > check.withinMs
        ? [{ message: `${check.entrypoint} recovered after ${r.recoveredAfterMs} ms > ${check.withinMs} ms (band ${r.band})` }]
        : [];
  const extra = [r.recoveredAfterMs === null ? 'not recovered' : `recovered after ${r.recoveredAfterMs} ms (limit ${check.withinMs} ms)`];
  return report({ claimId, checker: name, consumed: base + after, anomalies, extra });
}
