/**
 * The rule-based generator (the default). Deterministic: the same input
 * gives byte-identical JSON, because every choice follows the ranking order
 * then the claim order, and seeds come from hashes of names, never from a
 * clock or Math.random.
 *
 * Selection: round-robin over the scheduled claims, each claim's reachable
 * edges in ranking order (see selectTargets). Edges without a proxy become
 * residual uncertainty instead of scenarios.
 */
import type { Claim } from '../claims/claim.js';
import type { Plan, Scenario } from './plan.js';
import type { PlanGenerator, PlanInput } from './plan-generator.js';
import { planContext, TOP_EDGES, type PlanContext } from './plan-context.js';
import { snake } from './snake-id.js';
import { assemblePlan, hypothesisFor } from './plan-assembly.js';
import { buildScenario } from './scenario-builder.js';
import { chooseFault } from './fault-choice.js';

/** Options of the rule-based generator. */
export interface RuleGeneratorOptions {
  /** Reachable edges tried per claim, riskiest first (default 10). */
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

/**
 * The claims a plan schedules: the user's when they wrote any; inferred
 * claims are then candidates (listed, with coverage saying so) because a
 * fault sized to break an observed baseline breaks it by construction.
 * A system with no user claims is planned on its inferred claims.
 */
export function scheduledClaims(claims: readonly Claim[]): Claim[] {
  const user = claims.filter((c) => c.source === 'user');
  return user.length > 0 ? user : [...claims];
}

/**
 * (claim, edge) pairs, round-robin over claims: every claim's riskiest
 * reachable edge first, then every claim's second, and so on (at most
 * `perClaim` each), so a scenario cap never starves a claim of coverage.
 */
export function selectTargets(ctx: PlanContext, perClaim: number): Target[] {
  const rank = new Map(ctx.rankedEdges.map((e, i) => [e, i] as const));
  const order = (a: string, b: string) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || a.localeCompare(b);
  const queues = scheduledClaims(ctx.input.claims).map((claim) => {
    const all = [...(ctx.reach.get(claim.id)?.edges.keys() ?? [])].sort(order);
    const top = all.slice(0, perClaim);
    // Unproxied edges among the top stay (they become residual uncertainty); the
    // claim still gets up to `perClaim` faultable edges from further down.
    const faultable = top.filter((e) => ctx.proxies.has(e)).length;
    const more = all.slice(perClaim).filter((e) => ctx.proxies.has(e)).slice(0, perClaim - faultable);
    return { claim, edges: [...top, ...more] };
  });
  const targets: Target[] = [];
  const rounds = Math.max(0, ...queues.map((q) => q.edges.length));
  for (let round = 0; round < rounds; round++) {
    for (const q of queues) if (round < q.edges.length) targets.push({ claim: q.claim, edgeId: q.edges[round] });
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

/**
 * Run order: scenarios that did not pass in earlier sweeps first; recovery
 * claims last, because a system that does not recover would leave every
 * later scenario INCONCLUSIVE-env; stable otherwise.
 */
function prioritise(ctx: PlanContext, scenarios: Scenario[]): Scenario[] {
  const failing = new Set(ctx.input.history?.previous.filter((p) => !p.verdict.startsWith('PASS')).map((p) => p.scenarioId) ?? []);
  const recovery = new Set(ctx.input.claims.filter((c) => c.check.type === 'recovery').map((c) => c.id));
  const rank = (s: Scenario) => (failing.has(s.id) ? 0 : s.claims.some((c) => recovery.has(c)) ? 2 : 1);
  return scenarios.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}
