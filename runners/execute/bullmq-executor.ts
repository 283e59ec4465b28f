/**
 * Executor that enqueues one BullMQ job per scenario and collects results
 * from the workers (runners/execute/scenario-worker.ts) through QueueEvents. Job ids are
 * derived from run and scenario ids so enqueuing a run twice does not run a
 * scenario twice; a job that finally fails (or stalls past its retries) is
 * reported as INCONCLUSIVE-env with the reason — never lost. So is every
 * scenario still unfinished once no worker has been connected to the queue
 * for a while: without one a job would wait forever, and a run that never
 * ends looks like a slow one to whoever is waiting for it.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Plan } from '../../generators/plan.js';
import type { Executor, ProgressEvent, RunOptions } from './executor.js';
import { assembleFindings } from '../record/findings.js';
import { SCENARIO_JOB, SCENARIO_QUEUE, redisConnection, scenarioJobId, type ScenarioJobData } from './queue.js';
import type { Findings, ScenarioResult } from '../record/result.js';
import { planContext } from './scenario/context.js';
import { environmentResult, markNotRun, progressEvent, safeEmitter, selectScenarios } from './scenario/run-scope.js';

/** Where the queue lives. */
export interface BullmqExecutorOptions {
  redisUrl: string;
  queueName?: string;
  /** Job attempts (≥ 2 so a job of a killed worker is retried; default 2). */
  attempts?: number;
  /**
   * Give up on the run's unfinished scenarios (INCONCLUSIVE-env) once no
   * worker has been connected to the queue for this long (default 60 s).
   */
  noWorkerTimeoutMs?: number;
}

/** Why a scenario was given up on: nobody was there to run it. */
class NoWorker extends Error {}

/** Runs scenarios on BullMQ workers. */
export class BullmqExecutor implements Executor {
  readonly describe: string;
  private readonly queue: Queue<ScenarioJobData, ScenarioResult>;
  private readonly queueName: string;

  constructor(private readonly opts: BullmqExecutorOptions) {
    this.queueName = opts.queueName ?? SCENARIO_QUEUE;
    this.describe = `bullmq queue ${this.queueName}`;
    this.queue = new Queue(this.queueName, { connection: redisConnection(opts.redisUrl, false) });
    this.queue.on('error', () => undefined);
  }

  async run(plan: Plan, options: RunOptions, onProgress?: (e: ProgressEvent) => void): Promise<Findings> {
    const startedAt = new Date().toISOString();
    const scenarios = selectScenarios(plan, options.only);
    const total = scenarios.length;
    const emit = safeEmitter(onProgress);
    const events = new QueueEvents(this.queueName, { connection: redisConnection(this.opts.redisUrl, true) });
    events.on('error', () => undefined);
    const ids = new Map(scenarios.map((s) => [scenarioJobId(options.runId, s.id), s.id]));
    events.on('progress', ({ jobId, data }) => {
      if (ids.has(jobId) && data && typeof data === 'object') emit(data as ProgressEvent);
    });
    const watch = new AbortController();
    try {
      await events.waitUntilReady();
      const ctx = planContext(plan);
      const t0 = performance.now();
      const jobs = await this.queue.addBulk(
        scenarios.map((scenario, index) => ({
          name: SCENARIO_JOB,
          data: { runId: options.runId, planId: plan.id, scenario, plan: ctx, options: { phaseScale: options.phaseScale }, index, total },
          opts: {
            jobId: scenarioJobId(options.runId, scenario.id),
            attempts: Math.max(2, this.opts.attempts ?? 2),
            backoff: { type: 'fixed', delay: 200 },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        })),
      );
      scenarios.forEach((s, i) => emit(progressEvent(options.runId, s.id, 'queued', i, total)));
      const timeoutMs = this.opts.noWorkerTimeoutMs ?? 60_000;
      const noWorker = workerlessFor(this.queue, timeoutMs, watch.signal).then(() => {
        throw new NoWorker(`no worker was connected to queue "${this.queueName}" for ${timeoutMs / 1000} s: start \`faultline worker\` with the same REDIS_URL`);
      });
      noWorker.catch(() => undefined); // rejects only once no job is left waiting on it
      const results = await Promise.all(
        jobs.map(async (job: Job<ScenarioJobData, ScenarioResult>, i): Promise<ScenarioResult> => {
          const scenario = scenarios[i];
          let result: ScenarioResult;
          try {
            result = await Promise.race([untilFinishedOrAborted(job, events, options.signal), noWorker]);
          } catch (err) {
            // A job nobody took must not run later, on a worker that starts after the run was reported.
            if (err instanceof NoWorker) await job.remove().catch(() => undefined);
            const attempts = (await this.queue.getJob(job.id!))?.attemptsMade ?? 1;
            const why = err instanceof NoWorker ? err.message : `worker job failed: ${(err as Error).message}`;
            result = environmentResult(scenario, why, performance.now() - t0, Math.max(1, attempts));
            emit(progressEvent(options.runId, scenario.id, 'failed', i, total, result.envProblem));
          }
          emit(progressEvent(options.runId, scenario.id, 'done', i, total, result.verdict));
          return result;
        }),
      );
      // Jobs may finish out of order; plan order is the best account of which scenario left the system down.
      return assembleFindings(plan, markNotRun(results), { runId: options.runId, startedAt, finishedAt: new Date().toISOString() });
    } finally {
      watch.abort();
      await events.close();
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * Wait for a job's result; an aborted run stops waiting (the job may still
 * run on a worker, but this run reports it as not finished).
 */
function untilFinishedOrAborted(job: Job<ScenarioJobData, ScenarioResult>, events: QueueEvents, signal?: AbortSignal): Promise<ScenarioResult> {
  const finished = job.waitUntilFinished(events);
  if (!signal) return finished;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('run aborted before the scenario finished'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    finished.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Resolves once no worker has been connected to `queue` for `ms` straight
 * (BullMQ names its workers' connections, so Redis CLIENT LIST counts
 * them); never while one is, and never after `stop`. A failing count is not
 * evidence of no workers: Redis trouble shows up in the jobs themselves.
 */
async function workerlessFor(queue: Queue, ms: number, stop: AbortSignal): Promise<void> {
  const pollMs = Math.min(1000, Math.max(50, ms / 4));
  let since: number | undefined;
  while (!stop.aborted) {
    const workers = await queue.getWorkersCount().catch(() => 1);
    const now = performance.now();
    if (workers > 0) since = undefined;
    else if (now - (since ??= now) >= ms) return;
    await sleep(pollMs, undefined, { signal: stop }).catch(() => undefined);
  }
  return new Promise<void>(() => undefined);
}
