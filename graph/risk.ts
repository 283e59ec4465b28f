/**
 * Risk ranking: which edges and entrypoint paths are most likely to hurt
 * when something degrades. The score is deliberately simple and fully
 * explainable — a weighted sum of normalised factors, every one of them
 * shown to the user beside the score:
 *
 *   score = Σ weight_f × norm_f            (0 … 100 with the default weights)
 *
 *   norm_error     = min(1, errorRate / 0.10)          10% failed calls saturates
 *   norm_tail      = min(1, ln(p99/p50) / ln(10))      a 10× tail saturates
 *   norm_blast     = blastRadius                       share of entrypoint traces crossing the edge
 *   norm_retry     = min(1, (amplification − 1) / 0.5) 1.5 attempts per call saturates
 *   norm_timeout   = 1 if sync and no timeout evidence, else 0
 *   norm_structure = min(1, (depth + fanOut) / 10)     how much hangs below the callee
 *   norm_history   = min(1, history)                   earlier sweeps' failing/inconclusive scenarios
 *
 * Default weights: error 30, tail 15, blast 20, retry 10, timeout 10,
 * structure 5, history 10 (sum 100).
 *
 * An entrypoint path (the request entering at an entrypoint and the edges
 * its traces cross) scores as its riskiest edge plus 2 points per hop
 * beyond the first to reach that edge (capped at 100): the deeper the weak
 * link, the more layers a failure has to climb through.
 */
import type { GraphEdge, GraphSnapshot, RiskFactors, RiskItem, RiskRanking } from './model.js';
import { fanOutByNode } from './depth.js';
import { edgeReason, pathReason } from './reason.js';

/** Weight of each normalised factor. */
export interface RiskWeights {
  errorRate: number;
  tailRatio: number;
  blastRadius: number;
  retryAmplification: number;
  syncWithoutTimeout: number;
  structure: number;
  history: number;
}

/** The documented default weights (sum 100, so scores read as 0…100). */
export const DEFAULT_WEIGHTS: Readonly<RiskWeights> = Object.freeze({
  errorRate: 30,
  tailRatio: 15,
  blastRadius: 20,
  retryAmplification: 10,
  syncWithoutTimeout: 10,
  structure: 5,
  history: 10,
});

/** Points added to a path per hop beyond the first. */
export const PATH_HOP_BONUS = 2;

/** Options of {@link rankRisks}. */
export interface RankOptions {
  /** Edge id → extra weight from earlier sweeps (1 per failing scenario is a good unit; clamped to 1). */
  history?: Record<string, number>;
  /** Override some weights. */
  weights?: Partial<RiskWeights>;
}

/** Each factor mapped to 0…1 as documented above. */
export function normalise(f: RiskFactors): Record<keyof RiskWeights, number> {
  return {
    errorRate: Math.min(1, f.errorRate / 0.1),
    tailRatio: f.tailRatio > 1 ? Math.min(1, Math.log(f.tailRatio) / Math.log(10)) : 0,
    blastRadius: Math.min(1, Math.max(0, f.blastRadius)),
    retryAmplification: Math.min(1, Math.max(0, (f.retryAmplification - 1) / 0.5)),
    syncWithoutTimeout: f.syncWithoutTimeout,
    structure: Math.min(1, (f.depth + f.fanOut) / 10),
    history: Math.min(1, Math.max(0, f.history ?? 0)),
  };
}

/** Weighted sum of the normalised factors, rounded to one decimal. */
export function scoreOf(f: RiskFactors, weights: RiskWeights): number {
  const n = normalise(f);
  let s = 0;
  for (const k of Object.keys(weights) as (keyof RiskWeights)[]) s += weights[k] * n[k];
  return Math.round(s * 10) / 10;
}

/** Rank the snapshot's edges and entrypoint paths, riskiest first. */
export function rankRisks(snapshot: GraphSnapshot, options: RankOptions = {}): RiskRanking {
  const weights: RiskWeights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const fanOut = fanOutByNode(snapshot.edges);
  const totalEntry = snapshot.entrypoints.reduce((a, e) => a + e.calls, 0);
  const entryById = new Map(snapshot.entrypoints.map((e) => [e.id, e]));

  const edgeItems = new Map<string, RiskItem>();
  for (const e of snapshot.edges) {
    const crossing = snapshot.crossings[e.id] ?? {};
    const crossed = Object.values(crossing).reduce((a, b) => a + b, 0);
    const factors: RiskFactors = {
      errorRate: e.errorRate,
      tailRatio: e.latency.p50 > 0 ? round2(e.latency.p99 / e.latency.p50) : 1,
      blastRadius: totalEntry > 0 ? round3(Math.min(1, crossed / totalEntry)) : 0,
      retryAmplification: round3(e.retries.amplification),
      syncWithoutTimeout: e.mode === 'sync' && e.timeout.evidence === 'none' ? 1 : 0,
      depth: snapshot.depth[e.target] ?? 0,
      fanOut: fanOut.get(e.target) ?? 0,
    };
    if (options.history) factors.history = options.history[e.id] ?? 0;
    // The entrypoint whose traffic leans on this edge the most, for the reason sentence.
    let top: { id: string; share: number } | undefined;
    for (const [id, n] of Object.entries(crossing)) {
      const calls = entryById.get(id)?.calls ?? 0;
      const share = calls > 0 ? n / calls : 0;
      if (!top || share > top.share) top = { id, share };
    }
    const ep = top ? entryById.get(top.id) : undefined;
    edgeItems.set(e.id, {
      kind: 'edge',
      id: e.id,
      edge: e.id,
      score: scoreOf(factors, weights),
      factors,
      reason: edgeReason(e, factors, ep && top ? { label: `${ep.method === '-' ? '' : `${ep.method} `}${ep.route}`, share: top.share } : undefined),
    });
  }

  const pathItems: RiskItem[] = [];
  for (const ep of snapshot.entrypoints) {
    const crossed = snapshot.edges.filter((e) => (snapshot.crossings[e.id]?.[ep.id] ?? 0) > 0);
    if (crossed.length === 0) continue;
    const worst = crossed.map((e) => edgeItems.get(e.id)!).reduce((a, b) => (b.score > a.score ? b : a));
    const worstEdge = crossed.find((e) => e.id === worst.edge)!;
    const path = pathTo(ep.service, worstEdge, crossed);
    const hops = path.length - 1;
    const factors: RiskFactors = { ...worst.factors, depth: hops };
    pathItems.push({
      kind: 'path',
      id: `${ep.id} => ${path.join('->')}`,
      edge: worst.edge,
      path,
      entrypoint: ep.id,
      score: Math.min(100, Math.round((worst.score + PATH_HOP_BONUS * Math.max(0, hops - 1)) * 10) / 10),
      factors,
      reason: pathReason(ep, path, worst),
    });
  }

  const items = [...edgeItems.values(), ...pathItems].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { weights: { ...weights }, items };
}

/** Shortest chain of crossed edges from the entrypoint's service to the given edge, ending at its target. */
function pathTo(start: string, target: GraphEdge, edges: GraphEdge[]): string[] {
  const prev = new Map<string, string>([[start, '']]);
  const queue = [start];
  while (queue.length > 0 && !prev.has(target.source)) {
    const n = queue.shift()!;
    for (const e of edges) {
      if (e.source === n && !prev.has(e.target)) {
        prev.set(e.target, n);
        queue.push(e.target);
      }
    }
  }
  if (!prev.has(target.source)) return start === target.source ? [start, target.target] : [start, target.source, target.target];
  const chain: string[] = [];
  for (let n = target.source; n !== ''; n = prev.get(n)!) chain.unshift(n);
  return [...chain, target.target];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
