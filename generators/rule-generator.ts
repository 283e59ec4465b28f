/**
 * The rule-based generator (the default). Deterministic: the same input
 * gives byte-identical JSON, because every choice follows the ranking order
 * then the claim order, and seeds come from hashes of names, never from a
 * clock or Math.random.
 *
 * Selection: each of the top-ranked edges × every claim it can affect; a
 * claim no top edge affects gets its highest-ranked faultable edge. Edges
 * without a proxy become residual uncertainty instead of scenarios.
 */
import type { Claim } from './claim.js';
import type { Plan, Scenario } from './plan.js';
import type { PlanGenerator, PlanInput } from './plan-generator.js';
import { planContext, TOP_EDGES, type PlanContext } from './plan-context.js';
import { snake } from './snake-id.js';
import { assemblePlan, hypothesisFor } from './plan-assembly.js';
import { buildScenario } from './scenario-builder.js';
import { chooseFault } from './fault-choice.js';

/** Options of the rule-based generator. */
export interface RuleGeneratorOptions {
  /** Distinct top-ranked edges considered first (default 10). */
  topEdges?: number;
  /** Upper bound on scenarios (default 30). */
  maxScenarios?: number;
  /** Why the rules run when an LLM was asked for (e.g. no endpoint configured); recorded in the plan. */
  fallbackReason?: string;
}

/** A claim to be falsified on an edge. */
export interface Target {
  claim: Claim;
  edgeId: string;
}

/** Rule-based PlanGenerator. */
export class RulePlanGenerator implements PlanGenerator {
  readonly kind = 'rule' as const;

  constructor(private readonly opts: RuleGeneratorOptions = {}) {}

  async generate(input: PlanInput): Promise<Plan> {
    return rulePlan(planContext(input), this.opts, { kind: 'rule', ...(this.opts.fallbackReason ? { fallbackReason: this.opts.fallbackReason } : {}) });
  }
}

/** The rule plan for a context (the LLM generator falls back to this). */
export function rulePlan(ctx: PlanContext, opts: RuleGeneratorOptions, generator: Plan['generator']): Plan {
  const targets = selectTargets(ctx, opts.topEdges ?? TOP_EDGES);
  const { scenarios, unfaultable, byEdge } = scenariosFor(ctx, targets, opts.maxScenarios ?? 30, (t) => {
    const edge = ctx.edges.get(t.edgeId);
    return edge ? chooseFault(ctx, t.claim, edge) : undefined;
  });
  const hypotheses = [...byEdge].map(([edgeId, ids]) => hypothesisFor(ctx, edgeId, ids));
  return assemblePlan(ctx, { scenarios: prioritise(ctx, scenarios), hypotheses, generator, unfaultable });
}

/** (claim, edge) pairs in ranking order, then claim order. */
export function selectTargets(ctx: PlanContext, topEdges: number): Target[] {
  const { claims } = ctx.input;
  const targets: Target[] = [];
  const top = ctx.rankedEdges.slice(0, topEdges);
  for (const edgeId of top) {
    for (const claim of claims) if (ctx.reach.get(claim.id)?.edges.has(edgeId)) targets.push({ claim, edgeId });
  }
  for (const claim of claims) {
    if (targets.some((t) => t.claim.id === claim.id && ctx.proxies.has(t.edgeId))) continue;
    const fallback = ctx.rankedEdges.find((e) => !top.includes(e) && ctx.proxies.has(e) && ctx.reach.get(claim.id)?.edges.has(e));
    if (fallback !== undefined) targets.push({ claim, edgeId: fallback });
  }
  return targets;
}

/**
 * Build scenarios for targets with a fault chooser (rules or the LLM's
 * answer). Unfaultable targets are collected instead; hypothesis ids are
 * per edge.
 */
export function scenariosFor<T extends Target>(
  ctx: PlanContext,
  targets: T[],
  max: number,
  fault: (t: T) => Scenario['fault'] | undefined,
): { scenarios: Scenario[]; unfaultable: Map<string, string[]>; byEdge: Map<string, string[]> } {
  const scenarios: Scenario[] = [];
  const unfaultable = new Map<string, string[]>();
  const byEdge = new Map<string, string[]>();
  const taken = new Set<string>();
  for (const t of targets) {
    const proxy = ctx.proxies.get(t.edgeId);
    const edge = ctx.edges.get(t.edgeId);
    if (!edge) continue;
    if (!proxy) {
      const ids = unfaultable.get(t.edgeId) ?? [];
      if (!ids.includes(t.claim.id)) ids.push(t.claim.id);
      unfaultable.set(t.edgeId, ids);
      continue;
    }
    if (scenarios.length >= max) continue;
    const f = fault(t);
    if (!f) continue;
    const ids = byEdge.get(t.edgeId) ?? [];
    if (!ids.includes(t.claim.id)) ids.push(t.claim.id);
    byEdge.set(t.edgeId, ids);
    scenarios.push(buildScenario(ctx, t.claim, edge, proxy, f, hypothesisId(t.edgeId), taken));
  }
  return { scenarios, unfaultable, byEdge };
}

function hypothesisId(edgeId: string): string {
  return `h_${snake(edgeId)}`;
}

/** Scenarios that did not pass in earlier sweeps run first (stable otherwise). */
function prioritise(ctx: PlanContext, scenarios: Scenario[]): Scenario[] {
  const failing = new Set(ctx.input.history?.previous.filter((p) => !p.verdict.startsWith('PASS')).map((p) => p.scenarioId) ?? []);
  if (failing.size === 0) return scenarios;
  return [...scenarios.filter((s) => failing.has(s.id)), ...scenarios.filter((s) => !failing.has(s.id))];
}
