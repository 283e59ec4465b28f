/**
 * The serialisable shape of the interaction graph and its risk ranking.
 * The live graph is a graphology instance (graph/builder.ts); this snapshot
 * is what flows to the plan generators, the API and the artifact store.
 */

/** What a node is. Services emit spans; the rest are inferred from client/producer attributes. */
export type NodeType = 'service' | 'database' | 'cache' | 'queue' | 'external';

/** A node of the interaction graph. */
export interface GraphNode {
  /** Service name, or an inferred id such as `redis`, `postgresql:orders`, `api.stripe.com`. */
  id: string;
  type: NodeType;
  /** True for services that emitted spans themselves. */
  instrumented: boolean;
  /** `db.system`, `messaging.system`, … for inferred dependencies. */
  system?: string;
  /** Spans attributed to this node (as emitter, or as the callee of inferred calls). */
  spans: number;
  /**
   * Other names the callers' spans used for this node, sorted: `db.system`
   * (when the id is more than that), `peer.service`, and the host and
   * `host:port` they dialled. Users write these in proxies and `degraded:`
   * scopes (graph/node-names.ts resolves them). Absent when there are none.
   */
  aliases?: string[];
}

/** Latency percentiles in milliseconds, from a mergeable sketch (relative error ≤ 1%). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Caller→callee statistics. */
export interface GraphEdge {
  /** `${source}->${target}` */
  id: string;
  source: string;
  target: string;
  /** `sync` for request/response, `async` for producer→consumer (or fire-and-forget) pairs. */
  mode: 'sync' | 'async';
  protocol: 'http' | 'rpc' | 'db' | 'messaging' | 'other';
  calls: number;
  errors: number;
  /** errors / calls, 0 when no calls. */
  errorRate: number;
  /** Client-side latency (the caller's view). */
  latency: LatencySummary;
  /** Distinct operations seen (capped; `truncated` says so). */
  operations: string[];
  operationsTruncated?: boolean;
  /** `host:port` values seen in server.address/port on the client side (for proxy suggestions). */
  serverAddresses: string[];
  retries: {
    /** Parent spans that called this edge's callee+operation more than once. */
    retriedParents: number;
    /** Extra attempts beyond the first, summed. */
    extraAttempts: number;
    /** calls / (calls - extraAttempts); 1 means no retries. */
    amplification: number;
  };
  timeout: {
    /** `observed`: client durations pile up at a constant cut-off; `none`: no evidence of a timeout. */
    evidence: 'observed' | 'none';
    /** The cut-off in ms when observed. */
    cutoffMs?: number;
    /** Calls that ended at the cut-off. */
    hits?: number;
  };
}

/** A root server span group: how traffic enters the system. */
export interface GraphEntrypoint {
  /** `${service} ${method} ${route}` */
  id: string;
  service: string;
  method: string;
  route: string;
  calls: number;
  errors: number;
  latency: LatencySummary;
}

/** The whole interaction graph as plain data. */
export interface GraphSnapshot {
  schemaVersion: 1;
  builtAt: string;
  /** Observed span time range (µs since epoch), absent when no spans. */
  window?: { startUs: number; endUs: number };
  spans: number;
  traces: number;
  /** Ingest and build warnings: reason → count. */
  warnings: Record<string, number>;
  nodes: GraphNode[];
  edges: GraphEdge[];
  entrypoints: GraphEntrypoint[];
  /**
   * Share of entrypoint traffic crossing each edge: edge id → entrypoint id →
   * traces of that entrypoint that crossed the edge.
   */
  crossings: Record<string, Record<string, number>>;
  /** Longest caller chain depth below each node (0 for leaves). */
  depth: Record<string, number>;
}

/** The factor values behind a risk score; every factor is shown to the user. */
export interface RiskFactors {
  errorRate: number;
  /** p99 / p50 of the edge's latency. */
  tailRatio: number;
  /** Share (0..1) of all entrypoint traces that cross the edge. */
  blastRadius: number;
  /** calls per logical call (1 = no retries). */
  retryAmplification: number;
  /** 1 when the edge is synchronous and shows no timeout evidence. */
  syncWithoutTimeout: 0 | 1;
  /** Depth of the callee's subtree. */
  depth: number;
  /** Distinct callees of the callee. */
  fanOut: number;
  /** Extra weight from earlier sweeps' failing or inconclusive scenarios (0 when none). */
  history?: number;
}

/** One ranked item: an edge or an entrypoint path. */
export interface RiskItem {
  kind: 'edge' | 'path';
  /** Edge id, or `entrypoint id => a->b->c` for paths. */
  id: string;
  /** For edges: the edge id; for paths: the riskiest edge on it. */
  edge: string;
  /** For paths: the nodes from the entrypoint's service down. */
  path?: string[];
  entrypoint?: string;
  score: number;
  factors: RiskFactors;
  /** One sentence a person can check against the traces. */
  reason: string;
}

/** Ranked risks, highest score first, with the weights used. */
export interface RiskRanking {
  weights: Record<string, number>;
  items: RiskItem[];
}
