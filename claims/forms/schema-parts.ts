/**
 * JSON-schema pieces several claim forms share, so an entrypoint or a
 * selector is spelled the same way in every form's schema.
 */

/** A manifest entrypoint name. */
export const entrypointSchema = { type: 'string', minLength: 1 } as const;
/** A manifest probe name. */
export const probeSchema = { type: 'string', minLength: 1 } as const;
/** A JSONPath subset: `$.a[*].b`, `$.count` (claims/selector.ts parses it). */
export const selectorSchema = { type: 'string', pattern: '^\\$(\\.[A-Za-z_][A-Za-z0-9_-]*(\\[\\*\\]|\\[[0-9]+\\])?)*$' } as const;
/** A run phase. */
export const phaseSchema = { enum: ['baseline', 'fault', 'recovery'] } as const;
/** A graph node id or node type the claim is scoped to ("while the cache is degraded"). */
export const degradedSchema = { type: 'string', minLength: 1 } as const;
/** A duration bound in ms (an hour at most: longer is surely a unit mistake). */
export const durationMsSchema = { type: 'number', exclusiveMinimum: 0, maximum: 3_600_000 } as const;
