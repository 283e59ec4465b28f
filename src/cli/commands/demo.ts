/**
 * `faultline demo`: the main job end to end on embedded defaults. Starts a
 * bundled example system (`--system`: the demo shop by default, or another
 * one of examples/systems.ts — each with its services, Redis, faultline's
 * fault proxy and OTLP receiver), drives warm-up traffic so its traces cover
 * every edge, then runs the same stages a user runs on their own system:
 * graph → plan → run → findings. The system is described to those stages
 * only by the manifest it builds; nothing here knows its names.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { exampleSystem, EXAMPLE_SYSTEMS, type RunningExample } from '../../../examples/systems.js';
import { createPlan } from '../../../generators/plan-pipeline.js';
import type { Plan } from '../../../generators/plan.js';
import { renderPlanMarkdown } from '../../../generators/plan-render.js';
import { RulePlanGenerator } from '../../../generators/rule-generator.js';
import { buildGraph } from '../../../graph/builder.js';
import type { GraphSnapshot, RiskRanking } from '../../../graph/model.js';
import { rankRisks } from '../../../graph/risk.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import { renderFindingsMarkdown } from '../../../runners/record/findings-render.js';
import { InProcessExecutor } from '../../../runners/execute/inprocess-executor.js';
import type { Findings } from '../../../runners/record/result.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { newId } from '../../store/artifact-id.js';
import { renderTable, tableStyle } from '../table.js';
import { ProgressDisplay } from '../progress.js';
import { RunEta } from '../progress-eta.js';
import { findingsHtml } from '../findings-html.js';
import { emptyPlanReason, emptyRunReason, emptySelectionReason } from '../../nothing-to-run.js';
import { riskTable, summaryLine } from './graph-report.js';
import { verdictTable } from './run-report.js';
import { numericFlag, POSITIVE } from '../numeric-flag.js';

interface DemoFlags {
  system: string;
  bugs: string;
  outDir: string;
  phaseScale: string;
  warmup: string;
  only?: string;
  json?: boolean;
}

async function learnGraph(demo: RunningExample, io: CliIO): Promise<{ snapshot: GraphSnapshot; ranking: RiskRanking }> {
  if (!demo.store) throw fail('INTERNAL', 'the example system started without its own OTLP receiver');
  const spans = await demo.store.whenQuiet();
  io.err(`received ${spans.toLocaleString('en-US')} spans; building the interaction graph`);
  const warnings = new IngestWarnings();
  const snapshot = await buildGraph(demo.store, { startUs: 0, endUs: Number.MAX_SAFE_INTEGER }, warnings);
  return { snapshot, ranking: rankRisks(snapshot) };
}

async function writeOut(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function execute(flags: DemoFlags, io: CliIO): Promise<void> {
  const system = exampleSystem(flags.system);
  const phaseScale = numericFlag('--phase-scale', flags.phaseScale, POSITIVE);
  const warmup = numericFlag('--warmup', flags.warmup, { expect: 'a whole number of requests ≥ 50', ok: (n) => Number.isInteger(n) && n >= 50 });
  const bugs = flags.bugs === 'all' || flags.bugs === 'none' ? flags.bugs : flags.bugs.split(',').map((b) => b.trim()).filter(Boolean);
  const config = io.config();
  const outDir = resolve(io.cwd, flags.outDir);
  await mkdir(outDir, { recursive: true });

  io.err(`[1/5] starting ${system.summary} (with a fault proxy and an OTLP receiver)…`);
  const demo = await system.start({ bugs, redisUrl: config.redisUrl, log: (line) => io.err(`      ${line}`) });
  try {
    io.err(`      ${system.name} at ${demo.entryUrl}, fault proxy ${demo.proxyUrl}, bugs: ${demo.bugs.join(', ') || 'none'}`);
    io.err(`[2/5] driving ${warmup} warm-up requests so the traces cover every edge…`);
    await demo.traffic({ requests: warmup, concurrency: 8, seed: 7 });

    io.err('[3/5] learning the interaction graph from the traces…');
    const { snapshot, ranking } = await learnGraph(demo, io);
    await writeOut(outDir, 'graph.json', `${JSON.stringify({ schemaVersion: 1, graph: snapshot, ranking }, null, 2)}\n`);

    io.err('[4/5] planning claim-driven scenarios (rule-based generator)…');
    const plan: Plan = await createPlan({ manifest: demo.manifest, snapshot, ranking, generator: new RulePlanGenerator(), now: new Date() });
    await writeOut(outDir, 'plan.json', `${JSON.stringify(plan, null, 2)}\n`);
    await writeOut(outDir, 'plan.md', renderPlanMarkdown(plan));
    const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
    const nothing = emptyPlanReason(plan) ?? emptySelectionReason(plan, only);
    if (nothing) throw fail('EMPTY', nothing);
    const count = only?.length ?? plan.scenarios.length;
    io.err(`      ${plan.scenarios.length} scenarios for ${plan.claims.length} claims; running ${count}`);

    io.err('[5/5] running the plan: baseline → fault → recovery → checks → verdict per scenario…');
    const injector = new ToxiproxyInjector(demo.proxyUrl);
    const executor = new InProcessExecutor({ injector, traceSource: demo.store, defaultRedisUrl: undefined });
    const progress = new ProgressDisplay(io, new RunEta(plan, phaseScale, only), { plain: flags.json });
    const findings: Findings = await executor.run(plan, { runId: newId('run', new Date()), only, phaseScale }, progress.onEvent).finally(() => progress.stop());
    await executor.close();
    const findingsPath = await writeOut(outDir, 'findings.json', `${JSON.stringify(findings, null, 2)}\n`);
    await writeOut(outDir, 'findings.md', renderFindingsMarkdown(findings, plan));
    await writeOut(outDir, 'findings.html', await findingsHtml(findings, plan));
    const emptyRun = emptyRunReason(findings);
    if (emptyRun) throw fail('EMPTY', emptyRun);

    if (flags.json) {
      io.out(JSON.stringify({ graph: { summary: summaryLine(snapshot) }, planId: plan.id, findings }, null, 2));
      return;
    }
    io.out(summaryLine(snapshot));
    const style = tableStyle(io);
    io.out(`\nTop risks\n${riskTable(ranking, 5, style)}`);
    io.out(`\nScenarios\n${renderTable(['scenario', 'claims', 'edge', 'fault'], plan.scenarios.map((s) => [s.id, s.claims.join(', '), s.target.edge, s.fault.toxic]), { ...style, keep: [0] })}`);
    io.out(`\n${findings.headline}\n${verdictTable(findings, style)}`);
    io.out(`\nwrote graph.json, plan.json, plan.md, findings.md, findings.html and ${findingsPath}`);
  } finally {
    await demo.stop();
  }
}

/** Register `faultline demo`. */
export const registerDemo: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('demo')
    .description('Run the whole job end to end on a bundled example system: traces → graph → plan → faults → findings (needs redis-server on PATH, or REDIS_URL)')
    .option('--system <name>', `example system to run: ${EXAMPLE_SYSTEMS.map((s) => s.name).join(' or ')}`, EXAMPLE_SYSTEMS[0].name)
    .option('--bugs <list>', 'planted bugs of that system to switch on: all, none, or a comma list', 'all')
    .option('--out-dir <dir>', 'where graph.json, plan.json/.md and findings.json/.md/.html are written', 'faultline-demo')
    .option('--phase-scale <x>', 'scale every phase length (0.5 halves the run time)', '1')
    .option('--warmup <n>', 'warm-up requests before the graph is built', '400')
    .option('--only <ids>', 'comma-separated scenario ids to run')
    .option('--json', 'print the findings as JSON')
    .action((flags: DemoFlags) => execute(flags, io));
};
