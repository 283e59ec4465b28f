/**
 * JSON Schema of the manifest (generators/manifest.ts) as written in
 * `faultline.yaml`: `additionalProperties: false` everywhere so a typo is an
 * error naming the key, and `default`s for workload, phases, probes, halting
 * and toxiproxy so the loaded Manifest is complete. `claimsFile` exists only
 * in the file; the loader replaces it with the claims it holds.
 */
import { claimSchema } from './claim-schema.js';
import { MAX_PHASE_MS, MAX_RATE_PER_SEC, MIN_PHASE_MS } from './plan-limits.js';

const name = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', maxLength: 120 } as const;
const hostPort = { type: 'string', minLength: 1 } as const;
const url = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9+.-]*://' } as const;
const lookback = { type: 'string', pattern: '^[0-9]+(ms|s|m|h|d)$' } as const;

function obj(properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) {
  return { type: 'object', additionalProperties: false, required, properties, ...extra };
}

const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
/**
 * Headers and credentials of a Jaeger or Tempo source (ingest/backend-auth.ts).
 * Secrets are named by environment variable, never written here, since
 * plans copy this block; an `Authorization` header is refused for the same reason.
 */
const backendConnection = {
  headers: { type: 'object', propertyNames: { pattern: '^(?![Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]$)[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }, additionalProperties: { type: 'string' } },
  auth: obj({
    bearerTokenEnv: envName,
    basic: obj({ username: { type: 'string' }, usernameEnv: envName, passwordEnv: envName }, ['passwordEnv']),
    orgId: { type: 'string', minLength: 1 },
    orgIdEnv: envName,
    caFile: { type: 'string', minLength: 1 },
  }),
};

/** Part of the manifest schema, reused by the plan schema. */
export const traces = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    obj({ type: { const: 'otlp' }, collectFor: lookback }, ['type']),
    obj({ type: { const: 'files' }, paths: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } } }, ['type', 'paths']),
    obj({ type: { const: 'jaeger' }, url, service: { type: 'string' }, lookback, ...backendConnection }, ['type', 'url']),
    obj({ type: { const: 'tempo' }, url, query: { type: 'string' }, lookback, ...backendConnection }, ['type', 'url']),
  ],
};

/** Part of the manifest schema, reused by the plan schema. */
export const proxySchema = obj({
  name,
  listen: hostPort,
  upstream: hostPort,
  edge: obj({ from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 } }, ['from', 'to']),
}, ['name', 'listen', 'upstream', 'edge']);

/** Part of the manifest schema, reused by the plan schema. */
export const entrypointSchema = obj({
  name,
  method: { type: 'string', pattern: '^[A-Za-z]+$' },
  url,
  body: {},
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  idempotencyHeader: { type: 'string', minLength: 1 },
  weight: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
  timeoutMs: { type: 'integer', minimum: 1, maximum: 600_000 },
  traceEntrypoint: { type: 'string', minLength: 1 },
}, ['name', 'method', 'url']);

const quiescenceFields = {
  selector: { type: 'string', pattern: '^\\$' },
  equals: { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }] },
  stableForMs: { type: 'integer', minimum: 0, maximum: 600_000 },
  timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
};
// A condition must say what to wait for: a readiness selector or a stability time.
const waitsForSomething = { anyOf: [{ required: ['selector'] }, { required: ['stableForMs'] }] };

/** Part of the manifest schema, reused by the plan schema: when effects may be read. */
export const quiescenceSchema = obj({ probe: name, ...quiescenceFields }, [], waitsForSomething);
const probeQuiescence = obj(quiescenceFields, [], waitsForSomething);

/** Part of the manifest schema, reused by the plan schema. */
export const probeSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    obj({ name, type: { const: 'http' }, url, service: { type: 'string' }, quiescence: probeQuiescence }, ['name', 'type', 'url']),
    obj({ name, type: { const: 'redis-list' }, redisUrl: url, key: { type: 'string', minLength: 1 }, service: { type: 'string' }, quiescence: probeQuiescence }, ['name', 'type', 'key']),
    obj({ name, type: { const: 'bullmq-queue' }, redisUrl: url, queue: { type: 'string', minLength: 1 }, service: { type: 'string' }, quiescence: probeQuiescence }, ['name', 'type', 'queue']),
  ],
};

/** Part of the manifest schema, reused by the plan schema. */
export const haltingSchema = obj({
  entrypoint: { type: 'string' },
  maxErrorRate: { type: 'number', minimum: 0, maximum: 1 },
  windowMs: { type: 'integer', minimum: 100, maximum: 600_000 },
  scope: { enum: ['outside-hypothesis', 'always'] },
}, ['maxErrorRate', 'windowMs']);

/** Part of the manifest schema, reused by the plan schema. */
export const hookSchema = obj({
  method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
  url,
  body: {},
}, ['method', 'url']);

/** The manifest schema (ajv, with `useDefaults` and `discriminator` on). */
export const manifestSchema = obj({
  version: { const: 1 },
  system: obj({ name: { type: 'string', minLength: 1 }, description: { type: 'string' } }, ['name']),
  traces,
  toxiproxy: obj({ url }, [], { default: {} }),
  proxies: { type: 'array', items: proxySchema, default: [] },
  entrypoints: { type: 'array', items: entrypointSchema, default: [] },
  probes: { type: 'array', items: probeSchema, default: [] },
  claims: { type: 'array', items: claimSchema({ sourceRequired: false }), default: [] },
  claimsFile: { type: 'string', pattern: '\\.(ya?ml|md|markdown)$' },
  workload: obj({
    ratePerSec: { type: 'number', exclusiveMinimum: 0, maximum: MAX_RATE_PER_SEC, default: 20 },
    seed: { type: 'integer', minimum: 0, maximum: 2_147_483_647, default: 1 },
  }, [], { default: {} }),
  phases: obj({
    baselineMs: { type: 'integer', minimum: MIN_PHASE_MS, maximum: MAX_PHASE_MS, default: 5_000 },
    faultMs: { type: 'integer', minimum: MIN_PHASE_MS, maximum: MAX_PHASE_MS, default: 10_000 },
    recoveryMs: { type: 'integer', minimum: MIN_PHASE_MS, maximum: MAX_PHASE_MS, default: 15_000 },
  }, [], { default: {} }),
  halting: { type: 'array', items: haltingSchema, default: [{ maxErrorRate: 0.9, windowMs: 5000 }] },
  quiescence: quiescenceSchema,
  hooks: obj({ beforeScenario: { type: 'array', items: hookSchema, default: [] } }, [], { default: {} }),
  llm: obj({ model: { type: 'string', minLength: 1 }, baseUrl: url, timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 } }, ['model']),
  slack: obj({ webhookUrl: { type: 'string' }, findingsBaseUrl: { type: 'string' } }),
  schedule: obj({ cron: { type: 'string', pattern: '^\\S+( \\S+){4,5}$' }, timezone: { type: 'string', default: 'UTC' } }, ['cron']),
}, ['version', 'system', 'traces']);

/** Schema of a claims file's claim list (YAML array, or `{claims: [...]}`). */
export const claimsListSchema = { type: 'array', items: claimSchema({ sourceRequired: false }) };
