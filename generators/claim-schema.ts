/**
 * JSON Schema (draft-07, as ajv validates it) of a Claim, shared by the
 * manifest schema and the plan schema so a claim means the same thing in
 * both documents. The check is a discriminated union on `type`; ajv's
 * `discriminator` keyword makes errors name the chosen branch's key instead
 * of a `oneOf` soup.
 */

const entrypoint = { type: 'string', minLength: 1 } as const;
const probe = { type: 'string', minLength: 1 } as const;
/** A JSONPath subset: `$.a[*].b`, `$.count`. */
const selector = { type: 'string', pattern: '^\\$(\\.[A-Za-z_][A-Za-z0-9_-]*(\\[\\*\\]|\\[[0-9]+\\])?)*$' } as const;
const phase = { enum: ['baseline', 'fault', 'recovery'] } as const;
/** A graph node id or node type the claim is scoped to ("while the cache is degraded"). */
const degraded = { type: 'string', minLength: 1 } as const;

function branch(type: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...required],
    properties: { type: { const: type }, ...properties },
  };
}

/** Schema of ClaimCheck (claims/claim.ts). */
export const claimCheckSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    branch('latency', {
      entrypoint,
      percentile: { enum: [50, 90, 95, 99] },
      thresholdMs: { type: 'number', exclusiveMinimum: 0, maximum: 3_600_000 },
      phase,
      degraded,
    }, ['entrypoint', 'percentile', 'thresholdMs', 'phase']),
    branch('availability', {
      entrypoint,
      maxErrorRate: { type: 'number', minimum: 0, maximum: 1 },
      phase,
      degraded,
    }, ['entrypoint', 'maxErrorRate', 'phase']),
    branch('recovery', { entrypoint, withinMs: { type: 'number', exclusiveMinimum: 0, maximum: 3_600_000 }, degraded }, ['entrypoint', 'withinMs']),
    branch('at-most-once', { probe, selector, entrypoint }, ['probe', 'selector']),
    branch('exactly-once', { probe, selector, entrypoint }, ['probe', 'selector']),
    branch('no-lost-ack', { probe, selector, entrypoint }, ['probe', 'selector']),
    branch('conservation', { probe, selector, aggregate: { enum: ['sum', 'count'] } }, ['probe', 'selector']),
    branch('queue-order', { probe, selector, entrypoint }, ['probe', 'selector']),
    branch('linearizable', {
      model: { enum: ['register', 'kv'] },
      readEntrypoint: entrypoint,
      writeEntrypoint: entrypoint,
      valueSelector: selector,
    }, ['model', 'readEntrypoint', 'writeEntrypoint']),
  ],
} as const;

/** Claim categories, as in claims/claim.ts. */
export const CLAIM_CATEGORIES = [
  'safety', 'liveness', 'durability', 'performance-slo', 'availability',
  'idempotency', 'ordering', 'isolation', 'recovery',
] as const;

/**
 * Schema of a Claim. In a manifest `source` may be omitted (a person wrote
 * it, so it defaults to `user`); in a plan every claim says where it came from.
 */
export function claimSchema(opts: { sourceRequired: boolean }) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'text', 'category', 'check', ...(opts.sourceRequired ? ['source'] : [])],
    properties: {
      id: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 120 },
      text: { type: 'string', minLength: 1 },
      category: { enum: CLAIM_CATEGORIES },
      check: claimCheckSchema,
      source: opts.sourceRequired ? { enum: ['user', 'inferred'] } : { enum: ['user', 'inferred'], default: 'user' },
      evidence: { type: 'string' },
    },
  };
}
