/**
 * `faultline run plan.json`: execute a plan's scenarios and write
 * findings.json + findings.md. Wiring (src/wiring.ts) decides, flag >
 * plan > environment: the fault proxy is `--toxiproxy-url`, the plan's
 * `toxiproxy.url` (copied from the manifest) or TOXIPROXY_URL, and only
 * without any of them faultline's own proxy is started here; the executor
 * is BullMQ when REDIS_URL is set (the workers then hold the injectors),
 * else in-process; per-phase spans come from the plan's trace source
 * (relative trace files resolve against the plan's folder; `otlp` starts a
 * receiver here). A failed claim is a finding, not a failed command: the
 * exit code is non-zero only when the run itself failed, or when a verdict
 * is in the `--fail-on` list (exit 3, src/cli/exit-codes.ts) for CI, which
 * may also take `--junit report.xml` and, on GitHub Actions, gets the
 * verdict table in the job summary (GITHUB_STEP_SUMMARY). SIGINT, SIGTERM
 * and SIGHUP stop the run cleanly: faults off, partial findings written,
 * exit 128 + the signal's number (130, 143, 129).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { newId } from '../../store/artifact-id.js';
import { realPipeline } from '../../real-pipeline.js';
import { wire } from '../../wiring.js';
import { onStopSignals, signalExitCode, type StopSignal } from '../../shutdown.js';
import { verdictTable } from './run-report.js';
import { ProgressDisplay } from '../progress.js';
import { RunEta } from '../progress-eta.js';
import { findingsHtml } from '../findings-html.js';
import { tableStyle } from '../table.js';
import { emptyPlanReason, emptyRunReason, emptySelectionReason } from '../../nothing-to-run.js';
import { INTEGER, numericFlag, POSITIVE } from '../numeric-flag.js';
import { otlpAddress } from './otlp-flags.js';
import { FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import { EXIT } from '../exit-codes.js';
import { reportForCi } from '../ci-reports.js';

interface RunFlags {
  only?: string;
  seed?: string;
  phaseScale?: string;
  json?: boolean;
  outDir?: string;
  failOn?: string;
  toxiproxyUrl?: string;
  otlpPort?: string;
  junit?: string;
}

/** Exit code when a verdict is in the `--fail-on` list. */
export const EXIT_ON_FAIL = EXIT.FINDINGS;

async function execute(file: string, flags: RunFlags, io: CliIO): Promise<void> {
  const config = io.config();
  const pipeline = realPipeline({ openai: config.openai });
  const planPath = resolve(io.cwd, file);
  const plan = await pipeline.loadPlan(planPath);
  const seed = numericFlag('--seed', flags.seed, INTEGER);
  const phaseScale = numericFlag('--phase-scale', flags.phaseScale, POSITIVE);
  const failOn = flags.failOn === undefined ? undefined : parseFailOn(flags.failOn);
  if (flags.toxiproxyUrl !== undefined && !/^https?:\/\/[^/]/.test(flags.toxiproxyUrl)) throw fail('BAD_INPUT', `--toxiproxy-url must be an http(s) URL, got ${JSON.stringify(flags.toxiproxyUrl)}`, { flag: '--toxiproxy-url' });
  const otlpListen = otlpAddress(config, '--otlp-port', flags.otlpPort);
  if (seed !== undefined) for (const s of plan.scenarios) s.workload.seed = seed;
  const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
  // Empty is not success: a run of nothing must not read as "all claims hold" in CI.
  const nothing = emptyPlanReason(plan) ?? emptySelectionReason(plan, only);
  if (nothing) throw fail('EMPTY', nothing);

  const wiring = await wire({
    config,
    options: { toxiproxyUrl: flags.toxiproxyUrl },
    doc: { kind: 'plan', baseDir: dirname(planPath), toxiproxy: plan.toxiproxy, traces: plan.traces },
    otlpListen,
    note: (line) => io.err(line),
  });
  // Absolute trace paths travel with the plan, so BullMQ workers read the same files.
  if (wiring.choice.traces) plan.traces = wiring.choice.traces.spec;
  const controller = new AbortController();
  // SIGINT, SIGTERM or SIGHUP end the current scenario cleanly (its toxic comes off and its proxy is
  // enabled again in the scenario's finally), the partial findings are written, and the exit code says so.
  let stoppedBy: StopSignal | undefined;
  const offSignals = onStopSignals((sig, count) => {
    stoppedBy ??= sig;
    io.err(count === 1 ? `${sig}: stopping; removing the faults and writing the partial findings` : `${sig}: already stopping; removing the faults`);
    controller.abort(new Error(`interrupted by ${sig}`));
  });
  try {
    if (wiring.choice.executor.kind === 'bullmq') io.err('scenarios go to the BullMQ queue: start `faultline worker` (same REDIS_URL) to run them');
    else if (!wiring.traceSource) io.err('no readable trace source in the plan: landing evidence comes from proxy counters and client timing');
    io.err(`running plan ${plan.id} on ${wiring.executor.describe}`);
    const runId = newId('run', new Date());
    const progress = new ProgressDisplay(io, new RunEta(plan, phaseScale, only), { plain: flags.json });
    const findings = await wiring.executor.run(plan, { runId, only, phaseScale, signal: controller.signal }, progress.onEvent).finally(() => progress.stop());

    const outDir = resolve(io.cwd, flags.outDir ?? '.');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    await writeFile(join(outDir, 'findings.md'), pipeline.renderFindingsMarkdown(findings, plan));
    await writeFile(join(outDir, 'findings.html'), await findingsHtml(findings, plan));
    if (flags.json) io.out(JSON.stringify(findings, null, 2));
    else {
      io.out(findings.headline);
      io.out(verdictTable(findings, tableStyle(io)));
      io.out(`\nwrote ${join(outDir, 'findings.json')}, findings.md and findings.html`);
    }
    // CI outputs come before the EMPTY check: an empty run is still reported to the pipeline.
    const ciExit = await reportForCi({ findings, plan, planPath, junit: flags.junit, failOn, stepSummary: config.githubStepSummary }, io);
    const emptyRun = emptyRunReason(findings);
    if (emptyRun && !stoppedBy) throw fail('EMPTY', emptyRun);
    if (ciExit !== EXIT.OK) process.exitCode = ciExit;
    if (stoppedBy) {
      io.err(`stopped by ${stoppedBy}: the findings are partial`);
      process.exitCode = signalExitCode(stoppedBy);
    }
  } finally {
    offSignals();
    await wiring.close();
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
    .option('--out-dir <dir>', 'where to write findings.json, findings.md and findings.html', '.')
    .option('--fail-on <verdicts>', FAIL_ON_HELP)
    .option('--junit <file>', 'also write the findings as a JUnit XML report (one testcase per scenario) for CI')
    .option('--toxiproxy-url <url>', "fault through this Toxiproxy API (e.g. a running `faultline proxy`) instead of the plan's toxiproxy.url or TOXIPROXY_URL")
    .option('--otlp-port <port>', 'with traces: {type: otlp}, receive spans on this port (default FAULTLINE_PORT or 4318)')
    .action((file: string, flags: RunFlags) => execute(file, flags, io));
};
