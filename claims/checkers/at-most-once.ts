/**
 * At most once: no two records in the probe share a key the workload
 * generated. Records whose key the workload never generated (seed data,
 * other clients) are ignored and counted, never judged.
 */
import type { ClaimCheck } from '../claim.js';
import type { History } from '../history.js';
import type { Anomaly, CheckResult } from '../check-result.js';
import { keyText, pick } from './probe-records.js';
import { insufficient, report } from './report.js';

type AtMostOnceCheck = Extract<ClaimCheck, { type: 'at-most-once' }>;

/** Check an at-most-once claim against the `after` dump. */
export function checkAtMostOnce(claimId: string, check: AtMostOnceCheck, history: History): CheckResult {
  const name = 'at-most-once';
  const picked = pick(history, 'after', check.probe, check.selector);
  if ('insufficient' in picked) return insufficient(claimId, name, picked.insufficient);
  const ops = history.ops.filter((o) => o.key !== undefined && (check.entrypoint === undefined || o.type === check.entrypoint));
  const generated = new Set(history.generatedKeys ?? ops.map((o) => o.key as string));
  if (generated.size === 0) return insufficient(claimId, name, 'the workload generated no request keys');
  const seen = new Map<string, number>();
  let ignored = 0;
  for (const v of picked.values) {
    const k = keyText(v);
    if (!generated.has(k)) ignored++;
    else seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const opsByKey = new Map<string, number[]>();
  for (const o of ops) opsByKey.set(o.key as string, [...(opsByKey.get(o.key as string) ?? []), o.id]);
  const anomalies: Anomaly[] = [];
  for (const [key, n] of seen) {
    if (n > 1) anomalies.push({ message: `key ${key} has ${n} records`, key, ops: opsByKey.get(key) });
  }
  return report({
    claimId,
    checker: name,
    consumed: picked.values.length,
    noun: 'records',
    anomalies,
    extra: ignored ? [`ignored ${ignored} records with keys the workload did not generate`] : [],
  });
}
