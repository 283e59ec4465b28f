/**
 * The checker shared by the exactly-once and no-lost-ack forms
 * (claims/forms/exactly-once.ts, no-lost-ack.ts). Every acknowledged op (ok=true)
 * must have exactly one matching record (exactly-once) or at least one
 * (no-lost-ack), keyed by its request key or a value built from it
 * (`ord-{{key}}`). An op that timed out or failed may or may not have taken
 * effect, so it may have 0 or 1 records — but never 2 under exactly-once.
 */
import type { ClaimCheck } from '../claim.js';
import type { History } from '../history.js';
import type { Anomaly, CheckResult } from '../check-result.js';
import { keyedOps, keysOf, pick, tally } from './probe-records.js';
import { insufficient, report } from './report.js';

type RecordCheck = Extract<ClaimCheck, { type: 'exactly-once' | 'no-lost-ack' }>;

/** Check an exactly-once or no-lost-ack claim against the `after` dump. */
export function checkRecordsOfAcks(claimId: string, check: RecordCheck, history: History): CheckResult {
  const name = check.type;
  const picked = pick(history, 'after', check.probe, check.selector);
  if ('insufficient' in picked) return insufficient(claimId, name, picked.insufficient);
  const keyed = keyedOps(history, check.entrypoint);
  if ('insufficient' in keyed) return insufficient(claimId, name, keyed.insufficient);
  const counts = tally(picked.values);
  const acked = keyed.ops.filter((o) => o.ok);
  if (acked.length === 0) return insufficient(claimId, name, 'no op was acknowledged', keyed.ops.length);
  const anomalies: Anomaly[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const op of keyed.ops) {
    const key = op.key as string;
    const n = keysOf(op).reduce((sum, k) => sum + (counts.get(k) ?? 0), 0);
    if (op.ok && n === 0) {
      lost++;
      anomalies.push({ message: `acknowledged op ${op.id} (key ${key}) has no record`, ops: [op.id], key });
    } else if (name === 'exactly-once' && n > 1) {
      duplicated++;
      const what = op.ok ? 'acknowledged' : op.timeout ? 'timed-out' : 'failed';
      anomalies.push({ message: `${what} op ${op.id} (key ${key}) has ${n} records`, ops: [op.id], key });
    }
  }
  const extra = [`${acked.length} acknowledged`, `${lost} lost`, ...(name === 'exactly-once' ? [`${duplicated} duplicated`] : [])];
  return report({ claimId, checker: name, consumed: keyed.ops.length, anomalies, extra });
}
