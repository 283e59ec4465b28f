/**
 * In-memory fakes of faultline's own interfaces (Executor, FaultInjector,
 * Pipeline) and small builders of plans, findings and graphs for the
 * service tests. No library is mocked.
 */
import { parse as parseYaml } from 'yaml';
import type { Manifest } from '../../generators/manifest.js';
import type { TraceSourceSpec } from '../../ingest/trace-source.js';
import type { Plan } from '../../generators/plan.js';
import type { GraphSnapshot, RiskRanking } from '../../graph/model.js';
import { importGraph, type ImportedGraph } from '../../graph/import-json.js';
import type { TraceSource } from '../../ingest/trace-source.js';
import type { Executor, ProgressEvent, RunOptions } from '../../runners/execute/executor.js';
import type { ProxySpec } from '../../base/proxy-spec.js';
import type { FaultInjector, ProxyState, ToxicSpec } from '../../runners/faults/fault-injector.js';
import type { Findings, ScenarioResult, Verdict } from '../../runners/record/result.js';
import type { EdgeHistory, Pipeline } from '../../src/pipeline.js';
import { fail } from '../../base/errors.js';

export const MANIFEST_YAML = `version: 1
system: { name: shop }
traces: { type: otlp }
toxiproxy: {}
proxies: []
entrypoints: []
probes: []
claims: []
workload: { ratePerSec: 10, seed: 1 }
phases: { baselineMs: 100, faultMs: 100, recoveryMs: 100 }
halting: []
`;

export function manifest(name = 'shop'): Manifest {
  return { ...(parseYaml(MANIFEST_YAML) as Manifest), system: { name } };
}

export function snapshot(edges: string[], services?: string[]): GraphSnapshot {
  const nodes = services ?? [...new Set(edges.flatMap((e) => e.split('->')))];
  return {
    schemaVersion: 1,
    builtAt: '2025-01-01T00:00:00.000Z',
    spans: 10,
    traces: 2,
    warnings: {},
    nodes: nodes.map((id) => ({ id, type: 'service', instrumented: true, spans: 1 })),
    edges: edges.map((id) => {
      const [source, target] = id.split('->');
      return {
        id, source, target, mode: 'sync', protocol: 'http', calls: 10, errors: 0, errorRate: 0,
        latency: { count: 10, p50: 1, p95: 2, p99: 3, max: 4 }, operations: [], serverAddresses: [],
        retries: { retriedParents: 0, extraAttempts: 0, amplification: 1 }, timeout: { evidence: 'none' },
      };
    }),
    entrypoints: [],
    crossings: {},
    depth: {},
  };
}

export function ranking(edges: string[], history?: EdgeHistory[]): RiskRanking {
  return {
    weights: {},
    items: edges.map((edge, i) => {
      const h = history?.find((x) => x.edge === edge);
      return {
        kind: 'edge', id: edge, edge, score: 10 - i + (h ? h.failed + h.inconclusive : 0),
        factors: { errorRate: 0, tailRatio: 1, blastRadius: 1, retryAmplification: 1, syncWithoutTimeout: 1, depth: 1, fanOut: 0, ...(h ? { history: h.failed + h.inconclusive } : {}) },
        reason: `${edge} is synchronous without a timeout.`,
      };
    }),
  };
}

let planSeq = 0;
export function plan(scenarios: { id: string; edge: string; claims: string[] }[], system = 'shop'): Plan {
  planSeq += 1;
  return {
    schemaVersion: 1,
    id: `plan-${String(planSeq).padStart(4, '0')}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, planSeq)).toISOString(),
    system,
    generator: { kind: 'rule' },
    architecture: { summary: '', mermaid: '', services: 2, edges: 1 },
    claims: [...new Set(scenarios.flatMap((s) => s.claims))].map((id) => ({ id, text: id, category: 'recovery', check: { type: 'recovery', entrypoint: 'checkout', withinMs: 5000 }, source: 'user' })),
    missingClaims: [],
    hypotheses: [],
    scenarios: scenarios.map((s) => ({
      id: s.id, title: s.id, claims: s.claims, hypotheses: [], target: { edge: s.edge, proxy: 'p' },
      fault: { toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 500 }, sizing: 'x' },
      workload: { entrypoints: [], ratePerSec: 1, seed: 1 }, oracle: [], landing: { kind: 'client-timing', expectation: '' },
      exitCriteria: [], phases: { baselineMs: 1, faultMs: 1, recoveryMs: 1 }, requiresFaultlineProxy: false, observedPhases: ['fault'],
    })),
    coverage: [],
    adequacy: [],
    residualUncertainty: [],
    confidence: 'low',
    recovery: { windowMs: 1000, bandFactor: 1.5, errorSlack: 0.01, holdMs: 1000 },
    halting: [],
    entrypoints: [],
    proxies: [],
    probes: [],
  };
}

export function result(scenarioId: string, claims: string[], verdict: Verdict, recoveredAfterMs?: number | null): ScenarioResult {
  return {
    scenarioId, claims, verdict, verdictPath: [], checks: [], landing: { proven: true, source: 'client-timing', evidence: [] },
    ...(recoveredAfterMs !== undefined ? { recovery: { recoveredAfterMs, windowMs: 1000, holdMs: 1000, band: 'p99 ≤ 10 ms' } } : {}),
    metrics: [], boundaries: [], blame: verdict.startsWith('FAIL') ? 'SUT' : 'unknown', blameReason: verdict.startsWith('FAIL') ? 'checker failed on fault history only' : 'n/a',
    seed: 1, attempts: 1, durationMs: 5,
  };
}

export function findingsFor(p: Plan, runId: string, verdicts: Record<string, Verdict>, recovery: Record<string, number | null> = {}): Findings {
  const results = p.scenarios.map((s) => result(s.id, s.claims, verdicts[s.id] ?? 'PASS-hardening', recovery[s.id]));
  const counts: Partial<Record<Verdict, number>> = {};
  for (const r of results) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  return {
    schemaVersion: 1, runId, planId: p.id, system: p.system, startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:01:00.000Z',
    headline: `${results.filter((r) => r.verdict.startsWith('FAIL')).length} failing of ${results.length}`,
    results, counts, coverage: [], confidenceDelta: 'none',
  };
}

/** An Executor that walks every scenario through its stages and returns fixed verdicts. */
export class FakeExecutor implements Executor {
  readonly describe = 'fake';
  readonly calls: RunOptions[] = [];
  /** Verdict per scenario id for the next runs. */
  verdicts: Record<string, Verdict> = {};
  recovery: Record<string, number | null> = {};
  /** When set, run waits for this before finishing (lets tests see `running`). */
  gate?: Promise<void>;
  /** When set, run throws this. */
  error?: Error;

  async run(p: Plan, options: RunOptions, onProgress?: (e: ProgressEvent) => void): Promise<Findings> {
    this.calls.push(options);
    const scenarios = p.scenarios.filter((s) => !options.only || options.only.includes(s.id));
    for (const [index, s] of scenarios.entries()) {
      for (const stage of ['precheck', 'baseline', 'fault'] as const) onProgress?.({ runId: options.runId, scenarioId: s.id, stage, index, total: scenarios.length, at: new Date().toISOString() });
    }
    if (this.gate) {
      await Promise.race([this.gate, new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()))]);
    }
    if (options.signal?.aborted) throw fail('CONFLICT', 'run cancelled');
    if (this.error) throw this.error;
    const findings = findingsFor({ ...p, scenarios }, options.runId, this.verdicts, this.recovery);
    for (const [index, r] of findings.results.entries()) onProgress?.({ runId: options.runId, scenarioId: r.scenarioId, stage: 'done', index, total: scenarios.length, at: new Date().toISOString(), detail: r.verdict });
    return findings;
  }

  async close(): Promise<void> {}
}

/** A FaultInjector that keeps proxies in memory and records resets. */
export class FakeInjector implements FaultInjector {
  readonly describe = 'fake injector';
  resets = 0;
  down = false;
  readonly proxies = new Map<string, ProxyState>();
  async version(): Promise<string> {
    if (this.down) throw fail('PROXY_UNAVAILABLE', 'fake proxy is down');
    return 'fake-1';
  }
  async ensureProxy(spec: ProxySpec): Promise<ProxyState> {
    const p: ProxyState = { enabled: true, ...spec, toxics: this.proxies.get(spec.name)?.toxics ?? [] };
    this.proxies.set(spec.name, p);
    return p;
  }
  async getProxy(name: string) { return this.proxies.get(name); }
  async listProxies() { return [...this.proxies.values()]; }
  async addToxic(proxy: string, toxic: ToxicSpec) { this.proxies.get(proxy)?.toxics.push(toxic); }
  async removeToxic(proxy: string, name: string) {
    const p = this.proxies.get(proxy);
    if (p) p.toxics = p.toxics.filter((t) => t.name !== name);
  }
  async setEnabled(proxy: string, enabled: boolean, _ttlMs?: number) { const p = this.proxies.get(proxy); if (p) p.enabled = enabled; }
  async reset() {
    if (this.down) throw fail('PROXY_UNAVAILABLE', 'fake proxy is down');
    this.resets += 1;
    for (const p of this.proxies.values()) { p.toxics = []; p.enabled = true; }
  }
  async counters() { return undefined; }
  activeToxics(): number { return [...this.proxies.values()].reduce((n, p) => n + p.toxics.length, 0); }
}

/** A Pipeline over fixed graphs and a plan template. */
export class FakePipeline implements Pipeline {
  /** The edges the next graph build reports (one entry per build; the last repeats). */
  graphs: string[][] = [['frontend->checkout', 'checkout->payments']];
  /** Scenarios of generated plans. */
  scenarios = [{ id: 'checkout_recovers_from_payments_latency', edge: 'checkout->payments', claims: ['checkout_recovers'] }];
  builds = 0;
  histories: (EdgeHistory[] | undefined)[] = [];
  reasonsSeen: string[][] = [];
  loadManifest(path: string): Manifest {
    if (path.endsWith('missing.yaml')) throw fail('MANIFEST_INVALID', `cannot read ${path}`, { path: '' });
    return manifest();
  }
  parseManifest(text: string): Manifest {
    const doc = parseYaml(text) as Record<string, unknown>;
    if (!doc || typeof doc !== 'object' || doc.version !== 1) throw fail('MANIFEST_INVALID', 'version: must be 1', { path: 'version' });
    return { ...(parseYaml(MANIFEST_YAML) as Manifest), ...(doc as object) } as Manifest;
  }
  async loadPlan(path: string): Promise<Plan> {
    throw fail('NOT_FOUND', `cannot read plan ${path}: the fake pipeline keeps no files`, { path });
  }
  importGraph(doc: unknown, source: string): ImportedGraph {
    return importGraph(doc, source);
  }
  graphJson(s: GraphSnapshot, r: RiskRanking): string {
    return `${JSON.stringify({ schemaVersion: 1, graph: s, ranking: r })}\n`;
  }
  toDot(s: GraphSnapshot): string {
    return ['digraph {', ...s.edges.map((e) => `  "${e.source}" -> "${e.target}";`), '}'].join('\n');
  }
  graphFromDependencies(): GraphSnapshot {
    return snapshot(this.graphs[0]);
  }
  traceSource(spec: TraceSourceSpec): TraceSource {
    return { describe: `fake ${spec.type}`, async *read() {} };
  }
  parseLookback(s: string): number {
    return Number.parseInt(s, 10) * 60_000;
  }
  async buildGraph(): Promise<GraphSnapshot> {
    const edges = this.graphs[Math.min(this.builds, this.graphs.length - 1)];
    this.builds += 1;
    return snapshot(edges);
  }
  rankRisks(s: GraphSnapshot, opts: { history?: EdgeHistory[] } = {}): RiskRanking {
    this.histories.push(opts.history);
    return ranking(s.edges.map((e) => e.id), opts.history);
  }
  async createPlan(input: { manifest: Manifest; snapshot: GraphSnapshot; ranking: RiskRanking }): Promise<Plan> {
    this.reasonsSeen.push(input.ranking.items.map((i) => i.reason));
    return plan(this.scenarios, input.manifest.system.name);
  }
  renderPlanMarkdown(p: Plan): string {
    return `# Plan ${p.id}\n\n${p.scenarios.length} scenario(s)\n`;
  }
  renderFindingsMarkdown(f: Findings): string {
    return `# Findings ${f.runId}\n\n${f.headline}\n`;
  }
  toMermaid(s: GraphSnapshot): string {
    return ['flowchart LR', ...s.edges.map((e) => `  ${e.source} --> ${e.target}`)].join('\n');
  }
}
