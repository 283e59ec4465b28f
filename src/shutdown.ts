/**
 * Graceful shutdown, in order: stop taking requests and drain in-flight ones,
 * let running scenarios finish within a grace period and cancel the rest (a
 * BullMQ worker hands its job back), close the scheduler and executor, and
 * last remove every active toxic so nothing stays degraded on a shared proxy.
 * Also the one list of signals every long-running command stops on.
 */
import { constants } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Executor } from '../runners/execute/executor.js';
import type { FaultInjector } from '../runners/faults/fault-injector.js';
import type { Log } from './log.js';
import type { RunManager } from './api/run-manager.js';
import type { Scheduler } from './sweeps/scheduler.js';

/**
 * The signals that stop a faultline process the clean way (faults removed,
 * disabled proxies enabled, partial results written): Ctrl-C, what
 * `timeout`, CI cancellation, `docker stop` and Kubernetes send, and a
 * closed terminal. Any of them left to Node's default would kill the
 * process mid-fault and leave the toxic until its TTL.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One of STOP_SIGNALS. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Exit code of a process stopped by `sig`: 128 + its number, what a shell reports for a process the signal killed. */
export function signalExitCode(sig: StopSignal): number {
  return 128 + constants.signals[sig];
}

/**
 * Call `onStop` for every stop signal until the returned function is
 * called; `count` is 1 for the first signal, 2 for the next, and so on. The
 * handlers stay installed for the whole stop, so a second signal while
 * faults are being removed cannot fall through to Node's default and kill
 * the process half-way.
 */
export function onStopSignals(onStop: (sig: StopSignal, count: number) => void): () => void {
  let count = 0;
  const handlers = STOP_SIGNALS.map((sig) => [sig, () => onStop(sig, ++count)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}

/** What shutdown closes. */
export interface ShutdownParts {
  app: FastifyInstance;
  runs: RunManager;
  executor: Executor;
  injector: FaultInjector;
  scheduler?: Scheduler;
  log: Log;
}

/** Shut down gracefully; never throws (each step's failure is logged). */
export async function gracefulShutdown(p: ShutdownParts, graceMs: number): Promise<void> {
  p.log.info({ active: p.runs.activeRuns() }, 'shutting down');
  const closing = p.app.close();
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
  await Promise.race([p.runs.idle(), grace]);
  clearTimeout(timer);
  const cancelled = await p.runs.cancelAll();
  if (cancelled.length) p.log.warn({ cancelled }, 'runs cancelled at shutdown');
  await p.scheduler?.close().catch((err) => p.log.error({ err }, 'scheduler close failed'));
  await p.executor.close().catch((err) => p.log.error({ err }, 'executor close failed'));
  await p.injector.reset().catch((err) => p.log.error({ err }, 'removing active toxics failed'));
  await closing.catch((err) => p.log.error({ err }, 'closing the API failed'));
}
