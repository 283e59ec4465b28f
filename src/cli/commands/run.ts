/**
 * `faultline run plan.json`: execute a plan's scenarios and write
 * findings.json + findings.md. The injector is the configured Toxiproxy
 * (TOXIPROXY_URL) or, without one, faultline's proxy started in-process
 * with the plan's proxies created on it; the executor is BullMQ when
 * REDIS_URL is set (the workers then hold the injectors), else in-process. A failed claim is a finding, not a
 * failed command: the exit code is non-zero only when the run itself
 * failed, or with `--fail-on FAIL` (exit 3) for CI.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve, join } from 'node:path';
import type { Command } from 'commander';
import type { Plan } from '../../../generators/plan.js';
import { BullmqExecutor } from '../../../runners/execute/bullmq-executor.js';
import type { Executor } from '../../../runners/execute/executor.js';
import type { FaultInjector } from '../../../runners/faults/fault-injector.js';
import { renderFindingsMarkdown } from '../../../runners/record/findings-render.js';
import { InProcessExecutor } from '../../../runners/execute/inprocess-executor.js';
import { startFaultProxy } from '../../../runners/proxy/server.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { newId } from '../../store/artifact-id.js';
import { validatePlan } from '../../../generators/plan-schema.js';
import { traceSourceFromSpec } from '../../../ingest/source-factory.js';
import { progressLine, verdictTable } from './run-report.js';
import { INTEGER, numericFlag, POSITIVE } from '../numeric-flag.js';

interface RunFlags {
  only?: string;
  seed?: string;
  phaseScale?: string;
  json?: boolean;
  outDir?: string;
  failOn?: string;
}

/** Read and validate a plan.json (PLAN_INVALID names the offending key). */
async function loadPlanFile(path: string): Promise<Plan> {
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

/** Exit code of `--fail-on FAIL` when any scenario failed. */
export const EXIT_ON_FAIL = 3;

async function execute(file: string, flags: RunFlags, io: CliIO): Promise<void> {
  const config = io.config();
  const plan: Plan = await loadPlanFile(resolve(io.cwd, file));
  const seed = numericFlag('--seed', flags.seed, INTEGER);
  const phaseScale = numericFlag('--phase-scale', flags.phaseScale, POSITIVE);
  if (flags.failOn !== undefined && flags.failOn !== 'FAIL') throw fail('BAD_INPUT', `--fail-on accepts FAIL, got ${JSON.stringify(flags.failOn)}`);
  if (seed !== undefined) for (const s of plan.scenarios) s.workload.seed = seed;
  const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);

  const cleanups: (() => Promise<void>)[] = [];
  try {
    let executor: Executor;
    if (config.redisUrl) {
      // Workers hold the injectors (their own TOXIPROXY_URL or in-process proxy); this process only enqueues.
      executor = new BullmqExecutor({ redisUrl: config.redisUrl });
      io.err('scenarios go to the BullMQ queue: start `faultline worker` (same REDIS_URL) to run them');
    } else {
      let injector: FaultInjector;
      if (config.toxiproxyUrl) injector = new ToxiproxyInjector(config.toxiproxyUrl);
      else {
        const proxy = await startFaultProxy({ host: '127.0.0.1', port: 0 });
        cleanups.push(() => proxy.close());
        injector = new ToxiproxyInjector(proxy.url);
        for (const p of plan.proxies) await injector.ensureProxy({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true });
        io.err(`started faultline's fault proxy at ${proxy.url} with ${plan.proxies.length} proxies`);
      }
      // Per-phase spans (landing evidence, observed blast radius) come from
      // the plan's trace source when this process can read it; faultline's
      // OTLP receiver lives in `faultline serve`, so an otlp plan relies on
      // proxy counters and client timing here.
      const traceSource = plan.traces && plan.traces.type !== 'otlp' ? traceSourceFromSpec(plan.traces) : undefined;
      if (!traceSource) io.err('no readable trace source in the plan: landing evidence comes from proxy counters and client timing');
      executor = new InProcessExecutor({ injector, traceSource });
    }
    cleanups.push(() => executor.close());
    io.err(`running plan ${plan.id} on ${executor.describe}`);
    const runId = newId('run', new Date());
    // Ctrl-C ends the current scenario cleanly (its toxic comes off in the scenario's finally) instead of killing mid-fault.
    const controller = new AbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    cleanups.push(async () => void process.off('SIGINT', onSignal));
    const findings = await executor.run(plan, { runId, only, phaseScale, signal: controller.signal }, (e) => io.err(progressLine(e)));

    const outDir = resolve(io.cwd, flags.outDir ?? '.');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    await writeFile(join(outDir, 'findings.md'), renderFindingsMarkdown(findings, plan));
    if (flags.json) io.out(JSON.stringify(findings, null, 2));
    else {
      io.out(findings.headline);
      io.out(verdictTable(findings));
      io.out(`\nwrote ${join(outDir, 'findings.json')} and findings.md`);
    }
    if (flags.failOn === 'FAIL' && findings.results.some((r) => r.verdict.startsWith('FAIL'))) process.exitCode = EXIT_ON_FAIL;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

/** Register `faultline run`. */
export const registerRun: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('run')
    .description("Run a plan's scenarios (precheck → baseline → fault → recovery → checks → verdict) and write findings.json + findings.md")
    .argument('<plan>', 'plan.json written by `faultline plan`')
    .option('--only <ids>', 'comma-separated scenario ids to run')
    .option('--seed <n>', "override every scenario's workload seed")
    .option('--phase-scale <x>', 'scale every phase length (e.g. 0.5)')
    .option('--json', 'print the findings as JSON')
    .option('--out-dir <dir>', 'where to write findings.json and findings.md', '.')
    .option('--fail-on <verdict>', 'exit 3 when any scenario has this verdict (FAIL: either FAIL verdict)')
    .action((file: string, flags: RunFlags) => execute(file, flags, io));
};
