import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import type { ClaimCheck } from '../../claims/claim.js';
import type { History } from '../../claims/history.js';
import { runCheck } from '../../claims/checkers/index.js';
import { CLAIM_FORMS, CLAIM_TYPES, checkText, formOf, renderClaimFormTable } from '../../claims/forms/index.js';
import { claimCheckSchema } from '../../generators/claim-schema.js';

const EXAMPLES: Record<ClaimCheck['type'], ClaimCheck> = {
  latency: { type: 'latency', entrypoint: 'checkout', percentile: 99, thresholdMs: 800, phase: 'fault' },
  availability: { type: 'availability', entrypoint: 'stock', maxErrorRate: 0.01, phase: 'fault', degraded: 'cache' },
  recovery: { type: 'recovery', entrypoint: 'checkout', withinMs: 5000 },
  'at-most-once': { type: 'at-most-once', probe: 'charges', selector: '$.charges[*].orderKey', entrypoint: 'checkout' },
  'exactly-once': { type: 'exactly-once', probe: 'emails', selector: '$.emails[*].orderKey' },
  'no-lost-ack': { type: 'no-lost-ack', probe: 'emails', selector: '$.emails[*].orderKey', entrypoint: 'checkout' },
  conservation: { type: 'conservation', probe: 'stock', selector: '$.stock[*].qty', aggregate: 'sum' },
  'queue-order': { type: 'queue-order', probe: 'emails', selector: '$.emails[*].orderKey' },
  linearizable: { type: 'linearizable', model: 'kv', readEntrypoint: 'get', writeEntrypoint: 'put', valueSelector: '$.value' },
};

const empty: History = {
  schemaVersion: 1,
  startedAtUnixMs: 0,
  ops: [],
  phases: { baseline: { startMs: 0, endMs: 1000 }, fault: { startMs: 1000, endMs: 2000 }, recovery: { startMs: 2000, endMs: 3000 } },
  probes: { before: {}, after: {} },
};

describe('claim forms', () => {
  it('registers one form per check type, each under its own name', () => {
    expect(CLAIM_TYPES).toEqual(['latency', 'availability', 'recovery', 'at-most-once', 'exactly-once', 'no-lost-ack', 'conservation', 'queue-order', 'linearizable']);
    for (const t of CLAIM_TYPES) expect(CLAIM_FORMS[t].type).toBe(t);
  });

  it('derives the check schema from the forms: every example validates, an unknown key or a missing required one does not', () => {
    const validate = new Ajv({ discriminator: true, allErrors: false }).compile(claimCheckSchema);
    expect(claimCheckSchema.oneOf).toHaveLength(CLAIM_TYPES.length);
    for (const t of CLAIM_TYPES) {
      expect(validate(EXAMPLES[t]), `${t}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate({ ...EXAMPLES[t], extra: 1 }), t).toBe(false);
      for (const key of CLAIM_FORMS[t].schema.required) {
        const { [key]: _, ...missing } = EXAMPLES[t] as unknown as Record<string, unknown>;
        expect(validate(missing), `${t} without ${key}`).toBe(false);
      }
    }
    expect(validate({ ...EXAMPLES['at-most-once'], degraded: 'cache' })).toBe(false);
  });

  it('dispatches every form to its own checker, which answers insufficient on an empty history rather than throwing', () => {
    const settings = { windowMs: 1000, bandFactor: 1.5, errorSlack: 0.05, holdMs: 2000 };
    for (const t of CLAIM_TYPES) {
      const r = runCheck({ claimId: 'c', check: EXAMPLES[t] }, empty, settings);
      expect(r.sufficient, t).toBe(false);
      expect(r.checker.startsWith(t), `${t} → ${r.checker}`).toBe(true);
    }
  });

  it('renders each check in one line, names its scenario subject and says why its oracle can tell', () => {
    expect(checkText(EXAMPLES.latency)).toBe('p99(checkout) < 800 ms in fault');
    expect(checkText(EXAMPLES['no-lost-ack'])).toBe('no-lost-ack over emails $.emails[*].orderKey for checkout');
    expect(checkText(EXAMPLES.conservation)).toBe('sum(stock $.stock[*].qty) unchanged');
    for (const t of CLAIM_TYPES) {
      const form = formOf(EXAMPLES[t]);
      expect(form.render.subject(EXAMPLES[t]).length, t).toBeGreaterThan(0);
      expect(form.render.oracle(EXAMPLES[t]).length, t).toBeGreaterThan(20);
      expect(form.description.length, t).toBeGreaterThan(10);
      expect(form.model(EXAMPLES[t]).historyFields.length, t).toBeGreaterThan(0);
    }
    expect(formOf(EXAMPLES['at-most-once']).probe(EXAMPLES['at-most-once'])).toBe('charges');
    expect(formOf(EXAMPLES.linearizable).entrypoints(EXAMPLES.linearizable)).toEqual(['put', 'get']);
    const table = renderClaimFormTable().split('\n');
    expect(table).toHaveLength(2 + CLAIM_TYPES.length);
    expect(table).toContain('| `latency` | pNN of an entrypoint stays under `thresholdMs` in a phase |');
  });

  it('ties safety forms to the edges that hand work to the probe, SLO forms to the traffic, invariants to the state', () => {
    expect(CLAIM_TYPES.filter((t) => CLAIM_FORMS[t].reach === 'effect')).toEqual(['at-most-once', 'exactly-once', 'no-lost-ack', 'queue-order']);
    expect(CLAIM_TYPES.filter((t) => CLAIM_FORMS[t].reach === 'state')).toEqual(['conservation']);
  });
});
