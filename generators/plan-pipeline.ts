/**
 * The plan step as one function, for the CLI, the API and sweeps:
 * manifest + graph snapshot → ranking → claims (user + inferred) → Plan.
 * Pure apart from the generator (the LLM one does network I/O).
 */
import type { GraphSnapshot, RiskRanking } from '../graph/model.js';
import { rankRisks } from '../graph/risk.js';
import type { Manifest } from './manifest.js';
import type { Plan } from './plan.js';

/** The OpenAI-compatible endpoint the service configuration supplies (src/config.ts reads it from the environment). */
export interface LlmEndpoint {
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly model?: string;
}
import type { PlanGenerator, PlanHistory } from './plan-generator.js';
import { inferClaims } from './claim-inference.js';
import { RulePlanGenerator } from './rule-generator.js';
import { LlmPlanGenerator } from './llm-generator.js';

/** Inputs of createPlan. */
export interface CreatePlanDeps {
  manifest: Manifest;
  snapshot: GraphSnapshot;
  /** Defaults to rankRisks(snapshot). */
  ranking?: RiskRanking;
  /** Defaults to the rule-based generator. */
  generator?: PlanGenerator;
  /** Defaults to the current time. */
  now?: Date;
  history?: PlanHistory;
}

/** Rank, infer claims and generate the plan. */
export async function createPlan(deps: CreatePlanDeps): Promise<Plan> {
  const { manifest, snapshot } = deps;
  const ranking = deps.ranking ?? rankRisks(snapshot);
  const inferred = inferClaims(snapshot, ranking, manifest.claims, manifest.entrypoints, { probes: manifest.probes });
  const generator = deps.generator ?? new RulePlanGenerator();
  return generator.generate({
    manifest,
    snapshot,
    ranking,
    claims: [...manifest.claims, ...inferred.claims],
    missing: inferred.missing,
    now: deps.now ?? new Date(),
    ...(deps.history ? { history: deps.history } : {}),
  });
}

/**
 * The generator for a request: the rules, or the LLM when asked for and an
 * endpoint and model are configured. Asking for the LLM without one still
 * plans (with the rules) and the plan says why.
 */
export function selectGenerator(opts: { llm: boolean; manifest: Manifest; openai: LlmEndpoint }): PlanGenerator {
  if (!opts.llm) return new RulePlanGenerator();
  const model = opts.manifest.llm?.model ?? opts.openai.model;
  const baseUrl = opts.manifest.llm?.baseUrl ?? opts.openai.baseUrl;
  if (model === undefined || (baseUrl === undefined && opts.openai.apiKey === undefined)) {
    const missing = model === undefined ? 'no model (manifest llm.model or FAULTLINE_LLM_MODEL)' : 'no endpoint (OPENAI_BASE_URL or OPENAI_API_KEY)';
    return new RulePlanGenerator({ fallbackReason: `LLM requested but not configured: ${missing}` });
  }
  return new LlmPlanGenerator({ baseUrl, apiKey: opts.openai.apiKey, model, timeoutMs: opts.manifest.llm?.timeoutMs });
}
