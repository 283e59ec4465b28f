/**
 * JSON Schema (draft-07, as ajv validates it) of a Claim, shared by the
 * manifest schema and the plan schema so a claim means the same thing in
 * both documents. The check is a discriminated union on `type`; ajv's
 * `discriminator` keyword makes errors name the chosen branch's key instead
 * of a `oneOf` soup. Each branch is the claim form's own fragment
 * (claims/forms/), so the schema cannot drift from the checkers.
 */

import { CLAIM_FORMS, CLAIM_TYPES } from '../claims/forms/index.js';

/** One branch of the union: a form's own schema fragment (claims/forms/<form>.ts) under its `type`. */
function branch(type: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...required],
    properties: { type: { const: type }, ...properties },
  };
}

/** Schema of ClaimCheck (claims/claim.ts), one branch per registered claim form. */
export const claimCheckSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: CLAIM_TYPES.map((t) => branch(t, CLAIM_FORMS[t].schema.properties, CLAIM_FORMS[t].schema.required)),
};

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
