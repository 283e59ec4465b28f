/**
 * Linearizable: operations on a read and a write entrypoint form a
 * linearizable register, or a per-key map history. The search itself lives
 * in claims/checkers/linearizability.ts (and linearization-search.ts),
 * which the benchmark drives directly.
 */
import { checkLinearizable } from '../checkers/linearizability.js';
import { familiesOf } from '../fault-repertoire.js';
import type { ClaimForm } from './form.js';
import { entrypointSchema, selectorSchema } from './schema-parts.js';

/** The linearizable form. */
export const linearizableForm: ClaimForm<'linearizable'> = {
  type: 'linearizable',
  description: 'a register or per-key map history is linearizable (timeouts may have happened)',
  schema: {
    properties: { model: { enum: ['register', 'kv'] }, readEntrypoint: entrypointSchema, writeEntrypoint: entrypointSchema, valueSelector: selectorSchema },
    required: ['model', 'readEntrypoint', 'writeEntrypoint'],
  },
  entrypoints: (c) => [...new Set([c.writeEntrypoint, c.readEntrypoint])],
  probe: () => undefined,
  reach: 'traffic',
  watched: false,
  families: familiesOf('linearizable'),
  model: (c) => ({
    model: c.model === 'register' ? 'linearizable register' : 'linearizable per-key map',
    historyFields: ['process', 'type', 'key', 'resource', 'input', 'output', 'invokeMs', 'completeMs', 'ok', 'timeout'],
  }),
  observedPhases: () => ['baseline', 'fault', 'recovery'],
  check: (claimId, check, history) => checkLinearizable(claimId, check, history),
  render: {
    text: (c) => `${c.model} linearizable (write ${c.writeEntrypoint}, read ${c.readEntrypoint})`,
    subject: (c) => [c.writeEntrypoint, 'linearizable'],
    oracle: (c) => `indeterminate writes (timed out or reset after delivery) give the ${c.model} checker histories where a stale read is a counterexample`,
  },
};
