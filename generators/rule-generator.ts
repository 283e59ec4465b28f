/**
 * The rule-based generator (the default). Deterministic: the same input
 * gives byte-identical JSON, because every choice follows the ranking order
 * then the claim order, and seeds come from hashes of names, never from a
 * clock or Math.random.
 *
 * Selection: each scheduled claim gets its riskiest reachable edges (two by
 * default, see selectTargets); on each the top family of the fault
 * repertoire, and on the first a second family of a different failure mode
 * (generators/fault-choice.ts). Claims take turns, so a scenario cap never
 * starves one. A scenario whose edge and fault another claim already got is
 * not repeated: the claim joins that scenario's oracle. Edges without a
 * proxy become residual uncertainty instead of scenarios.
 */
import type { Claim } from '../claims/claim.js';
import { formOf } from '../claims/forms/index.js';
import type { Plan, Scenario } from './plan.js';
import type { PlanGenerator, PlanInput } from './plan-generator.js';
import { planContext, type PlanContext } from './plan-context.js';
import { snake } from './snake-id.js';
import { assemblePlan, hypothesisFor, scheduledClaims } from './plan-assembly.js';

export { scheduledClaims };
import { buildScenario, mergeClaim } from './scenario-builder.js';
import { scheduledFaults, type CandidateFault } from './fault-choice.js';

/** Reachable edges the rules fault per claim (a planted bug should cost at most ~3 scenarios to find). */
export const EDGES_PER_CLAIM = 3;

/** Options of the rule-based generator. */
export interface RuleGeneratorOptions {
  /** Reachable edges tried per claim, riskiest first (default EDGES_PER_CLAIM). */
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
  const targets = faultTargets(ctx, selectTargets(ctx, opts.topEdges ?? EDGES_PER_CLAIM));
  const { scenarios, unfaultable, byEdge } = scenariosFor(ctx, targets, opts.maxScenarios ?? 30, (t) => t.candidate?.fault, (t) => t.candidate?.minFaultMs);
  const hypotheses = [...byEdge].map(([edgeId, ids]) => hypothesisFor(ctx, edgeId, ids));
  return assemblePlan(ctx, { scenarios: prioritise(ctx, scenarios), hypotheses, generator, unfaultable });
}

/** A target with the repertoire fault the rules chose (none for an edge without a proxy). */
export interface FaultTarget extends Target {
  candidate?: CandidateFault;
}

/**
 * Expand edge targets into fault targets, keeping the claims' turns: every
 * claim's top family on its first edge, then on its second edge, then the
 * second family on its first edge.
 */
export function faultTargets(ctx: PlanContext, targets: Target[]): FaultTarget[] {
  const lists = new Map<string, { firsts: FaultTarget[]; seconds: FaultTarget[] }>();
  for (const t of targets) {
    let q = lists.get(t.claim.id);
    if (!q) lists.set(t.claim.id, (q = { firsts: [], seconds: [] }));
    const edge = ctx.edges.get(t.edgeId);
    if (!edge || !ctx.proxies.has(t.edgeId)) {
      q.firsts.push(t);
      continue;
    }
    const first = !q.firsts.some((x) => x.candidate !== undefined);
    const [top, second] = scheduledFaults(ctx, t.claim, edge, first);
    if (top) q.firsts.push({ ...t, candidate: top });
    if (second) q.seconds.push({ ...t, candidate: second });
  }
  const queues = [...lists.values()].map((q) => [...q.firsts, ...q.seconds]);
  const out: FaultTarget[] = [];
  const rounds = Math.max(0, ...queues.map((q) => q.length));
  for (let i = 0; i < rounds; i++) for (const q of queues) if (i < q.length) out.push(q[i]);
  return out;
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
    const reach = ctx.reach.get(claim.id);
    const sorted = [...(reach?.edges.keys() ?? [])].sort(order);
    const secondary = reach?.secondary ?? new Set<string>();
    const all = onePerProxy(ctx, behindTheFront(ctx, claim, [...sorted.filter((e) => !secondary.has(e)), ...sorted.filter((e) => secondary.has(e))]));
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
 * per edge. A target whose edge and fault (type, stream, toxicity and
 * attributes) an earlier scenario already has joins that scenario's oracle
 * instead of running the same experiment twice.
 */
export function scenariosFor<T extends Target>(
  ctx: PlanContext,
  targets: T[],
  max: number,
  fault: (t: T) => Scenario['fault'] | undefined,
  minFaultMs: (t: T) => number | undefined = () => undefined,
): { scenarios: Scenario[]; unfaultable: Map<string, string[]>; byEdge: Map<string, string[]> } {
  const scenarios: Scenario[] = [];
  const unfaultable = new Map<string, string[]>();
  const byEdge = new Map<string, string[]>();
  const taken = new Set<string>();
  const same = new Map<string, number>();
  const note = (map: Map<string, string[]>, edgeId: string, claimId: string) => {
    const ids = map.get(edgeId) ?? [];
    if (!ids.includes(claimId)) ids.push(claimId);
    map.set(edgeId, ids);
  };
  for (const t of targets) {
    const proxy = ctx.proxies.get(t.edgeId);
    const edge = ctx.edges.get(t.edgeId);
    if (!edge) continue;
    if (!proxy) {
      note(unfaultable, t.edgeId, t.claim.id);
      continue;
    }
    const f = fault(t);
    if (!f) continue;
    // One proxy carries every logical edge that shares its connection (a broker's
    // list and cache, a hop and its physical leg): same proxy, same fault, same experiment.
    const key = JSON.stringify([proxy.name, f.toxic, f.stream, f.toxicity, Object.entries(f.attributes).sort()]);
    const at = same.get(key);
    if (at !== undefined) {
      note(byEdge, t.edgeId, t.claim.id);
      scenarios[at] = mergeClaim(ctx, scenarios[at], t.claim);
      continue;
    }
    if (scenarios.length >= max) continue;
    note(byEdge, t.edgeId, t.claim.id);
    same.set(key, scenarios.length);
    scenarios.push(buildScenario(ctx, t.claim, edge, proxy, f, hypothesisId(t.edgeId), taken, minFaultMs(t)));
  }
  return { scenarios, unfaultable, byEdge };
}

/**
 * For a claim about what the caller waits for (latency, availability,
 * recovery of an entrypoint), the edges behind the front come first: the
 * entrypoint's own service passes a slow or failing direct callee straight
 * to the client, while the services behind it are where timeouts, breakers
 * and fallbacks must guard each call, and where their absence hides. The
 * front's own edges keep their rank among themselves and follow.
 */
function behindTheFront(ctx: PlanContext, claim: Claim, edges: string[]): string[] {
  if (formOf(claim.check).reach !== 'traffic') return edges;
  const fronts = new Set(ctx.input.snapshot.entrypoints.filter((ep) => ctx.reach.get(claim.id)?.traceEntrypoints.includes(ep.id)).map((ep) => ep.service));
  const atFront = (id: string) => fronts.has(ctx.edges.get(id)?.source ?? '');
  return [...edges.filter((e) => !atFront(e)), ...edges.filter(atFront)];
}

/**
 * Keep the first (riskiest) edge of each proxy: several graph edges can ride
 * one physical connection (producer -> consumer over the producer's broker
 * link), and faulting that proxy twice would spend a claim's edge budget on
 * one link while the other side of the hop goes untested.
 */
function onePerProxy(ctx: PlanContext, edges: string[]): string[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const proxy = ctx.proxies.get(e)?.name;
    if (proxy === undefined) return true;
    if (seen.has(proxy)) return false;
    seen.add(proxy);
    return true;
  });
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
