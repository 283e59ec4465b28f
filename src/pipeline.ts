/**
 * The stages the service sequences, as values: manifest and plan loading
 * (generators), trace sources (ingest), graph building, ranking, reading and
 * exporting (graph), plan creation and rendering (generators), findings
 * rendering (runners). The API, sweeps and every CLI command depend on this
 * interface, not on the modules, so they are tested with small fakes;
 * src/real-pipeline.ts wires the real modules. The runtime adapters (fault
 * proxy, executor, receivers) are built by src/wiring.ts.
 */
import type { Manifest } from '../generators/manifest.js';
import type { TraceSourceSpec } from '../ingest/trace-source.js';
import type { Plan } from '../generators/plan.js';
import type { GraphSnapshot, RiskRanking } from '../graph/model.js';
import type { ImportedGraph } from '../graph/import-json.js';
import type { TraceQuery, TraceSource } from '../ingest/trace-source.js';
import type { IngestWarnings } from '../ingest/warnings.js';
import type { Findings } from '../runners/record/result.js';

/** What earlier sweeps said about one edge (feedback for the ranking). */
export interface EdgeHistory {
  edge: string;
  /** Sweeps in which the edge's scenarios were run. */
  sweeps: number;
  failed: number;
  inconclusive: number;
  passed: number;
}

/** A value or a promise of it: stages may be sync or async. */
export type MaybePromise<T> = T | Promise<T>;

/** The stages of faultline, as the service calls them. */
export interface Pipeline {
  /** Load and validate a manifest file (MANIFEST_INVALID names the key path); relative trace paths resolve against its folder. */
  loadManifest(path: string): MaybePromise<Manifest>;
  /**
   * Parse an uploaded manifest (YAML or JSON text); relative paths resolve against baseDir.
   * `readFile` reads its claimsFile (the API passes a confined reader, src/api/upload-policy.ts).
   */
  parseManifest(text: string, opts: { baseDir: string; readFile?: (path: string) => string }): MaybePromise<Manifest>;
  /** Read and validate a plan.json (NOT_FOUND, PLAN_INVALID naming the key). */
  loadPlan(path: string): Promise<Plan>;
  /** Any graph document faultline writes (snapshot, graph --json, GET /v1/graph); BAD_INPUT naming `source` otherwise. */
  importGraph(doc: unknown, source: string): ImportedGraph;
  /** The one graph document: `{schemaVersion, graph, ranking}` as pretty JSON. */
  graphJson(snapshot: GraphSnapshot, ranking: RiskRanking): string;
  toDot(snapshot: GraphSnapshot, ranking: RiskRanking): string;
  /** A graph from Jaeger dependency links ([{parent, child, callCount}]). */
  graphFromDependencies(links: unknown[]): GraphSnapshot;
  /** The manifest's trace source; `otlp` reads the receiver's store. */
  traceSource(spec: TraceSourceSpec): TraceSource;
  /** `1h`, `30m`, `7d` → milliseconds. */
  parseLookback(s: string): number;
  buildGraph(source: TraceSource, query: TraceQuery, warnings: IngestWarnings, onProgress?: (p: { spans: number }) => void): Promise<GraphSnapshot>;
  rankRisks(snapshot: GraphSnapshot, opts?: { history?: EdgeHistory[] }): RiskRanking;
  /** `previous`: scenario verdicts of earlier sweeps (failing and inconclusive ones are weighed first). */
  /** `llm`: ask the LLM (`faultline plan --llm`); default: when the manifest names a model. */
  createPlan(input: { manifest: Manifest; snapshot: GraphSnapshot; ranking: RiskRanking; previous?: { scenarioId: string; verdict: string }[]; llm?: boolean }): Promise<Plan>;
  renderPlanMarkdown(plan: Plan): string;
  renderFindingsMarkdown(findings: Findings, plan?: Plan): string;
  toMermaid(snapshot: GraphSnapshot, ranking: RiskRanking): string;
}
