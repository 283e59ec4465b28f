/**
 * Sweep feedback: what earlier sweeps said about each edge, so the ranking
 * boosts edges whose scenarios failed or were inconclusive. Nothing is ever
 * dropped for having passed: a claim that passed many sweeps keeps its
 * scenarios (the ranking only adds weight, it never removes an item).
 */
import type { RiskRanking } from '../../../graph/model.js';
import type { SweepRecord } from '../../store/artifact-store.js';
import type { EdgeHistory } from '../../pipeline.js';

/** Per-edge verdict tallies over the given sweeps (newest first or any order). */
export function edgeHistory(sweeps: SweepRecord[]): EdgeHistory[] {
  const byEdge = new Map<string, EdgeHistory>();
  for (const sweep of sweeps) {
    const seen = new Set<string>();
    for (const claim of sweep.claims) {
      for (const edge of claim.edges) {
        const h = byEdge.get(edge) ?? { edge, sweeps: 0, failed: 0, inconclusive: 0, passed: 0 };
        if (!seen.has(edge)) {
          h.sweeps += 1;
          seen.add(edge);
        }
        for (const v of claim.verdicts) {
          if (v.startsWith('FAIL')) h.failed += 1;
          else if (v.startsWith('INCONCLUSIVE')) h.inconclusive += 1;
          else if (v.startsWith('PASS')) h.passed += 1;
        }
        byEdge.set(edge, h);
      }
    }
  }
  return [...byEdge.values()].sort((a, b) => a.edge.localeCompare(b.edge));
}

/**
 * Make sure every boosted item's reason says why, so the plan's reasons
 * (which quote the ranking) tell people the edge was raised by history.
 */
export function explainHistory(ranking: RiskRanking, history: EdgeHistory[]): RiskRanking {
  const byEdge = new Map(history.map((h) => [h.edge, h]));
  return {
    ...ranking,
    items: ranking.items.map((item) => {
      const h = byEdge.get(item.edge);
      if (!h || h.failed + h.inconclusive === 0 || /earlier sweep/i.test(item.reason)) return item;
      const note = `Raised by earlier sweeps: ${h.failed} failed and ${h.inconclusive} inconclusive scenario(s) on ${h.edge} over ${h.sweeps} sweep(s).`;
      return { ...item, reason: `${item.reason} ${note}` };
    }),
  };
}
