/**
 * The Pipeline wired to the real stages of ingest/, graph/, generators/ and
 * runners/. The only module of the service that imports the stages (the
 * runtime adapters are src/wiring.ts's), so everything else in src/ is
 * tested against small fakes of the Pipeline interface.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fail } from '../base/errors.js';
import type { Manifest } from '../generators/manifest.js';
import type { Plan } from '../generators/plan.js';
import { validatePlan } from '../generators/plan-schema.js';
import { graphFromDependencies } from '../graph/dependency-list.js';
import { toDot } from '../graph/dot.js';
import { exportJson } from '../graph/export-json.js';
import { importGraph } from '../graph/import-json.js';
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
import { resolveTracePaths } from './wiring/choice.js';

/** Options of the real pipeline. */
export interface RealPipelineOptions {
  /** The OTLP receiver's store, for manifests with `traces: {type: otlp}`. */
  spanStore?: SpanStore;
  /** Plan generator (default: the LLM when the manifest names a model and an endpoint is configured, else rule-based). */
  generator?: PlanGenerator;
  openai?: Config['openai'];
  /** Secrets a manifest's traces name by environment variable (config.secretFromEnv). */
  secretFromEnv?: Config['secretFromEnv'];
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
    loadManifest: (path) => withTracePaths(loadManifest(path), dirname(resolve(path))),
    parseManifest: (text, o) => withTracePaths(parseManifest(text, o), o.baseDir),
    loadPlan,
    importGraph,
    graphJson: exportJson,
    toDot: (snapshot, ranking) => toDot(snapshot, { ranking }),
    graphFromDependencies: (links) => graphFromDependencies(links),
    traceSource: (spec) => traceSourceFromSpec(spec, opts.spanStore, { secret: opts.secretFromEnv }),
    parseLookback,
    buildGraph: (source, query, warnings, onProgress) => buildGraph(source, query, warnings, onProgress),
    rankRisks: (snapshot, o) => rankRisks(snapshot, { history: historyWeights(o?.history) }),
    async createPlan(input) {
      const m: Manifest = input.manifest;
      const generator = opts.generator ?? selectGenerator({ llm: input.llm ?? Boolean(m.llm), manifest: m, openai: opts.openai ?? {} });
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

/**
 * Trace files named in a manifest mean files next to it, wherever the
 * command or server was started from (and a plan made from it carries the
 * resolved paths, so it runs from anywhere too).
 */
function withTracePaths(manifest: Manifest, baseDir: string): Manifest {
  return { ...manifest, traces: resolveTracePaths(manifest.traces, baseDir) };
}

/** Read and validate a plan.json (PLAN_INVALID names the offending key). */
async function loadPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fail('NOT_FOUND', `cannot read plan ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw fail('PLAN_INVALID', `${path} is not JSON: ${(err as Error).message}`, { path });
  }
  return validatePlan(doc);
}
