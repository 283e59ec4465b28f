/**
 * Which faults the rules try for a claim on an edge: the families of the
 * fault repertoire (claims/fault-repertoire.ts) that can falsify the claim,
 * ranked for this edge's traits and sized from the graph and the manifest.
 * Values are in Toxiproxy's units and every choice says why in `sizing`,
 * so a reviewer can check the numbers against the traces.
 */
import type { GraphEdge } from '../graph/model.js';
import type { Claim } from '../claims/claim.js';
import { edgeTraits, rankFamilies, type FailureMode, type FaultFamily, type SizingInput } from '../claims/fault-repertoire.js';
import { DEFAULT_CLIENT_TIMEOUT_MS } from '../claims/fault-sizing.js';
import type { ScenarioFault } from './plan.js';
import type { PlanContext } from './plan-context.js';
import { checkEntrypoints } from './claim-reach.js';

export { MAX_LATENCY_MS } from '../claims/fault-sizing.js';

/**
 * A second family is worth a scenario when it scores at least this share of
 * the first: below it the table says it rarely falsifies this claim here.
 */
export const SECOND_FAMILY_MIN_SHARE = 0.4;

/** A sized fault the repertoire proposes for a (claim, edge) pair. */
export interface CandidateFault {
  family: FaultFamily;
  mode: FailureMode;
  /** Repertoire weight × trait factors. */
  score: number;
  /** The traits that moved the score (`retries ×1.5`). */
  because: string[];
  fault: ScenarioFault;
  /** The fault phase this fault needs at least (outages and flapping), when longer than any. */
  minFaultMs?: number;
}

/** Every family that can falsify `claim` on `edge`, most likely first, sized. */
export function candidateFaults(ctx: PlanContext, claim: Claim, edge: GraphEdge): CandidateFault[] {
  const calleeType = ctx.input.snapshot.nodes.find((n) => n.id === edge.target)?.type;
  const traits = { ...edgeTraits(edge, calleeType), ...offPathTrait(ctx, claim, edge) };
  const input = sizingInput(ctx, claim, edge, traits);
  return rankFamilies(claim.check, traits).map(({ row, score, because }) => {
    const sized = row.size(input);
    const why = because.length > 0 ? ` [ranked ${score} for ${claim.check.type}: ${because.join(', ')}]` : ` [ranked ${score} for ${claim.check.type}]`;
    const fault: ScenarioFault = { toxic: sized.toxic, stream: sized.stream, toxicity: sized.toxicity, attributes: sized.attributes, sizing: `${row.family}: ${sized.sizing}${why}`, family: row.family };
    return { family: row.family, mode: row.mode, score, because, fault, ...(sized.minFaultMs !== undefined ? { minFaultMs: sized.minFaultMs } : {}) };
  });
}

/** The fault the rules choose first for a claim on an edge. */
export function chooseFault(ctx: PlanContext, claim: Claim, edge: GraphEdge): ScenarioFault {
  const [top] = candidateFaults(ctx, claim, edge);
  return top.fault;
}

/**
 * The faults scheduled for a claim on an edge: the top family, and with
 * `second` the best family of a different failure mode when it scores at
 * least SECOND_FAMILY_MIN_SHARE of the top (a second family of the same
 * mode would repeat the first experiment).
 */
export function scheduledFaults(ctx: PlanContext, claim: Claim, edge: GraphEdge, second: boolean): CandidateFault[] {
  const ranked = candidateFaults(ctx, claim, edge);
  if (ranked.length === 0) return [];
  const [top] = ranked;
  const other = second ? ranked.find((c) => c.mode !== top.mode && c.score >= top.score * SECOND_FAMILY_MIN_SHARE) : undefined;
  return other ? [top, other] : [top];
}

/** `offPath` when the claim's traced entrypoints exist and none of their traffic crosses the edge. */
function offPathTrait(ctx: PlanContext, claim: Claim, edge: GraphEdge): { offPath?: true } {
  const traced = checkEntrypoints(claim.check).flatMap((n) => ctx.epMap.get(n) ?? []);
  if (traced.length === 0) return {};
  const crossing = ctx.input.snapshot.crossings[edge.id] ?? {};
  return traced.some((ep) => (crossing[ep] ?? 0) > 0) ? {} : { offPath: true };
}

function sizingInput(ctx: PlanContext, claim: Claim, edge: GraphEdge, traits: SizingInput['traits']): SizingInput {
  const names = checkEntrypoints(claim.check);
  const traced = new Set(names.flatMap((n) => ctx.epMap.get(n) ?? []));
  const eps = ctx.input.snapshot.entrypoints.filter((t) => traced.has(t.id));
  const manifestEps = ctx.input.manifest.entrypoints.filter((e) => names.includes(e.name));
  return {
    edge,
    traits,
    check: claim.check,
    ...(eps.length > 0 ? { entrypoint: { p50: Math.max(...eps.map((t) => t.latency.p50)), p99: Math.max(...eps.map((t) => t.latency.p99)) } } : {}),
    ...(manifestEps.length > 0 ? { entrypointTimeoutMs: Math.max(...manifestEps.map((e) => e.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS)) } : {}),
    phases: ctx.input.manifest.phases,
  };
}
