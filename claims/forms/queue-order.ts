/**
 * Queue order: records of acknowledged ops appear in the probe in the order
 * the workload saw them acknowledged. Only real-time order binds: if op A
 * was acknowledged before op B was even invoked, A's record must come first;
 * concurrent ops may land in either order. Records are read as a
 * subsequence: acknowledged ops missing from the probe are lost
 * acknowledgements (no-lost-ack's concern) and only counted here, and
 * records of other keys are skipped.
 */
import type { Op } from '../history.js';
import type { Anomaly } from '../check-result.js';
import { keyText, keyedOps, pick } from '../checkers/probe-records.js';
import { insufficient, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { entrypointSchema, probeSchema, selectorSchema } from './schema-parts.js';

/** The queue-order form. */
export const queueOrderForm: ClaimForm<'queue-order'> = {
  type: 'queue-order',
  description: 'records appear in the order the workload saw them acknowledged',
  schema: { properties: { probe: probeSchema, selector: selectorSchema, entrypoint: entrypointSchema }, required: ['probe', 'selector'] },
  entrypoints: (c) => (c.entrypoint === undefined ? [] : [c.entrypoint]),
  probe: (c) => c.probe,
  reach: 'effect',
  watched: true,
  families: familiesOf('queue-order'),
  model: () => ({ model: 'prefix order of acknowledged keys', historyFields: ['key', 'ok', 'completeMs'] }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check(claimId, check, history) {
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
  },
  render: {
    text: (c) => `queue-order over ${c.probe} ${c.selector}${c.entrypoint ? ` for ${c.entrypoint}` : ''}`,
    subject: (c) => [c.probe, 'queue-order'],
    oracle: (c) => `reordered or re-delivered hand-offs break the prefix order in probe ${c.probe}`,
  },
};
