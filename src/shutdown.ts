/**
 * Graceful shutdown, in order: stop taking requests and drain in-flight ones,
 * let running scenarios finish within a grace period and cancel the rest (a
 * BullMQ worker hands its job back), close the scheduler and executor, and
 * last remove every active toxic so nothing stays degraded on a shared proxy.
 */
import type { FastifyInstance } from 'fastify';
import type { Executor } from '../runners/execute/executor.js';
import type { FaultInjector } from '../runners/faults/fault-injector.js';
import type { Log } from './log.js';
import type { RunManager } from './api/run-manager.js';
import type { Scheduler } from './sweeps/scheduler.js';

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
