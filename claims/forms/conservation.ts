/**
 * Conservation: a sum (or count) over a probe equals its value before the
 * run, read from the `after` dump taken once nothing is in flight.
 */
import { pick } from '../checkers/probe-records.js';
import { insufficient, report } from '../checkers/report.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { probeSchema, selectorSchema } from './schema-parts.js';

function aggregate(values: unknown[], how: 'sum' | 'count'): number | string {
  if (how === 'count') return values.length;
  let total = 0;
  for (const v of values) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) return `a non-numeric value ${JSON.stringify(v)}`;
    total += n;
  }
  return total;
}

/** The conservation form. */
export const conservationForm: ClaimForm<'conservation'> = {
  type: 'conservation',
  description: 'a sum (or count) over a probe equals its value before the run',
  schema: { properties: { probe: probeSchema, selector: selectorSchema, aggregate: { enum: ['sum', 'count'] } }, required: ['probe', 'selector'] },
  entrypoints: () => [],
  probe: (c) => c.probe,
  reach: 'state',
  watched: true,
  families: familiesOf('conservation'),
  model: (c) => ({ model: `${c.aggregate ?? 'sum'} invariant over the probe before/after quiescence`, historyFields: ['ok', 'timeout', 'completeMs'] }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check(claimId, check, history) {
    const name = 'conservation';
    const how = check.aggregate ?? 'sum';
    const before = pick(history, 'before', check.probe, check.selector);
    if ('insufficient' in before) return insufficient(claimId, name, before.insufficient);
    const after = pick(history, 'after', check.probe, check.selector);
    if ('insufficient' in after) return insufficient(claimId, name, after.insufficient);
    const b = aggregate(before.values, how);
    const a = aggregate(after.values, how);
    if (typeof b === 'string') return insufficient(claimId, name, `the before dump has ${b} under ${check.selector}`);
    if (typeof a === 'string') return insufficient(claimId, name, `the after dump has ${a} under ${check.selector}`);
    // Sums of decimals (prices) are compared with a relative tolerance for float rounding.
    const same = Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    const anomalies = same ? [] : [{ message: `${how} over ${check.probe} ${check.selector} was ${b} before and ${a} after (${a - b > 0 ? '+' : ''}${a - b})` }];
    return report({ claimId, checker: name, consumed: before.values.length + after.values.length, noun: 'records', anomalies, extra: [`${how} ${b} before, ${a} after`] });
  },
  render: {
    text: (c) => `${c.aggregate ?? 'sum'}(${c.probe} ${c.selector}) unchanged`,
    subject: (c) => [c.probe, 'conservation'],
    oracle: (c) => `a write reset mid-flight that is half-applied changes the ${c.aggregate ?? 'sum'} over probe ${c.probe}`,
  },
};
