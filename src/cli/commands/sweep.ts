/**
 * `faultline sweep --manifest m.yaml`: one resilience sweep now — traces →
 * graph (compared with the last sweep's) → ranking with history → plan →
 * run → findings → Slack digest — with everything kept in the data
 * directory. Exits non-zero only when the sweep itself failed.
 */
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIO, RegisterCommand } from '../command.js';
import { DirArtifactStore } from '../../store/dir-artifact-store.js';
import { fail, type ErrorCode } from '../../../base/errors.js';
import { systemClock } from '../../store/artifact-id.js';
import type { Log } from '../../log.js';
import { realPipeline } from '../../real-pipeline.js';
import { RunManager } from '../../api/run-manager.js';
import { SlackNotifier } from '../../sweeps/slack-notifier.js';
import { runSweep } from '../../sweeps/sweep.js';
import { renderTable, tableStyle } from '../table.js';
import { numericFlag, POSITIVE } from '../numeric-flag.js';
import { wire } from '../../wiring.js';
import { FAIL_ON_HELP, parseFailOn } from '../fail-on.js';
import { EXIT } from '../exit-codes.js';
import { reportForCi } from '../ci-reports.js';

interface SweepFlags {
  manifest: string;
  phaseScale?: string;
  dataDir?: string;
  json?: boolean;
  junit?: string;
  failOn?: string;
}

async function sweep(flags: SweepFlags, io: CliIO): Promise<void> {
  const config = io.config(flags.dataDir ? { dataDir: resolve(io.cwd, flags.dataDir) } : undefined);
  const phaseScale = numericFlag('--phase-scale', flags.phaseScale, POSITIVE);
  const failOn = flags.failOn === undefined ? undefined : parseFailOn(flags.failOn);
  const pipeline = realPipeline({ openai: config.openai, secretFromEnv: config.secretFromEnv });
  const manifestPath = resolve(io.cwd, flags.manifest);
  const manifest = await pipeline.loadManifest(manifestPath);
  const log: Log = { info: (_o, m) => m && io.err(m), warn: (_o, m) => m && io.err(`warning: ${m}`), error: (_o, m) => m && io.err(`error: ${m}`) };
  // Flag > manifest > environment: the manifest's toxiproxy.url beats TOXIPROXY_URL; the plan's proxies are created per run.
  const wiring = await wire({ config, doc: { kind: 'manifest', baseDir: dirname(manifestPath), toxiproxy: manifest.toxiproxy, traces: manifest.traces }, note: (line) => io.err(line) });
  try {
    const executor = wiring.executor;
    const store = new DirArtifactStore(config.dataDir);
    const runs = new RunManager({ store, executor, clock: systemClock, log, renderFindings: (f, p) => pipeline.renderFindingsMarkdown(f, p) });
    const webhook = manifest.slack?.webhookUrl ?? config.slackWebhookUrl;
    io.err(`sweeping ${manifest.system.name} (${executor.describe})`);
    const record = await runSweep(
      { store, pipeline, runs, clock: systemClock, log, notifier: webhook ? new SlackNotifier(webhook) : undefined, publicUrl: config.api.publicUrl },
      manifest,
      { trigger: 'cli', ...(phaseScale !== undefined ? { phaseScale } : {}) },
    );
    if (flags.json) io.out(JSON.stringify(record, null, 2));
    else {
      io.out(`sweep ${record.id}: ${record.status} in ${Math.round((record.durationMs ?? 0) / 1000)} s (plan ${record.planId ?? '-'}, run ${record.runId ?? '-'})`);
      if (record.claims.length) io.out(renderTable(['claim', 'verdicts', 'recovery'], record.claims.map((c) => [c.claimId, c.verdicts.join(', ') || 'untested', c.recoveredAfterMs === undefined ? '-' : c.recoveredAfterMs === null ? 'none' : `${c.recoveredAfterMs} ms`]), { ...tableStyle(io), keep: [0, 1], verdictColumn: 1 }));
      if (record.digest) io.out(`digest ${record.digest.delivered ? 'delivered' : 'kept in the outbox for retry'}`);
    }
    // CI reports read the sweep's run from the store, where the sweep kept it.
    const findings = record.runId ? await store.get('findings', record.runId) : undefined;
    if (findings) {
      const plan = record.planId ? await store.get('plans', record.planId) : undefined;
      const planPath = join(config.dataDir, 'plans', `${findings.planId}.json`);
      const exit = await reportForCi({ findings, plan, planPath, junit: flags.junit, failOn, stepSummary: config.githubStepSummary }, io);
      if (exit !== EXIT.OK) process.exitCode = exit;
    }
    if (record.status === 'empty') throw fail('EMPTY', `sweep ${record.id} tested nothing: ${record.error?.message ?? 'no scenario ran'}`);
    if (record.status === 'failed') throw fail((record.error?.code ?? 'INTERNAL') as ErrorCode, `sweep ${record.id} failed: ${record.error?.message ?? 'unknown error'}`);
  } finally {
    await wiring.close();
  }
}

/** Register `faultline sweep`. */
export const registerSweep: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('sweep')
    .description('Run one resilience sweep now: traces → graph → plan → run → findings → digest')
    .requiredOption('--manifest <path>', 'faultline.yaml of the system under test')
    .option('--phase-scale <x>', 'scale every phase length (e.g. 0.2 for a quick sweep)')
    .option('--data-dir <dir>', 'where sweeps, plans, runs and findings are kept (default FAULTLINE_DATA_DIR or .faultline)')
    .option('--json', 'print the sweep record as JSON')
    .option('--junit <file>', "also write the sweep's findings as a JUnit XML report (one testcase per scenario) for CI")
    .option('--fail-on <verdicts>', FAIL_ON_HELP)
    .action((flags: SweepFlags) => sweep(flags, io));
};
