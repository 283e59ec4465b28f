/**
 * The Pipeline wired to the real stages of ingest/, graph/, generators/ and
 * runners/. The only module of the service that imports them, so everything
 * else in src/ is tested against small fakes of the Pipeline interface.
 */
import type { Manifest } from '../generators/manifest.js';
import { loadManifest, parseManifest } from '../generators/manifest-loader.js';
import { createPlan, selectGenerator } from '../generators/plan-pipeline.js';
import type { PlanGenerator } from '../generators/plan-generator.js';
import type { Config } from './config.js';
import { renderPlanMarkdown } from '../generators/plan-render.js';
import { buildGraph } from '../graph/builder.js';
import { toMermaid } from '../graph/mermaid.js';
import { rankRisks } from '../graph/risk.js';
import { parseLookback, traceSourceFromSpec } from '../ingest/source-factory.js';
import type { SpanStore } from '../ingest/span-store.js';
import { renderFindingsMarkdown } from '../runners/record/findings-render.js';
import type { EdgeHistory, Pipeline } from './pipeline.js';

/** Options of the real pipeline. */
export interface RealPipelineOptions {
  /** The OTLP receiver's store, for manifests with `traces: {type: otlp}`. */
  spanStore?: SpanStore;
  /** Plan generator (default: the LLM when the manifest names a model and an endpoint is configured, else rule-based). */
  generator?: PlanGenerator;
  openai?: Config['openai'];
  clock?: () => Date;
}

/**
 * graph/risk.ts takes edge id → extra weight; one unit per failing or
 * inconclusive scenario in earlier sweeps (the ranking clamps it).
 */
function historyWeights(history: EdgeHistory[] | undefined): Record<string, number> | undefined {
  if (!history?.length) return undefined;
  return Object.fromEntries(history.filter((h) => h.failed + h.inconclusive > 0).map((h) => [h.edge, h.failed + h.inconclusive]));
}

/** The real Pipeline. */
export function realPipeline(opts: RealPipelineOptions = {}): Pipeline {
  const now = opts.clock ?? (() => new Date());
  return {
    loadManifest,
    parseManifest: (text, o) => parseManifest(text, o),
    traceSource: (spec) => traceSourceFromSpec(spec, opts.spanStore),
    parseLookback,
    buildGraph: (source, query, warnings) => buildGraph(source, query, warnings),
    rankRisks: (snapshot, o) => rankRisks(snapshot, { history: historyWeights(o.history) }),
    async createPlan(input) {
      const m: Manifest = input.manifest;
      const generator = opts.generator ?? selectGenerator({ llm: Boolean(m.llm), manifest: m, openai: opts.openai ?? {} });
      return createPlan({
        manifest: m,
        snapshot: input.snapshot,
        ranking: input.ranking,
        generator,
        now: now(),
        ...(input.previous ? { history: { previous: input.previous } } : {}),
      });
    },
    renderPlanMarkdown,
    renderFindingsMarkdown: (f, p) => renderFindingsMarkdown(f, p),
    toMermaid: (snapshot, ranking) => toMermaid(snapshot, { ranking }),
  };
}
