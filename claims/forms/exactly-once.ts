/**
 * Exactly once: every acknowledged op has exactly one matching record in
 * the probe; an op that failed or timed out may have 0 or 1, never 2
 * (checker: claims/checkers/acked-records.ts, shared with no-lost-ack).
 */
import { checkRecordsOfAcks } from '../checkers/acked-records.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { entrypointSchema, probeSchema, selectorSchema } from './schema-parts.js';

/** The exactly-once form. */
export const exactlyOnceForm: ClaimForm<'exactly-once'> = {
  type: 'exactly-once',
  description: 'every acknowledged op has exactly one record in a probe',
  schema: { properties: { probe: probeSchema, selector: selectorSchema, entrypoint: entrypointSchema }, required: ['probe', 'selector'] },
  entrypoints: (c) => (c.entrypoint === undefined ? [] : [c.entrypoint]),
  probe: (c) => c.probe,
  reach: 'effect',
  watched: true,
  families: familiesOf('exactly-once'),
  model: () => ({ model: 'acknowledged keys map one-to-one onto records', historyFields: ['key', 'ok', 'timeout', 'status'] }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check: (claimId, check, history) => checkRecordsOfAcks(claimId, check, history),
  render: {
    text: (c) => `exactly-once over ${c.probe} ${c.selector}${c.entrypoint ? ` for ${c.entrypoint}` : ''}`,
    subject: (c) => [c.probe, 'exactly-once'],
    oracle: (c) => `lost answers and caller timeouts force re-sends with the same key, and dropped hand-offs lose work, so a missing or second record for a key in probe ${c.probe} is a counterexample`,
  },
};
