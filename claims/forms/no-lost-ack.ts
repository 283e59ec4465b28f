/**
 * No lost acknowledgement: every acknowledged op has at least one matching
 * record in the probe (checker: claims/checkers/acked-records.ts).
 */
import { checkRecordsOfAcks } from '../checkers/acked-records.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { entrypointSchema, probeSchema, selectorSchema } from './schema-parts.js';

/** The no-lost-ack form. */
export const noLostAckForm: ClaimForm<'no-lost-ack'> = {
  type: 'no-lost-ack',
  description: 'every acknowledged op has at least one record in a probe',
  schema: { properties: { probe: probeSchema, selector: selectorSchema, entrypoint: entrypointSchema }, required: ['probe', 'selector'] },
  entrypoints: (c) => (c.entrypoint === undefined ? [] : [c.entrypoint]),
  probe: (c) => c.probe,
  reach: 'effect',
  watched: true,
  families: familiesOf('no-lost-ack'),
  model: () => ({ model: 'acknowledged set ⊆ recorded set', historyFields: ['key', 'ok', 'timeout', 'status'] }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check: (claimId, check, history) => checkRecordsOfAcks(claimId, check, history),
  render: {
    text: (c) => `no-lost-ack over ${c.probe} ${c.selector}${c.entrypoint ? ` for ${c.entrypoint}` : ''}`,
    subject: (c) => [c.probe, 'no-lost-ack'],
    oracle: (c) => `a hand-off that fails after the caller acknowledged loses the work, so an acknowledged key without a record in probe ${c.probe} is a counterexample`,
  },
};
