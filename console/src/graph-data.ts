/**
 * What the console reads from `GET /v1/graph` (the graph document faultline
 * writes: graph/model.ts on the server), and the graphology graph the graph
 * page draws from it: colours, sizes and a layout.
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { kindShape } from './kind-shapes.js';
import { kindColor, riskColor } from './risk-scale.js';

/** A node of the snapshot. */
export interface NodeDoc { id: string; type: string; instrumented: boolean; spans: number }
/** An edge of the snapshot, with what the side panel shows. */
export interface EdgeDoc {
  id: string; source: string; target: string; mode: string; protocol: string;
  calls: number; errors: number; errorRate: number;
  latency: { count: number; p50: number; p95: number; p99: number; max: number };
  operations: string[];
  retries: { retriedParents: number; extraAttempts: number; amplification: number };
  timeout: { evidence: 'observed' | 'none'; cutoffMs?: number; hits?: number };
}
/** A ranked risk. */
export interface RiskDoc { kind: 'edge' | 'path'; id: string; edge: string; score: number; factors: Record<string, number>; reason: string; entrypoint?: string }
/** The graph document. */
export interface GraphDoc {
  id: string;
  createdAt: string;
  graph: { nodes: NodeDoc[]; edges: EdgeDoc[]; entrypoints: { id: string; calls: number }[]; crossings: Record<string, Record<string, number>>; depth: Record<string, number> };
  ranking: { items: RiskDoc[] };
}

/** The drawable graph plus the lookups the page needs. */
export interface DrawnGraph {
  graph: Graph;
  edges: Map<string, EdgeDoc>;
  risks: Map<string, RiskDoc>;
  /** Edge ids, riskiest first. */
  byRisk: string[];
}

/** A stable pseudo-random number in 0..1 from a string (layouts must not move between loads). */
function hash01(s: string): number {
  let x = 2166136261;
  for (let i = 0; i < s.length; i += 1) x = Math.imul(x ^ s.charCodeAt(i), 16777619);
  return ((x >>> 0) % 10007) / 10007;
}

/** Above this many nodes the layout runs in slices after the first draw, so the page answers meanwhile. */
const PROGRESSIVE = 300;

function layoutSettings(graph: Graph) {
  return { ...forceAtlas2.inferSettings(graph), gravity: 1, scalingRatio: 10 };
}

/**
 * Settle a big graph's layout a few iterations per task (Barnes-Hut is slower
 * than the plain O(n²) step at a thousand nodes, so it stays off). Returns a
 * function that stops it; sigma redraws as the positions change.
 */
export function settle(graph: Graph, iterations = 40, perSlice = 4): () => void {
  if (graph.order <= PROGRESSIVE) return () => {};
  const settings = layoutSettings(graph);
  let done = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slice = () => {
    forceAtlas2.assign(graph, { iterations: perSlice, settings });
    done += perSlice;
    if (done < iterations) timer = setTimeout(slice, 0);
  };
  timer = setTimeout(slice, 0);
  return () => clearTimeout(timer);
}

/** Build the graphology graph: node colour and shape by kind, edge colour by risk, width by calls, laid out. */
export function drawnGraph(doc: GraphDoc): DrawnGraph {
  const graph = new Graph({ type: 'directed', multi: false, allowSelfLoops: true });
  const risks = new Map<string, RiskDoc>();
  for (const r of doc.ranking.items) if (r.kind === 'edge' && !risks.has(r.edge)) risks.set(r.edge, r);
  const maxScore = Math.max(0, ...[...risks.values()].map((r) => r.score));
  const maxCalls = Math.max(1, ...doc.graph.edges.map((e) => e.calls));
  const maxDepth = Math.max(1, ...Object.values(doc.graph.depth));
  const spread = Math.sqrt(doc.graph.nodes.length + 1) * 10;
  const big = doc.graph.nodes.length > PROGRESSIVE;
  const addNode = (n: NodeDoc) => {
    const depth = doc.graph.depth[n.id] ?? 0;
    // Callers left, callees right: the layout starts from the call direction.
    graph.mergeNode(n.id, {
      label: n.id, kind: n.type, color: kindColor(n.type), shape: kindShape(n.type).index,
      size: (big ? 3 : 6) + (big ? 2 : 3) * Math.log10(1 + n.spans),
      x: (maxDepth - depth) * spread / maxDepth, y: hash01(n.id) * spread,
    });
  };
  for (const n of doc.graph.nodes) addNode(n);
  // Thinner edges on big graphs, or a thousand services become a solid mat.
  const [widthBase, widthSpan] = big ? [0.5, 2.5] : [1, 5];
  const edges = new Map<string, EdgeDoc>();
  for (const e of doc.graph.edges) {
    for (const end of [e.source, e.target]) if (!graph.hasNode(end)) addNode({ id: end, type: 'service', instrumented: false, spans: 0 });
    const r = risks.get(e.id);
    const t = maxScore > 0 && r ? r.score / maxScore : 0;
    graph.mergeEdgeWithKey(e.id, e.source, e.target, { color: riskColor(t), size: widthBase + widthSpan * Math.log(1 + e.calls) / Math.log(1 + maxCalls), risk: t, type: 'arrow' });
    edges.set(e.id, e);
  }
  // Small graphs are laid out before the first draw; big ones draw at once and settle (settle() below).
  if (graph.order > 1 && graph.order <= PROGRESSIVE) forceAtlas2.assign(graph, { iterations: 150, settings: layoutSettings(graph) });
  const byRisk = [...edges.keys()].sort((a, b) => (risks.get(b)?.score ?? 0) - (risks.get(a)?.score ?? 0) || a.localeCompare(b));
  return { graph, edges, risks, byRisk };
}
