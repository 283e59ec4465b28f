/**
 * What changed between two sweeps' graphs: services and edges that appeared
 * or vanished, and edges whose risk rank moved. Pure: two snapshots (and
 * their rankings) in, a plain diff out, for the sweep record and the digest.
 */
import type { GraphSnapshot, RiskRanking } from '../../graph/model.js';

/** One edge's movement in the risk ranking (ranks are 1-based; absent = not ranked). */
export interface RiskMove {
  edge: string;
  fromRank?: number;
  toRank?: number;
  fromScore?: number;
  toScore?: number;
}

/** The difference between a previous and a current graph. */
export interface GraphDiff {
  /** True when there was no previous graph to compare with. */
  first: boolean;
  newServices: string[];
  vanishedServices: string[];
  newEdges: string[];
  vanishedEdges: string[];
  /** Edges whose rank changed by at least `minRankMove`, biggest move first. */
  riskMoves: RiskMove[];
}

function edgeRanks(ranking: RiskRanking | undefined): Map<string, { rank: number; score: number }> {
  const ranks = new Map<string, { rank: number; score: number }>();
  let rank = 0;
  for (const item of ranking?.items ?? []) {
    if (item.kind !== 'edge' || ranks.has(item.edge)) continue;
    ranks.set(item.edge, { rank: ++rank, score: item.score });
  }
  return ranks;
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** Compare `current` with `previous` (undefined on the first sweep). */
export function diffGraphs(
  previous: { snapshot: GraphSnapshot; ranking?: RiskRanking } | undefined,
  current: { snapshot: GraphSnapshot; ranking?: RiskRanking },
  minRankMove = 2,
): GraphDiff {
  if (!previous) return { first: true, newServices: [], vanishedServices: [], newEdges: [], vanishedEdges: [], riskMoves: [] };
  const before = new Set(previous.snapshot.nodes.map((n) => n.id));
  const after = new Set(current.snapshot.nodes.map((n) => n.id));
  const beforeE = new Set(previous.snapshot.edges.map((e) => e.id));
  const afterE = new Set(current.snapshot.edges.map((e) => e.id));
  const r0 = edgeRanks(previous.ranking);
  const r1 = edgeRanks(current.ranking);
  const moves: RiskMove[] = [];
  for (const edge of new Set([...r0.keys(), ...r1.keys()])) {
    const a = r0.get(edge);
    const b = r1.get(edge);
    // New or vanished edges are reported as such, not as moves.
    if (!a || !b) continue;
    if (Math.abs(a.rank - b.rank) >= minRankMove) moves.push({ edge, fromRank: a.rank, toRank: b.rank, fromScore: a.score, toScore: b.score });
  }
  moves.sort((x, y) => Math.abs(y.fromRank! - y.toRank!) - Math.abs(x.fromRank! - x.toRank!) || x.edge.localeCompare(y.edge));
  return {
    first: false,
    newServices: sorted([...after].filter((s) => !before.has(s))),
    vanishedServices: sorted([...before].filter((s) => !after.has(s))),
    newEdges: sorted([...afterE].filter((e) => !beforeE.has(e))),
    vanishedEdges: sorted([...beforeE].filter((e) => !afterE.has(e))),
    riskMoves: moves,
  };
}

/** True when the diff has anything worth telling people. */
export function hasTopologyChanges(d: GraphDiff): boolean {
  return d.newServices.length + d.vanishedServices.length + d.newEdges.length + d.vanishedEdges.length + d.riskMoves.length > 0;
}
