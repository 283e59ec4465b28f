/**
 * At most once: no two records in the probe share a key the workload
 * generated. A key is either the op's request key (a charge per order) or
 * a value the op sent, a body field or a path segment (a sale per seat:
 * the field's double booking after a lock or lease expired under its
 * holder). Records whose key the workload never generated or sent (seed
 * data, other clients) are ignored and counted, never judged; a sent
 * value counts against the scenario only when its records grew during it,
 * so a duplicate an earlier scenario left is not blamed on this one.
 */
import type { Anomaly } from '../check-result.js';
import type { Op } from '../history.js';
import { keyText, pick, sentValues, tally } from '../checkers/probe-records.js';
import { insufficient, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { entrypointSchema, probeSchema, selectorSchema } from './schema-parts.js';

/** The at-most-once form. */
export const atMostOnceForm: ClaimForm<'at-most-once'> = {
  type: 'at-most-once',
  description: 'no two records in a probe share a key the workload generated or a value it sent',
  schema: { properties: { probe: probeSchema, selector: selectorSchema, entrypoint: entrypointSchema }, required: ['probe', 'selector'] },
  entrypoints: (c) => (c.entrypoint === undefined ? [] : [c.entrypoint]),
  probe: (c) => c.probe,
  reach: 'effect',
  watched: true,
  families: familiesOf('at-most-once'),
  model: () => ({ model: 'unique-key set: at most one record per generated key or sent value', historyFields: ['key', 'input', 'path', 'ok', 'timeout'] }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check(claimId, check, history) {
    const name = 'at-most-once';
    const picked = pick(history, 'after', check.probe, check.selector);
    if ('insufficient' in picked) return insufficient(claimId, name, picked.insufficient);
    const ops = history.ops.filter((o) => o.key !== undefined && (check.entrypoint === undefined || o.type === check.entrypoint));
    const generated = new Set(history.generatedKeys ?? ops.map((o) => o.key as string));
    const sent = sentValues(history.ops.filter((o) => check.entrypoint === undefined || o.type === check.entrypoint));
    if (generated.size === 0 && sent.size === 0) return insufficient(claimId, name, 'the workload generated no request keys');
    const seen = new Map<string, number>();
    let ignored = 0;
    for (const v of picked.values) {
      const k = keyText(v);
      if (!generated.has(k) && !sent.has(k)) ignored++;
      else seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    const before = pick(history, 'before', check.probe, check.selector);
    const earlier = tally('values' in before ? before.values : []);
    const anomalies: Anomaly[] = [];
    let bySent = 0;
    for (const [key, n] of seen) {
      if (!generated.has(key)) bySent += n;
      // A sent value (a seat) may have been sold before this scenario: only a record added now is a second sale.
      if (n > 1 && (generated.has(key) || n > (earlier.get(key) ?? 0))) anomalies.push({ message: `key ${key} has ${n} records`, key, ops: generated.has(key) ? opsWithKey(ops, key) : sent.get(key) });
    }
    const extra: string[] = [];
    if (bySent > 0) extra.push(`${bySent} records keyed by values the requests sent`);
    if (ignored) extra.push(`ignored ${ignored} records with keys the workload did not generate`);
    return report({ claimId, checker: name, consumed: picked.values.length, noun: 'records', anomalies, extra });
  },
  render: {
    text: (c) => `at-most-once over ${c.probe} ${c.selector}${c.entrypoint ? ` for ${c.entrypoint}` : ''}`,
    subject: (c) => [c.probe, 'at-most-once'],
    oracle: (c) => `a caller that loses the answer or gives up on a slow callee re-sends with the same key, and a holder whose lock expired under a slow call acts next to the new holder, so a second record for a generated key or a value the requests sent (a seat, a slot) in probe ${c.probe} is a counterexample`,
  },
};

/** Ops whose request key is `key`. */
function opsWithKey(ops: readonly Op[], key: string): number[] {
  return ops.filter((o) => o.key === key).map((o) => o.id);
}
