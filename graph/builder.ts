/**
 * Builds the interaction graph incrementally from span batches. Spans go
 * into a bounded {@link TraceWindow}; each finished trace is analysed
 * (graph/trace-analysis.ts) and folded into a graphology DirectedGraph whose
 * node and edge attributes hold running statistics. Memory grows with
 * services, edges and entrypoints — never with the number of spans.
 */
import { DirectedGraph } from 'graphology';
import type { GraphNode, GraphSnapshot, NodeType } from './model.js';
import type { Span } from '../ingest/span.js';
import type { TraceQuery, TraceSource } from '../ingest/trace-source.js';
import { IngestWarnings } from '../ingest/warnings.js';
import { holdsWholeTraces } from '../ingest/whole-traces.js';
import { EdgeStats } from './edge-stats.js';
import { EntrypointTable } from './entrypoint-table.js';
import { aliasesOf } from './node-names.js';
import { analyseTrace, type AnalysisContext, type CallFact, type ProducerRef } from './trace-analysis.js';
import { countRetries } from './retry.js';
import { TraceWindow, type TraceWindowOptions } from './trace-window.js';
import { depthByNode } from './depth.js';

/** Node attributes of the live graph. */
export interface NodeAttributes {
  type: NodeType;
  instrumented: boolean;
  system?: string;
  spans: number;
}

/** Edge attributes of the live graph. */
export interface EdgeAttributes {
  stats: EdgeStats;
}

/** Builder options. */
export interface GraphBuilderOptions extends TraceWindowOptions {
  /** Where build warnings are counted (shared with ingest, so one summary covers both). */
  warnings?: IngestWarnings;
  /** Clock for `builtAt` (tests pin it). */
  now?: () => Date;
  /** Unpaired producers remembered for consumers linking to them from later traces (default 10,000). */
  maxProducers?: number;
}

/** Incremental interaction-graph builder. */
export class GraphBuilder {
  readonly graph = new DirectedGraph<NodeAttributes, EdgeAttributes>();
  readonly warnings: IngestWarnings;
  private readonly window: TraceWindow;
  private readonly entrypoints = new EntrypointTable();
  private readonly crossings = new Map<string, Map<string, number>>();
  /** The same inner maps keyed by the edge's stats object: an identity lookup instead of hashing the id string. */
  private readonly crossingsByStats = new Map<EdgeStats, Map<string, number>>();
  private readonly nodeAttrs = new Map<string, NodeAttributes>();
  private readonly edgeStats = new Map<string, EdgeStats>();
  /** source → target → stats: the hot-path lookup, without building an id string per call. */
  private readonly edgeBySource = new Map<string, Map<string, EdgeStats>>();
  private lastService?: string;
  private lastAttrs?: NodeAttributes;
  private readonly producers = new Map<string, ProducerRef>();
  private readonly maxProducers: number;
  private readonly now: () => Date;
  /** Built once: a closure per trace would cost an allocation (and, under tsx, a defineProperty). */
  private readonly context: AnalysisContext = { producer: (t, s) => this.producers.get(`${t}/${s}`) };
  private spanCount = 0;
  private traceCount = 0;
  private startUs = Infinity;
  private endUs = -Infinity;

  constructor(options: GraphBuilderOptions = {}) {
    this.warnings = options.warnings ?? new IngestWarnings();
    this.now = options.now ?? (() => new Date());
    this.maxProducers = options.maxProducers ?? 10_000;
    this.window = new TraceWindow((spans) => this.finalize(spans), (r) => this.warnings.add(r), options);
  }

  /** Spans consumed so far. */
  get spans(): number {
    return this.spanCount;
  }

  /** Traces finalized so far. */
  get traces(): number {
    return this.traceCount;
  }

  /** Traces held in the assembly window right now. */
  get activeTraces(): number {
    return this.window.activeTraces;
  }

  /** Most traces held at once so far. */
  get peakActiveTraces(): number {
    return this.window.peakActiveTraces;
  }

  /**
   * Consume one batch of spans. A batch marked as holding whole traces
   * (ingest/whole-traces.ts: query backends' answers) is analysed trace by
   * trace right away; anything else is assembled in the window.
   */
  add(batch: Span[]): void {
    if (holdsWholeTraces(batch)) {
      this.addWholeTraces(batch);
      return;
    }
    for (const s of batch) {
      this.count(s);
      this.window.add(s);
    }
  }

  /**
   * Whole traces skip the window, run by run of one trace id. A trace the
   * window already tracks (part of it came unmarked, or it was seen before)
   * goes through the window, which reconciles it as it would any late span.
   */
  private addWholeTraces(batch: Span[]): void {
    let i = 0;
    while (i < batch.length) {
      const id = batch[i].traceId;
      let j = i + 1;
      while (j < batch.length && batch[j].traceId === id) j++;
      const run = i === 0 && j === batch.length ? batch : batch.slice(i, j);
      for (const s of run) this.count(s);
      if (this.window.tracks(id)) for (const s of run) this.window.add(s);
      else this.window.finalizeWhole(run);
      i = j;
    }
  }

  /** Per-span bookkeeping: counts, time bounds, the emitting service's node. */
  private count(s: Span): void {
    this.spanCount += 1;
    if (s.startUs < this.startUs) this.startUs = s.startUs;
    if (s.startUs + s.durationUs > this.endUs) this.endUs = s.startUs + s.durationUs;
    const attrs = s.service === this.lastService && this.lastAttrs ? this.lastAttrs : this.node(s.service, 'service');
    this.lastService = s.service;
    this.lastAttrs = attrs;
    attrs.spans += 1;
    if (!attrs.instrumented) {
      // A name first seen as an inferred callee turns out to be a service of ours.
      attrs.instrumented = true;
      attrs.type = 'service';
      delete attrs.system;
    }
  }

  /** Finalize every trace still assembling (end of stream). */
  finish(): void {
    this.window.flush();
  }

  /** The graph as plain data; finalizes pending traces first. */
  snapshot(): GraphSnapshot {
    this.finish();
    this.foldEntrypoints();
    const nodes: GraphNode[] = this.graph.mapNodes((id, a) => {
      const n: GraphNode = { id, type: a.type, instrumented: a.instrumented, spans: a.spans };
      if (a.system !== undefined) n.system = a.system;
      const aliases = aliasesOf(id, a.system, this.graph.mapInEdges(id, (_e, ea) => ea.stats));
      if (aliases.length > 0) n.aliases = aliases;
      return n;
    });
    nodes.sort((a, b) => cmp(a.id, b.id));
    const edges = this.graph.mapEdges((_e, a) => a.stats.toEdge()).sort((a, b) => cmp(a.id, b.id));
    const entrypoints = this.entrypoints.toList();
    const crossings: GraphSnapshot['crossings'] = {};
    for (const [edge, byEntry] of [...this.crossings].sort((a, b) => cmp(a[0], b[0]))) crossings[edge] = Object.fromEntries(byEntry);
    const snap: GraphSnapshot = {
      schemaVersion: 1,
      builtAt: this.now().toISOString(),
      spans: this.spanCount,
      traces: this.traceCount,
      warnings: this.warnings.toJSON(),
      nodes,
      edges,
      entrypoints,
      crossings,
      depth: depthByNode(nodes.map((n) => n.id), edges),
    };
    if (this.spanCount > 0) snap.window = { startUs: this.startUs, endUs: this.endUs };
    return snap;
  }

  private node(id: string, type: NodeType, system?: string): NodeAttributes {
    let a = this.nodeAttrs.get(id);
    if (!a) {
      a = { type, instrumented: false, spans: 0 };
      if (system !== undefined) a.system = system;
      this.graph.addNode(id, a);
      // graphology keeps this very object as the node's attributes; the map
      // only saves a graph lookup per span on the hot path.
      a = this.graph.getNodeAttributes(id);
      this.nodeAttrs.set(id, a);
    }
    return a;
  }

  private rememberProducer(s: Span): void {
    this.producers.set(`${s.traceId}/${s.spanId}`, {
      service: s.service, durationMs: s.durationUs / 1000, error: s.status === 'error', operation: s.operation,
    });
    if (this.producers.size > this.maxProducers) this.producers.delete(this.producers.keys().next().value!);
  }

  private finalize(spans: Span[]): void {
    this.traceCount += 1;
    const facts = analyseTrace(spans, this.context);
    if (facts.warnings.size > 0) for (const [reason, n] of facts.warnings) this.warnings.add(reason, n);
    for (let i = 0; i < facts.unpairedProducers.length; i++) this.rememberProducer(facts.unpairedProducers[i]);
    for (const e of facts.entrypoints) this.entrypoints.add(e);
    // Crossings count traces, not calls: a request crossing an edge twice
    // counts once. Pairs are few per trace, so a linear de-duplication beats sets.
    const crossedEdges: EdgeStats[] = [];
    const crossedEntries: string[] = [];
    for (const c of facts.calls) {
      const stats = this.edge(c);
      stats.add(c);
      if (c.inferred) this.nodeAttrs.get(c.target)!.spans += 1;
      if (c.entrypoint === undefined) continue;
      let seen = false;
      for (let i = 0; i < crossedEdges.length && !seen; i++) seen = crossedEdges[i] === stats && crossedEntries[i] === c.entrypoint;
      if (seen) continue;
      crossedEdges.push(stats);
      crossedEntries.push(c.entrypoint);
    }
    for (let i = 0; i < crossedEdges.length; i++) {
      const stats = crossedEdges[i];
      let m = this.crossingsByStats.get(stats);
      if (!m) {
        m = new Map();
        this.crossingsByStats.set(stats, m);
        this.crossings.set(stats.id, m);
      }
      m.set(crossedEntries[i], (m.get(crossedEntries[i]) ?? 0) + 1);
    }
    for (const [edge, r] of countRetries(facts.calls)) {
      const stats = this.edgeStats.get(edge)!;
      stats.retriedParents += r.retriedParents;
      stats.extraAttempts += r.extraAttempts;
    }
    if (this.entrypoints.due) this.foldEntrypoints();
  }

  /** Template URL-path entrypoints by cardinality, moving their crossings to the merged ids. */
  private foldEntrypoints(): void {
    const renames = this.entrypoints.fold();
    if (renames.size === 0) return;
    for (const byEntry of this.crossings.values()) {
      for (const [from, to] of renames) {
        const n = byEntry.get(from);
        if (n === undefined) continue;
        byEntry.delete(from);
        byEntry.set(to, (byEntry.get(to) ?? 0) + n);
      }
    }
  }

  private edge(c: CallFact): EdgeStats {
    let bySource = this.edgeBySource.get(c.source);
    if (!bySource) this.edgeBySource.set(c.source, (bySource = new Map()));
    let stats = bySource.get(c.target);
    if (stats) return stats;
    this.node(c.source, 'service');
    this.node(c.target, c.inferred?.type ?? 'service', c.inferred?.system);
    stats = new EdgeStats(c.source, c.target, c);
    this.graph.addDirectedEdgeWithKey(stats.id, c.source, c.target, { stats });
    this.edgeStats.set(stats.id, stats);
    bySource.set(c.target, stats);
    return stats;
  }
}

/** Progress of {@link buildGraph}: spans consumed and traces finalized so far. */
export type BuildProgress = (p: { spans: number; traces: number }) => void;

/**
 * Stream a trace source into a builder and return the snapshot. Warnings of
 * the source and of the build are counted in `warnings`.
 */
export async function buildGraph(
  source: TraceSource,
  query: TraceQuery,
  warnings: IngestWarnings,
  onProgress?: BuildProgress,
  options: Omit<GraphBuilderOptions, 'warnings'> & { signal?: AbortSignal } = {},
): Promise<GraphSnapshot> {
  const builder = new GraphBuilder({ ...options, warnings });
  for await (const batch of source.read(query, warnings, options.signal)) {
    builder.add(batch);
    onProgress?.({ spans: builder.spans, traces: builder.traces });
  }
  const snap = builder.snapshot();
  onProgress?.({ spans: snap.spans, traces: snap.traces });
  return snap;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
