/** The JSON export: the snapshot and its ranking in one versioned document. */
import type { GraphSnapshot, RiskRanking } from './model.js';

/** The document `faultline graph --json` writes. */
export interface GraphDocument {
  schemaVersion: 1;
  graph: GraphSnapshot;
  ranking: RiskRanking;
}

/** Serialise a snapshot and its ranking (pretty-printed, stable key order from the builders). */
export function exportJson(graph: GraphSnapshot, ranking: RiskRanking): string {
  const doc: GraphDocument = { schemaVersion: 1, graph, ranking };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
