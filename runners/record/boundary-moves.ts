/**
 * How the service boundaries of a scenario moved from baseline to fault:
 * the observed blast radius, read from the recorded per-phase boundary
 * metrics (runners/analyse/boundaries.ts computes those from spans). It sits
 * with the record because findings render it and landing analysis reads it.
 */
import type { BoundaryMetrics } from './result.js';

/** How one boundary moved from baseline to fault. */
export interface BoundaryMove {
  edge: string;
  /** Human lines: `p99 41→655 ms`, `errors 0%→12%`. */
  changes: string[];
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * Movement thresholds: p99 at least 1.5× and 20 ms slower, error rate up by
 * 5 points, retries up by 5 and half again, calls halved or doubled (a
 * boundary that appears or vanishes under the fault also moved).
 */
export function compareBoundary(base: BoundaryMetrics | undefined, fault: BoundaryMetrics | undefined): string[] {
  if (!base && !fault) return [];
  if (!base) return [`appeared under the fault (${fault!.calls} calls)`];
  if (!fault) return [`no calls under the fault (${base.calls} in baseline)`];
  const out: string[] = [];
  if (fault.p99Ms >= base.p99Ms * 1.5 && fault.p99Ms - base.p99Ms >= 20) out.push(`p99 ${Math.round(base.p99Ms)}→${Math.round(fault.p99Ms)} ms`);
  if (fault.errorRate - base.errorRate >= 0.05) out.push(`errors ${pct(base.errorRate)}→${pct(fault.errorRate)}`);
  if (fault.retries - base.retries >= 5 && fault.retries >= base.retries * 1.5) out.push(`retries ${base.retries}→${fault.retries}`);
  if (fault.calls * 2 <= base.calls || fault.calls >= base.calls * 2) out.push(`calls ${base.calls}→${fault.calls}`);
  return out;
}

/** Every boundary that moved between baseline and fault, with how. */
export function boundaryMoves(b: BoundaryMetrics[]): BoundaryMove[] {
  const edges = [...new Set(b.map((x) => x.edge))].sort();
  const moves: BoundaryMove[] = [];
  for (const edge of edges) {
    const changes = compareBoundary(
      b.find((x) => x.edge === edge && x.phase === 'baseline'),
      b.find((x) => x.edge === edge && x.phase === 'fault'),
    );
    if (changes.length) moves.push({ edge, changes });
  }
  return moves;
}

/** Edge ids of the boundaries that moved between baseline and fault: the observed blast radius. */
export function movedBoundaries(b: BoundaryMetrics[]): string[] {
  return boundaryMoves(b).map((m) => m.edge);
}
