/**
 * `faultline plan`: manifest + traces (or a saved graph) → plan.json and
 * plan.md, and a scenario table for people (`--json` prints the plan).
 * Progress goes to stderr so stdout stays one document with `--json`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildGraph } from '../../../graph/builder.js';
import type { GraphSnapshot, RiskRanking } from '../../../graph/model.js';
import { rankRisks } from '../../../graph/risk.js';
import { traceSourceFromSpec } from '../../../ingest/source-factory.js';
import type { TraceQuery } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import { loadManifest } from '../../../generators/manifest-loader.js';
import type { Manifest } from '../../../generators/manifest.js';
import { createPlan, selectGenerator } from '../../../generators/plan-pipeline.js';
import { renderPlanMarkdown } from '../../../generators/plan-render.js';
import type { Plan } from '../../../generators/plan.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { renderTable } from '../table.js';

interface PlanFlags {
  manifest: string;
  llm?: boolean;
  outDir?: string;
  graph?: string;
  json?: boolean;
}

/** Register `faultline plan`. */
export const registerPlan: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('plan')
    .description('Turn the manifest\'s claims and the ranked trace graph into a claim-driven test plan (plan.json + plan.md)')
    .requiredOption('--manifest <file>', 'the system under test (faultline.yaml)')
    .option('--llm', 'ask the configured OpenAI-compatible endpoint for scenarios (falls back to the rules)')
    .option('--out-dir <dir>', 'where to write plan.json and plan.md', '.')
    .option('--graph <file>', 'use a saved graph (faultline graph --json) instead of reading traces')
    .option('--json', 'print the plan as JSON')
    .action(async (flags: PlanFlags) => {
      const manifestPath = resolve(io.cwd, flags.manifest);
      const manifest = loadManifest(manifestPath);
      const { snapshot, ranking } = flags.graph ? await savedGraph(resolve(io.cwd, flags.graph)) : await graphFromManifest(manifest, dirname(manifestPath), io);
      const generator = selectGenerator({ llm: flags.llm === true, manifest, openai: io.config().openai });
      if (generator.kind === 'llm') io.err('asking the LLM for scenarios…');
      const plan = await createPlan({ manifest, snapshot, ranking, generator });
      const outDir = resolve(io.cwd, flags.outDir ?? '.');
      await writePlan(outDir, plan);
      if (plan.generator.fallbackReason) io.err(`LLM not used: ${plan.generator.fallbackReason}`);
      if (flags.json) {
        io.out(JSON.stringify(plan, null, 2));
        return;
      }
      io.out(scenarioTable(plan));
      io.out(`${plan.scenarios.length} scenario(s) for ${plan.claims.length} claim(s) (${plan.claims.filter((c) => c.source === 'inferred').length} inferred), ` +
        `${plan.missingClaims.length} missing claim(s); wrote ${join(flags.outDir ?? '.', 'plan.json')} and plan.md`);
    });
};

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

async function writePlan(outDir: string, plan: Plan): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    await writeFile(join(outDir, 'plan.md'), renderPlanMarkdown(plan));
  } catch (err) {
    throw fail('BAD_INPUT', `cannot write the plan to ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path: outDir });
  }
}

/** A saved graph: `faultline graph --json` output ({schemaVersion, graph, ranking}) or a bare snapshot. */
async function savedGraph(path: string): Promise<{ snapshot: GraphSnapshot; ranking: RiskRanking }> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw fail('BAD_INPUT', `cannot read graph ${path}: ${e.code ?? 'not JSON'}`, { path });
  }
  const o = (doc ?? {}) as { graph?: unknown; ranking?: RiskRanking };
  const snapshot = (o.graph ?? doc) as GraphSnapshot;
  if (snapshot?.schemaVersion !== 1 || !Array.isArray(snapshot.edges) || !Array.isArray(snapshot.nodes) || !Array.isArray(snapshot.entrypoints) || typeof snapshot.crossings !== 'object') {
    throw fail('BAD_INPUT', `${path} is not a graph snapshot (expected the JSON of faultline graph --json)`, { path });
  }
  const ranking = o.ranking && Array.isArray(o.ranking.items) ? o.ranking : rankRisks(snapshot);
  return { snapshot, ranking };
}

async function graphFromManifest(manifest: Manifest, baseDir: string, io: CliIO): Promise<{ snapshot: GraphSnapshot; ranking: RiskRanking }> {
  const spec = manifest.traces.type === 'files' ? { type: 'files' as const, paths: manifest.traces.paths.map((p) => resolve(baseDir, p)) } : manifest.traces;
  const source = traceSourceFromSpec(spec);
  const query: TraceQuery = { startUs: -Infinity, endUs: Infinity };
  const warnings = new IngestWarnings();
  io.err(`reading ${source.describe}`);
  const snapshot = await buildGraph(source, query, warnings);
  io.err(`read ${snapshot.spans.toLocaleString('en-US')} spans in ${snapshot.traces.toLocaleString('en-US')} traces`);
  return { snapshot, ranking: rankRisks(snapshot) };
}
