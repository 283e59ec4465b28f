/**
 * Reading a graph back: every graph document faultline writes is accepted
 * wherever a graph is read (`faultline plan --graph`, anything else taking
 * a graph file). Three shapes exist in the wild: the bare snapshot, the
 * `faultline graph --json`/`--out` document ({schemaVersion, graph,
 * ranking}, graph/export-json.ts, also what `GET /v1/graph` answers now),
 * and the API's stored record ({id, createdAt, snapshot, ranking}) that
 * `GET /v1/graph` answered before. A ranking that is missing or not a
 * ranking is recomputed rather than trusted.
 */
import { fail } from '../base/errors.js';
import type { GraphSnapshot, RiskRanking } from './model.js';

/** A graph read back: the snapshot, and its ranking when the document carried one. */
export interface ImportedGraph {
  snapshot: GraphSnapshot;
  ranking?: RiskRanking;
}

/** Pick the snapshot (and ranking) out of any graph document; BAD_INPUT naming `source` otherwise. */
export function importGraph(doc: unknown, source: string): ImportedGraph {
  const o = isObject(doc) ? doc : {};
  const snapshot = [o.graph, o.snapshot, doc].find(isSnapshot);
  if (!snapshot) {
    throw fail('BAD_INPUT', `${source} is not a graph document (expected faultline graph --json/--out output, GET /v1/graph, or a bare graph snapshot)`, { source });
  }
  return isRanking(o.ranking) ? { snapshot, ranking: o.ranking } : { snapshot };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields the planner and the ranking read; a wrong shape here would fail far from the file. */
function isSnapshot(v: unknown): v is GraphSnapshot {
  return isObject(v) && v.schemaVersion === 1 && Array.isArray(v.nodes) && Array.isArray(v.edges) && Array.isArray(v.entrypoints) && isObject(v.crossings);
}

function isRanking(v: unknown): v is RiskRanking {
  return isObject(v) && Array.isArray(v.items) && isObject(v.weights);
}
