/**
 * `faultline plan`: manifest + traces (or a saved graph) → plan.json and
 * plan.md, and a scenario table for people (`--json` prints the plan).
 * Every stage comes from the Pipeline the API uses. With `traces: {type:
 * otlp}` the command receives spans itself for `--collect-for` (default
 * the manifest's `traces.collectFor`, else 30 s) before building the graph.
 * Progress goes to stderr so stdout stays one document with `--json`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { SpanStore } from '../../../ingest/span-store.js';
import type { TraceQuery } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { Manifest } from '../../../generators/manifest.js';
import type { Plan } from '../../../generators/plan.js';
import type { GraphSnapshot, RiskRanking } from '../../../graph/model.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import type { Pipeline } from '../../pipeline.js';
import { realPipeline } from '../../real-pipeline.js';
import { renderTable } from '../table.js';
import { emptyPlanReason } from '../../nothing-to-run.js';
import { receiveFor } from './collect.js';
import { otlpAddress } from './otlp-flags.js';

interface PlanFlags {
  manifest: string;
  llm?: boolean;
  outDir?: string;
  graph?: string;
  json?: boolean;
  collectFor?: string;
  otlpPort?: string;
  strict?: boolean;
}

/** How long an otlp manifest is listened to when neither flag nor manifest says. */
const DEFAULT_COLLECT_FOR = '30s';

/** Register `faultline plan`. */
export const registerPlan: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('plan')
    .description('Turn the manifest\'s claims and the ranked trace graph into a claim-driven test plan (plan.json + plan.md)')
    .requiredOption('--manifest <file>', 'the system under test (faultline.yaml)')
    .option('--llm', 'ask the configured OpenAI-compatible endpoint for scenarios (falls back to the rules)')
    .option('--out-dir <dir>', 'where to write plan.json and plan.md', '.')
    .option('--graph <file>', 'use a saved graph (faultline graph --json/--out, GET /v1/graph, or a bare snapshot) instead of reading traces')
    .option('--collect-for <duration>', `with traces: {type: otlp}, how long to receive spans first (default traces.collectFor or ${DEFAULT_COLLECT_FOR})`)
    .option('--otlp-port <port>', 'with traces: {type: otlp}, the port to receive on (default FAULTLINE_PORT or 4318)')
    .option('--json', 'print the plan as JSON')
    .option('--strict', 'fail when a manifest proxy sits on an edge the traces do not show (the plan is still written)')
    .action(async (flags: PlanFlags) => {
      const config = io.config();
      let pipeline: Pipeline = realPipeline({ openai: config.openai, secretFromEnv: config.secretFromEnv });
      const manifest = await pipeline.loadManifest(resolve(io.cwd, flags.manifest));
      let graph: { snapshot: GraphSnapshot; ranking: RiskRanking };
      if (flags.graph) graph = await savedGraph(pipeline, resolve(io.cwd, flags.graph));
      else {
        if (manifest.traces.type === 'otlp') pipeline = await collected(manifest.traces.collectFor, flags, io);
        graph = await graphFromManifest(pipeline, manifest, io);
      }
      if (flags.llm) io.err('asking the LLM for scenarios…');
      const plan = await pipeline.createPlan({ manifest, ...graph, llm: flags.llm === true });
      const outDir = resolve(io.cwd, flags.outDir ?? '.');
      await writePlan(pipeline, outDir, plan);
      if (plan.generator.fallbackReason) io.err(`LLM not used: ${plan.generator.fallbackReason}`);
      // Empty is not success: the plan is written (plan.md says more), but the command fails with why and the fix.
      const empty = emptyPlanReason(plan);
      const unmatched = strictReason(plan);
      if (unmatched && flags.strict) throw fail('MANIFEST_INVALID', `--strict: ${unmatched}`, { path: 'proxies' });
      if (unmatched) io.err(`warning: ${unmatched} (--strict makes this an error)`);
      if (flags.json) {
        io.out(JSON.stringify(plan, null, 2));
        if (empty) throw fail('EMPTY', empty);
        return;
      }
      io.out(scenarioTable(plan));
      io.out(`${plan.scenarios.length} scenario(s) for ${plan.claims.length} claim(s) (${plan.claims.filter((c) => c.source === 'inferred').length} inferred), ` +
        `${plan.missingClaims.length} missing claim(s); wrote ${join(flags.outDir ?? '.', 'plan.json')} and plan.md`);
      if (empty) throw fail('EMPTY', empty);
    });
};

/** The proxies on edges the traces do not show, named with why (a warning, or an error with --strict); undefined when every proxy matches. */
export function strictReason(plan: Plan): string | undefined {
  const proxies = plan.unmatched?.proxies ?? [];
  if (proxies.length === 0) return undefined;
  return `${proxies.length} ${proxies.length === 1 ? 'proxy matches' : 'proxies match'} no traced edge: ${proxies.map((p) => `${p.proxy} (${p.reason})`).join('; ')}; the plan was written, see plan.md`;
}

/** name, claim, edge, fault, landing — one row per scenario. */
export function scenarioTable(plan: Plan): string {
  return renderTable(['Scenario', 'Claim', 'Edge', 'Fault', 'Landing'], plan.scenarios.map((s) => [
    s.id,
    s.claims.join(', '),
    s.target.edge,
    `${s.fault.toxic}${s.requiresFaultlineProxy ? ' (faultline proxy)' : ''}`,
    s.landing.kind,
  ]));
}

/**
 * Trace files are written relative to the plan's folder (the manifest's
 * paths were resolved against the manifest's): `faultline run` resolves
 * them against the plan's folder, so the pair moves together.
 */
async function writePlan(pipeline: Pipeline, outDir: string, plan: Plan): Promise<void> {
  if (plan.traces?.type === 'files') plan.traces = { ...plan.traces, paths: plan.traces.paths.map((p) => (isAbsolute(p) ? relative(outDir, p) || '.' : p)) };
  try {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    await writeFile(join(outDir, 'plan.md'), pipeline.renderPlanMarkdown(plan));
  } catch (err) {
    throw fail('BAD_INPUT', `cannot write the plan to ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path: outDir });
  }
}

/** A saved graph: any graph document faultline writes (graph/import-json.ts). */
async function savedGraph(pipeline: Pipeline, path: string): Promise<{ snapshot: GraphSnapshot; ranking: RiskRanking }> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw fail('BAD_INPUT', `cannot read graph ${path}: ${e.code ?? 'not JSON'}`, { path });
  }
  const { snapshot, ranking } = pipeline.importGraph(doc, path);
  return { snapshot, ranking: ranking ?? pipeline.rankRisks(snapshot) };
}

/** Receive the manifest's OTLP spans here for a while; the returned pipeline reads them. */
async function collected(collectFor: string | undefined, flags: PlanFlags, io: CliIO): Promise<Pipeline> {
  const config = io.config();
  const pipeline = realPipeline({ openai: config.openai, secretFromEnv: config.secretFromEnv });
  const forMs = pipeline.parseLookback(flags.collectFor ?? collectFor ?? DEFAULT_COLLECT_FOR);
  const store = new SpanStore(config.ingest.retainSpans);
  const address = otlpAddress(config, '--otlp-port', flags.otlpPort);
  const got = await receiveFor({ config, address, forMs, io, store });
  if (got.spans === 0) {
    throw fail('BAD_INPUT', `no spans arrived on port ${address.port} in ${Math.round(forMs / 1000)} s: set OTEL_EXPORTER_OTLP_ENDPOINT on your services to this address and send traffic, or use --collect-for to listen longer`, { port: address.port });
  }
  return realPipeline({ openai: config.openai, secretFromEnv: config.secretFromEnv, spanStore: store });
}

async function graphFromManifest(pipeline: Pipeline, manifest: Manifest, io: CliIO): Promise<{ snapshot: GraphSnapshot; ranking: RiskRanking }> {
  const source = pipeline.traceSource(manifest.traces);
  const query: TraceQuery = { startUs: -Infinity, endUs: Infinity };
  io.err(`reading ${source.describe}`);
  const snapshot = await pipeline.buildGraph(source, query, new IngestWarnings());
  io.err(`read ${snapshot.spans.toLocaleString('en-US')} spans in ${snapshot.traces.toLocaleString('en-US')} traces`);
  return { snapshot, ranking: pipeline.rankRisks(snapshot) };
}
