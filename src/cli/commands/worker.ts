/**
 * `faultline worker`: process scenario jobs from the BullMQ queue at
 * REDIS_URL until SIGTERM/SIGINT. The first signal is graceful (take no
 * new jobs, finish the current ones); a second one aborts them — their
 * toxics are removed in each scenario's finally and the jobs are handed
 * back to the queue for another worker.
 */
import type { Command } from 'commander';
import type { FaultInjector } from '../../../runners/faults/fault-injector.js';
import { startFaultProxy } from '../../../runners/proxy/server.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import { startWorker } from '../../../runners/execute/scenario-worker.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { numericFlag, POSITIVE_INTEGER } from '../numeric-flag.js';

interface WorkerFlags {
  concurrency?: string;
  name?: string;
}

async function serve(flags: WorkerFlags, io: CliIO): Promise<void> {
  const config = io.config();
  if (!config.redisUrl) throw fail('CONFIG_INVALID', 'faultline worker needs REDIS_URL (the BullMQ queue it serves)', { key: 'REDIS_URL' });
  const concurrency = numericFlag('--concurrency', flags.concurrency ?? '1', POSITIVE_INTEGER);
  let injector: FaultInjector;
  let closeProxy: (() => Promise<void>) | undefined;
  if (config.toxiproxyUrl) injector = new ToxiproxyInjector(config.toxiproxyUrl);
  else {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    closeProxy = () => proxy.close();
    injector = new ToxiproxyInjector(proxy.url);
    io.err(`no TOXIPROXY_URL: started faultline's fault proxy at ${proxy.url}; plans' proxies are created on it per job`);
  }
  const worker = await startWorker({ redisUrl: config.redisUrl, injector, concurrency, owner: flags.name, ensureProxies: !config.toxiproxyUrl });
  if (worker.cleaned.length > 0) io.err(`removed ${worker.cleaned.length} leftover toxic(s): ${worker.cleaned.join(', ')}`);
  io.err(`worker ${worker.owner} serving ${config.redisUrl} with concurrency ${concurrency} (SIGTERM to stop)`);
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const onSignal = () => {
      if (!stopping) {
        stopping = true;
        io.err('stopping: finishing current jobs (signal again to abort them and hand them back)');
        worker.close(false).then(resolveStop, resolveStop);
      } else {
        io.err('aborting current jobs');
        worker.close(true).then(resolveStop, resolveStop);
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await closeProxy?.();
  io.err('worker stopped');
}

/** Register `faultline worker`. */
export const registerWorker: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('worker')
    .description('Run scenario jobs from the BullMQ queue at REDIS_URL until SIGTERM')
    .option('--concurrency <n>', 'scenarios run at once by this worker', '1')
    .option('--name <owner>', "this worker's name in its toxics' names (default: host name; keep it stable across restarts)")
    .action((flags: WorkerFlags) => serve(flags, io));
};
