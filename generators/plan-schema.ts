/**
 * JSON Schema of the plan document (schemaVersion 1) and `validatePlan`,
 * used whenever a plan.json is loaded (`faultline run`, the API). A plan
 * edited by hand or produced by another tool is rejected with the key path
 * of the first problem (PLAN_INVALID), never half-run. It holds the same
 * bounds as a generated plan: phase lengths and workload rate
 * (plan-limits.ts), each fault's attributes (base/faults.ts) and toxicity.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { fail } from '../base/errors.js';
import { FAULT_TYPES, TOXIC_STREAMS, faultOf, type FaultType } from '../base/faults.js';
import { FAULT_FAMILIES } from '../claims/fault-repertoire.js';
import { claimCheckSchema, claimSchema, CLAIM_CATEGORIES } from './claim-schema.js';
import { entrypointSchema, haltingSchema, hookSchema, probeSchema, proxySchema, quiescenceSchema, traces } from './manifest-schema.js';
import { describeErrors } from './schema-errors.js';
import { PLAN_SCHEMA_VERSION, type Plan } from './plan.js';
import { MAX_RATE_PER_SEC, PLAN_PHASE_MAX_MS } from './plan-limits.js';

const str = { type: 'string' } as const;
const strings = { type: 'array', items: str } as const;
const nonNeg = { type: 'number', minimum: 0 } as const;
const phase = { enum: ['baseline', 'fault', 'recovery'] } as const;
/** A phase length: bounded, so a hand-edited `faultMs: 1e9` cannot become a toxic with an 11-day TTL (generators/plan-limits.ts). */
const phaseMs = (max: number) => ({ type: 'number', minimum: 0, maximum: max }) as const;
const phases = obj({
  baselineMs: phaseMs(PLAN_PHASE_MAX_MS.baselineMs),
  faultMs: phaseMs(PLAN_PHASE_MAX_MS.faultMs),
  recoveryMs: phaseMs(PLAN_PHASE_MAX_MS.recoveryMs),
}, ['baselineMs', 'faultMs', 'recoveryMs']);

function obj(properties: Record<string, unknown>, required: string[] = Object.keys(properties)) {
  return { type: 'object', additionalProperties: false, required, properties };
}

/**
 * One fault type's attributes (base/faults.ts): exactly the table's names,
 * each within its bounds; one left out takes the table's default. A value
 * out of bounds is rejected naming the attribute
 * (`scenarios[0].fault.attributes.latency: must be <= 60000`).
 */
function attributesSchema(type: FaultType) {
  const props = Object.entries(faultOf(type).attributes).map(([name, a]) => [name, { type: 'number', minimum: a.min, maximum: a.max }]);
  return obj(Object.fromEntries(props), []);
}

/** Schema of a scenario's fault: one branch per fault type of the table, chosen by `toxic`. */
export const faultSchema = {
  type: 'object',
  required: ['toxic'],
  discriminator: { propertyName: 'toxic' },
  oneOf: FAULT_TYPES.map((t) => obj({
    toxic: { const: t },
    stream: { enum: TOXIC_STREAMS },
    toxicity: { type: 'number', minimum: 0, maximum: 1 },
    attributes: attributesSchema(t),
    sizing: str,
    family: { enum: FAULT_FAMILIES },
  }, ['toxic', 'stream', 'toxicity', 'attributes', 'sizing'])),
};

/** Schema of one scenario (also the shape the LLM generator completes). */
export const scenarioSchema = obj({
  id: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
  title: str,
  claims: { type: 'array', minItems: 1, items: str },
  hypotheses: strings,
  target: obj({ edge: str, proxy: str }),
  fault: faultSchema,
  workload: obj({
    entrypoints: { type: 'array', items: obj({ name: str, weight: nonNeg }) },
    ratePerSec: { type: 'number', exclusiveMinimum: 0, maximum: MAX_RATE_PER_SEC },
    seed: { type: 'integer', minimum: 0 },
  }),
  oracle: { type: 'array', minItems: 1, items: obj({ claimId: str, check: claimCheckSchema }) },
  watch: { type: 'array', items: obj({ claimId: str, check: claimCheckSchema }) },
  model: str,
  historyFields: strings,
  landing: obj({ kind: { enum: ['proxy-counters', 'edge-latency', 'edge-errors', 'client-timing'] }, expectation: str }),
  exitCriteria: strings,
  phases,
  requiresFaultlineProxy: { type: 'boolean' },
  observedPhases: { type: 'array', items: phase },
  halting: obj({
    guards: { type: 'array', items: obj({ entrypoints: strings, maxErrorRate: { type: 'number', minimum: 0, maximum: 1 }, windowMs: nonNeg, why: str }) },
    exempt: strings,
  }),
}, ['id', 'title', 'claims', 'hypotheses', 'target', 'fault', 'workload', 'oracle', 'landing', 'exitCriteria', 'phases', 'requiresFaultlineProxy', 'observedPhases']);

/** Schema of the plan document. */
export const planSchema = obj({
  schemaVersion: { const: PLAN_SCHEMA_VERSION },
  id: { type: 'string', minLength: 1 },
  createdAt: str,
  system: str,
  generator: obj({
    kind: { enum: ['rule', 'llm'] },
    model: str,
    promptTokens: nonNeg,
    completionTokens: nonNeg,
    latencyMs: nonNeg,
    fallbackReason: str,
    dropped: { type: 'array', items: obj({ scenario: str, reason: str }) },
    clamped: { type: 'array', items: obj({ scenario: str, reason: str }) },
  }, ['kind']),
  architecture: obj({ summary: str, mermaid: str, services: nonNeg, edges: nonNeg }),
  claims: { type: 'array', items: claimSchema({ sourceRequired: true }) },
  missingClaims: { type: 'array', items: obj({ observation: str, subject: str, suggestedCategory: { enum: CLAIM_CATEGORIES }, suggestion: str }) },
  hypotheses: { type: 'array', items: obj({ id: str, text: str, claims: strings, risks: strings }) },
  scenarios: { type: 'array', items: scenarioSchema },
  coverage: { type: 'array', items: obj({ claimId: str, scenarios: strings, risks: strings, covered: { type: 'boolean' }, note: str }, ['claimId', 'scenarios', 'risks', 'covered']) },
  adequacy: { type: 'array', items: obj({ claimId: str, argument: str }) },
  residualUncertainty: strings,
  confidence: str,
  recovery: obj({ windowMs: nonNeg, bandFactor: { type: 'number', minimum: 1 }, errorSlack: { type: 'number', minimum: 0, maximum: 1 }, holdMs: nonNeg }),
  halting: { type: 'array', items: haltingSchema },
  entrypoints: { type: 'array', items: entrypointSchema },
  proxies: { type: 'array', items: proxySchema },
  probes: { type: 'array', items: probeSchema },
  hooks: obj({ beforeScenario: { type: 'array', items: hookSchema } }),
  traces,
  toxiproxy: obj({ url: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9+.-]*://' } }, []),
  quiescence: quiescenceSchema,
  unmatched: obj({
    entrypoints: { type: 'array', items: obj({ entrypoint: str, reason: str }) },
    proxies: { type: 'array', items: obj({ proxy: str, reason: str, candidates: strings }) },
  }),
});
// Plans written before hooks and traces were copied into them stay valid.
planSchema.required = planSchema.required.filter((k) => k !== 'hooks' && k !== 'traces' && k !== 'toxiproxy' && k !== 'quiescence' && k !== 'unmatched');

let validate: ValidateFunction | undefined;

/**
 * Validate a parsed plan document. Beyond the schema: scenario ids are
 * unique, and every scenario names claims, proxies and entrypoints the plan
 * itself defines (a plan runs on its own).
 */
export function validatePlan(doc: unknown): Plan {
  validate ??= new Ajv({ allErrors: true, discriminator: true, strict: true, strictRequired: false }).compile(planSchema);
  if (!validate(doc)) {
    const problems = describeErrors(validate.errors ?? []);
    throw fail('PLAN_INVALID', `${problems[0]?.message ?? 'plan is invalid'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, { path: problems[0]?.path ?? '/', problems });
  }
  const plan = doc as Plan;
  const claims = new Set(plan.claims.map((c) => c.id));
  const proxies = new Set(plan.proxies.map((p) => p.name));
  const entrypoints = new Set(plan.entrypoints.map((e) => e.name));
  const ids = new Set<string>();
  plan.scenarios.forEach((s, i) => {
    const at = `scenarios[${i}]`;
    if (ids.has(s.id)) throw invalid(`${at}.id`, `duplicate scenario id "${s.id}"`);
    ids.add(s.id);
    s.claims.forEach((c, j) => { if (!claims.has(c)) throw invalid(`${at}.claims[${j}]`, `claim "${c}" is not in the plan's claims`); });
    s.oracle.forEach((o, j) => { if (!claims.has(o.claimId)) throw invalid(`${at}.oracle[${j}].claimId`, `claim "${o.claimId}" is not in the plan's claims`); });
    (s.watch ?? []).forEach((o, j) => { if (!claims.has(o.claimId)) throw invalid(`${at}.watch[${j}].claimId`, `claim "${o.claimId}" is not in the plan's claims`); });
    if (!proxies.has(s.target.proxy)) throw invalid(`${at}.target.proxy`, `proxy "${s.target.proxy}" is not in the plan's proxies`);
    s.workload.entrypoints.forEach((e, j) => { if (!entrypoints.has(e.name)) throw invalid(`${at}.workload.entrypoints[${j}].name`, `entrypoint "${e.name}" is not in the plan's entrypoints`); });
  });
  return plan;
}

function invalid(path: string, message: string) {
  return fail('PLAN_INVALID', `${path}: ${message}`, { path, problems: [{ path, message: `${path}: ${message}` }] });
}
