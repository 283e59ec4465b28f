/**
 * At most once: no two records in the probe share a key the workload
 * generated. Records whose key the workload never generated (seed data,
 * other clients) are ignored and counted, never judged.
 */
import type { Anomaly } from '../check-result.js';
import { keyText, pick } from '../checkers/probe-records.js';
import { insufficient, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { entrypointSchema, probeSchema, selectorSchema } from './schema-parts.js';

/** The at-most-once form. */
export const atMostOnceForm: ClaimForm<'at-most-once'> = {
  type: 'at-most-once',
  description: 'no two records in a probe share a key the workload generated',
  schema: { properties: { probe: probeSchema, selector: selectorSchema, entrypoint: entrypointSchema }, required: ['probe', 'selector'] },
  entrypoints: (c) => (c.entrypoint === undefined ? [] : [c.entrypoint]),
  probe: (c) => c.probe,
  reach: 'effect',
  families: familiesOf('at-most-once'),
  model: () => ({ model: 'unique-key set: at most one record per generated key', historyFields: ['key', 'ok', 'timeout'] }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check(claimId, check, history) {
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
  },
  render: {
    text: (c) => `at-most-once over ${c.probe} ${c.selector}${c.entrypoint ? ` for ${c.entrypoint}` : ''}`,
    subject: (c) => [c.probe, 'at-most-once'],
    oracle: (c) => `a caller that loses the answer or gives up on a slow callee re-sends with the same key, so a second record for a generated key in probe ${c.probe} is a counterexample`,
  },
};
