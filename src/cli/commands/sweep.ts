/**
 * `faultline sweep --manifest m.yaml`: one resilience sweep now — traces →
 * graph (compared with the last sweep's) → ranking with history → plan →
 * run → findings → Slack digest — with everything kept in the data
 * directory. Exits non-zero only when the sweep itself failed.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BullmqExecutor } from '../../../runners/execute/bullmq-executor.js';
import type { FaultInjector } from '../../../runners/faults/fault-injector.js';
import { InProcessExecutor } from '../../../runners/execute/inprocess-executor.js';
import { startFaultProxy } from '../../../runners/proxy/server.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { DirArtifactStore } from '../../store/dir-artifact-store.js';
import { fail, type ErrorCode } from '../../../base/errors.js';
import { systemClock } from '../../store/artifact-id.js';
import type { Log } from '../../log.js';
import { realPipeline } from '../../real-pipeline.js';
import { RunManager } from '../../api/run-manager.js';
import { SlackNotifier } from '../../sweeps/slack-notifier.js';
import { runSweep } from '../../sweeps/sweep.js';
import { renderTable } from '../table.js';
import { numericFlag, POSITIVE } from '../numeric-flag.js';

interface SweepFlags {
  manifest: string;
  phaseScale?: string;
  dataDir?: string;
  json?: boolean;
}

async function sweep(flags: SweepFlags, io: CliIO): Promise<void> {
  const config = io.config(flags.dataDir ? { dataDir: resolve(io.cwd, flags.dataDir) } : undefined);
  const phaseScale = numericFlag('--phase-scale', flags.phaseScale, POSITIVE);
  const pipeline = realPipeline({ openai: config.openai });
  const manifest = await pipeline.loadManifest(resolve(io.cwd, flags.manifest));
  const log: Log = { info: (_o, m) => m && io.err(m), warn: (_o, m) => m && io.err(`warning: ${m}`), error: (_o, m) => m && io.err(`error: ${m}`) };
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    let injector: FaultInjector;
    const url = config.toxiproxyUrl ?? manifest.toxiproxy.url;
    if (url) injector = new ToxiproxyInjector(url);
    else {
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: 0 });
      cleanups.push(() => proxy.close());
      injector = new ToxiproxyInjector(proxy.url);
      for (const p of manifest.proxies) await injector.ensureProxy({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true });
      io.err(`started faultline's fault proxy at ${proxy.url} with ${manifest.proxies.length} proxies`);
    }
    const executor = config.redisUrl ? new BullmqExecutor({ redisUrl: config.redisUrl }) : new InProcessExecutor({ injector });
    cleanups.push(() => executor.close());
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
      if (record.claims.length) io.out(renderTable(['claim', 'verdicts', 'recovery'], record.claims.map((c) => [c.claimId, c.verdicts.join(', ') || 'untested', c.recoveredAfterMs === undefined ? '-' : c.recoveredAfterMs === null ? 'none' : `${c.recoveredAfterMs} ms`])));
      if (record.digest) io.out(`digest ${record.digest.delivered ? 'delivered' : 'kept in the outbox for retry'}`);
    }
    if (record.status === 'failed') throw fail((record.error?.code ?? 'INTERNAL') as ErrorCode, `sweep ${record.id} failed: ${record.error?.message ?? 'unknown error'}`);
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
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
    .action((flags: SweepFlags) => sweep(flags, io));
};
