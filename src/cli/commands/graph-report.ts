/**
 * What `faultline graph` prints for people: the top-risk table, the
 * one-line summary and the progress line. Pure text from values.
 */
import type { GraphSnapshot, RiskItem, RiskRanking } from '../../../graph/model.js';
import { renderTable, type TableStyle } from '../table.js';

/** `err 25%, p99/p50 9.1×, blast 64%, retries 1.20×, no timeout evidence` — the factors that stand out. */
export function keyFactors(item: RiskItem): string {
  const f = item.factors;
  const parts: string[] = [];
  if (f.errorRate > 0) parts.push(`err ${(f.errorRate * 100).toFixed(f.errorRate < 0.01 ? 1 : 0)}%`);
  if (f.tailRatio >= 2) parts.push(`p99/p50 ${f.tailRatio.toFixed(1)}×`);
  if (f.blastRadius > 0) parts.push(`blast ${Math.round(f.blastRadius * 100)}%`);
  if (f.retryAmplification > 1) parts.push(`retries ${f.retryAmplification.toFixed(2)}×`);
  if (f.syncWithoutTimeout === 1) parts.push('no timeout evidence');
  if (item.kind === 'path') parts.push(`${f.depth} ${f.depth === 1 ? 'hop' : 'hops'}`);
  else if (f.depth + f.fanOut > 0) parts.push(`depth ${f.depth}/fan-out ${f.fanOut}`);
  if ((f.history ?? 0) > 0) parts.push('history');
  return parts.join(', ') || '-';
}

/** The top-N risk table; rank and item are never cut. */
export function riskTable(ranking: RiskRanking, top: number, style: TableStyle = {}): string {
  const rows = ranking.items.slice(0, top).map((it, i) => [i + 1, it.kind === 'path' ? it.id : it.edge, it.score.toFixed(1), keyFactors(it), it.reason]);
  if (rows.length === 0) return 'No edges found: the traces show no calls between services or to dependencies.';
  return renderTable(['#', 'item', 'score', 'key factors', 'reason'], rows, { ...style, keep: [0, 1] });
}

/** `5 services, 3 dependencies, 4 edges, 8 spans, 1 trace, 0 warnings`. */
export function summaryLine(snap: GraphSnapshot): string {
  const services = snap.nodes.filter((n) => n.type === 'service').length;
  const deps = snap.nodes.length - services;
  const warnings = Object.values(snap.warnings).reduce((a, b) => a + b, 0);
  const n = (x: number, one: string, many: string) => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`;
  return [
    n(services, 'service', 'services'),
    n(deps, 'dependency', 'dependencies'),
    n(snap.edges.length, 'edge', 'edges'),
    n(snap.entrypoints.length, 'entrypoint', 'entrypoints'),
    n(snap.spans, 'span', 'spans'),
    n(snap.traces, 'trace', 'traces'),
    n(warnings, 'warning', 'warnings'),
  ].join(', ');
}
