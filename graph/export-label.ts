/** Shared text for diagram exports: edge labels and the set of highlighted risks. */
import type { GraphEdge, RiskRanking } from './model.js';

/** `1,204 calls, 3.1% err, p99 91ms` — the facts a diagram edge shows. */
export function edgeLabel(e: GraphEdge): string {
  const parts = [`${e.calls.toLocaleString('en-US')} calls`];
  if (e.calls > 0) parts.push(e.errors === 0 ? '0% err' : `${(e.errorRate * 100).toFixed(e.errorRate < 0.01 ? 2 : 1)}% err`);
  if (e.latency.count > 0) parts.push(`p99 ${e.latency.p99 >= 10 ? Math.round(e.latency.p99) : e.latency.p99.toFixed(1)}ms`);
  return parts.join(', ');
}

/** Edge ids of the top `n` ranked items (a path contributes its riskiest edge). */
export function topRiskEdges(ranking: RiskRanking | undefined, n: number): Set<string> {
  const out = new Set<string>();
  for (const item of ranking?.items ?? []) {
    if (out.size >= n) break;
    out.add(item.edge);
  }
  return out;
}

/** Diagram options. */
export interface DiagramOptions {
  ranking?: RiskRanking;
  /** How many top risks to highlight (default 5). */
  highlight?: number;
}
