/**
 * Queue order: records of acknowledged ops appear in the probe in the order
 * the workload saw them acknowledged. Only real-time order binds: if op A
 * was acknowledged before op B was even invoked, A's record must come first;
 * concurrent ops may land in either order. Records are read as a
 * subsequence: acknowledged ops missing from the probe are lost
 * acknowledgements (no-lost-ack's concern) and only counted here, and
 * records of other keys are skipped.
 */
import type { ClaimCheck } from '../claim.js';
import type { History, Op } from '../history.js';
import type { Anomaly, CheckResult } from '../check-result.js';
import { keyText, keyedOps, pick } from './probe-records.js';
import { insufficient, report } from './report.js';

type QueueOrderCheck = Extract<ClaimCheck, { type: 'queue-order' }>;

/** Check a queue-order claim against the `after` dump. */
export function checkQueueOrder(claimId: string, check: QueueOrderCheck, history: History): CheckResult {
  const name = 'queue-order';
  const picked = pick(history, 'after', check.probe, check.selector);
  if ('insufficient' in picked) return insufficient(claimId, name, picked.insufficient);
  const keyed = keyedOps(history, check.entrypoint);
  if ('insufficient' in keyed) return insufficient(claimId, name, keyed.insufficient);
  const acked = new Map<string, Op>();
  for (const o of keyed.ops) if (o.ok) acked.set(o.key as string, o);
  if (acked.size === 0) return insufficient(claimId, name, 'no op was acknowledged', keyed.ops.length);

  // Walk records in queue order, remembering the latest-invoked op so far:
  // a record whose op was acknowledged before that op was invoked is out of order.
  const anomalies: Anomaly[] = [];
  const placed = new Set<string>();
  let latest: Op | undefined;
  for (const v of picked.values) {
    const key = keyText(v);
    const op = acked.get(key);
    if (!op || placed.has(key)) continue;
    placed.add(key);
    if (latest && op.completeMs < latest.invokeMs) {
      anomalies.push({ message: `op ${op.id} (key ${key}) was acknowledged before op ${latest.id} (key ${latest.key}) was invoked but is queued after it`, ops: [latest.id, op.id], key });
    }
    if (!latest || op.invokeMs > latest.invokeMs) latest = op;
  }
  const missing = acked.size - placed.size;
  if (placed.size === 0) return insufficient(claimId, name, `none of the ${acked.size} acknowledged ops has a record in probe ${check.probe}`, 0);
  return report({ claimId, checker: name, consumed: placed.size, noun: 'records', anomalies, extra: missing ? [`${missing} acknowledged ops not in the probe`] : [] });
}
