/**
 * `faultline worker`: process scenario jobs from the BullMQ queue at
 * REDIS_URL until SIGTERM, SIGINT or SIGHUP. The first signal is graceful (take no
 * new jobs, finish the current ones); a second one aborts them — their
 * toxics are removed in each scenario's finally and the jobs are handed
 * back to the queue for another worker.
 */
import type { Command } from 'commander';
import { startWorker } from '../../../runners/execute/scenario-worker.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { numericFlag, POSITIVE_INTEGER } from '../numeric-flag.js';
import { wireWorker } from '../../wiring.js';
import { otlpAddress } from './otlp-flags.js';
import { onStopSignals } from '../../shutdown.js';

interface WorkerFlags {
  concurrency?: string;
  name?: string;
  toxiproxyUrl?: string;
  otlpPort?: string;
}

async function serve(flags: WorkerFlags, io: CliIO): Promise<void> {
  const config = io.config();
  if (!config.redisUrl) throw fail('CONFIG_INVALID', 'faultline worker needs REDIS_URL (the BullMQ queue it serves)', { key: 'REDIS_URL' });
  const concurrency = numericFlag('--concurrency', flags.concurrency ?? '1', POSITIVE_INTEGER);
  // Each job is wired from its plan: --toxiproxy-url > the plan's toxiproxy.url > TOXIPROXY_URL > this worker's own proxy.
  const wiring = await wireWorker({
    config,
    options: { toxiproxyUrl: flags.toxiproxyUrl },
    ...(flags.otlpPort !== undefined ? { otlpListen: otlpAddress(config, '--otlp-port', flags.otlpPort) } : {}),
    note: (line) => io.err(line),
  });
  const worker = await startWorker({ redisUrl: config.redisUrl, injector: wiring.injector, jobDeps: (plan) => wiring.jobDeps(plan), concurrency, owner: flags.name });
  if (worker.cleaned.length > 0) io.err(`removed ${worker.cleaned.length} leftover toxic(s): ${worker.cleaned.join(', ')}`);
  // Listening before saying so: a signal sent as soon as the line appears must not find Node's default (death).
  const stopped = new Promise<void>((resolveStop) => {
    onStopSignals((sig, count) => {
      if (count === 1) {
        io.err(`${sig}: stopping; finishing current jobs (signal again to abort them and hand them back)`);
        worker.close(false).then(resolveStop, resolveStop);
      } else {
        io.err(`${sig}: aborting current jobs`);
        worker.close(true).then(resolveStop, resolveStop);
      }
    });
  });
  io.err(`worker ${worker.owner} serving ${config.redisUrl} with concurrency ${concurrency} (SIGTERM, SIGINT or SIGHUP to stop)`);
  await stopped;
  await wiring.close();
  io.err('worker stopped');
}

/** Register `faultline worker`. */
export const registerWorker: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('worker')
    .description('Run scenario jobs from the BullMQ queue at REDIS_URL until SIGTERM, SIGINT or SIGHUP')
    .option('--concurrency <n>', 'scenarios run at once by this worker', '1')
    .option('--toxiproxy-url <url>', "fault through this Toxiproxy API whatever the job's plan or TOXIPROXY_URL says")
    .option('--otlp-port <port>', 'receive OTLP on this port so plans with traces: {type: otlp} get per-phase spans')
    .option('--name <owner>', "this worker's name in its toxics' names (default: host name; keep it stable across restarts)")
    .action((flags: WorkerFlags) => serve(flags, io));
};
