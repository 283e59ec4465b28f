/**
 * The LLM-backed generator: any OpenAI-compatible endpoint through the
 * `openai` SDK, structured output against a strict JSON schema. The model
 * only picks (claim, edge, fault); every kept proposal is completed by the
 * same scenario builder and plan assembly as the rule-based plan, inside
 * the manifest's phases and the plan's fault budget (plan-limits.ts). When the
 * request fails, the answer is unusable, or nothing valid remains, the plan
 * is the rule-based one and `generator.fallbackReason` says why.
 */
import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import type { Plan } from './plan.js';
import type { PlanGenerator, PlanInput } from './plan-generator.js';
import { planContext, TOP_EDGES, type PlanContext } from './plan-context.js';
import { rulePlan, scenariosFor, type RuleGeneratorOptions } from './rule-generator.js';
import { assemblePlan, hypothesisFor } from './plan-assembly.js';
import { answerSchema, buildPrompt } from './llm-prompt.js';
import { checkProposals } from './llm-answer.js';
import { llmFaultBudget } from './plan-limits.js';

/** Settings of the LLM generator (from the frozen Config and the manifest's `llm`). */
export interface LlmGeneratorOptions {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** SDK retries on connection errors, 408/409/429 and 5xx (default 1). */
  maxRetries?: number;
  /** Ranked edges summarised in the prompt (default 10). */
  topEdges?: number;
  /** Options of the rule-based fallback. */
  rules?: RuleGeneratorOptions;
}

/** LLM PlanGenerator with rule-based fallback. */
export class LlmPlanGenerator implements PlanGenerator {
  readonly kind = 'llm' as const;
  private readonly client: OpenAI;

  constructor(private readonly opts: LlmGeneratorOptions) {
    this.client = new OpenAI({
      baseURL: opts.baseUrl,
      // Local OpenAI-compatible servers often need no key; the SDK insists on one.
      apiKey: opts.apiKey ?? 'unused',
      timeout: opts.timeoutMs ?? 60_000,
      maxRetries: opts.maxRetries ?? 1,
    });
  }

  async generate(input: PlanInput): Promise<Plan> {
    const ctx = planContext(input);
    const budget = llmFaultBudget(input.manifest.phases.faultMs);
    const prompt = buildPrompt(ctx, this.opts.topEdges ?? TOP_EDGES, budget);
    const model = this.opts.model;
    const started = performance.now();
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create({
        model,
        temperature: 0,
        messages: [{ role: 'system', content: prompt.system }, { role: 'user', content: prompt.user }],
        response_format: { type: 'json_schema', json_schema: { name: 'faultline_scenarios', schema: answerSchema as unknown as Record<string, unknown>, strict: true } },
      });
    } catch (err) {
      return this.fallback(ctx, `LLM request failed: ${describeError(err)}`, { model, latencyMs: elapsed(started) });
    }
    const usage = {
      model: completion.model || model,
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      latencyMs: elapsed(started),
    };
    const content = completion.choices?.[0]?.message?.content ?? '';
    let answer: unknown;
    try {
      answer = JSON.parse(content);
    } catch {
      return this.fallback(ctx, `LLM answer is not JSON (${content.length} chars)`, usage);
    }
    const raw = (answer as { scenarios?: unknown } | null)?.scenarios;
    if (!Array.isArray(raw)) return this.fallback(ctx, 'LLM answer has no "scenarios" list', usage);
    const { accepted, dropped, clamped } = checkProposals(ctx, prompt.handles, raw, budget);
    if (accepted.length === 0) {
      return this.fallback(ctx, `LLM proposed no valid scenario (${raw.length} proposed, ${dropped.length} dropped)`, { ...usage, dropped });
    }
    const { scenarios, unfaultable, byEdge } = scenariosFor(ctx, accepted, this.opts.rules?.maxScenarios ?? 30, (t) => t.fault);
    // A scenario takes the fault phase of the proposal that made it (claim, edge and toxic are unique
    // among accepted ones); merging and the scenario cap mean scenarios and proposals need not line up by index.
    const faultMs = new Map(accepted.map((a) => [`${a.claim.id}|${a.edgeId}|${a.fault.toxic}`, a.faultMs]));
    for (const s of scenarios) s.phases.faultMs = faultMs.get(`${s.claims[0]}|${s.target.edge}|${s.fault.toxic}`) ?? s.phases.faultMs;
    const hypotheses = [...byEdge].map(([edgeId, ids]) => hypothesisFor(ctx, edgeId, ids));
    return assemblePlan(ctx, { scenarios, hypotheses, unfaultable, generator: { kind: 'llm', ...usage, ...(dropped.length > 0 ? { dropped } : {}), ...(clamped.length > 0 ? { clamped } : {}) } });
  }

  private fallback(ctx: PlanContext, reason: string, info: Omit<Plan['generator'], 'kind'>): Plan {
    return rulePlan(ctx, this.opts.rules ?? {}, { kind: 'rule', ...info, fallbackReason: reason });
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** A one-line cause; never the API key or the request body. */
function describeError(err: unknown): string {
  if (err instanceof APIConnectionTimeoutError) return 'timed out';
  if (err instanceof APIError) return err.status !== undefined ? `HTTP ${err.status}` : `connection error (${err.message.split('\n')[0]})`;
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}
