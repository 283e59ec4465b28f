/**
 * Executor that enqueues one BullMQ job per scenario and collects results
 * from the workers (runners/execute/scenario-worker.ts) through QueueEvents. Job ids are
 * derived from run and scenario ids so enqueuing a run twice does not run a
 * scenario twice; a job that finally fails (or stalls past its retries) is
 * reported as INCONCLUSIVE-env with the reason — never lost. So is every
 * scenario still unfinished once no worker has been connected to the queue
 * for a while: without one a job would wait forever, and a run that never
 * ends looks like a slow one to whoever is waiting for it.
 *
 * A run whose signal aborts (POST /v1/stop, a cancelled run) is cancelled on
 * every worker (stop-signal.ts): the executor then waits, for a bounded
 * time, until each job has ended, so the findings say what the workers did
 * (a job cancelled mid-attempt fails as `cancelled: …`, nothing re-runs).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Plan } from '../../generators/plan.js';
import type { Executor, ProgressEvent, RunOptions } from './executor.js';
import { assembleFindings } from '../record/findings.js';
import { SCENARIO_JOB, SCENARIO_QUEUE, redisConnection, scenarioJobId, type ScenarioJobData } from './queue.js';
import { CANCELLED_PREFIX, cancelRun } from './stop-signal.js';
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
  /**
   * After a run is cancelled, how long to wait for its jobs to end on their
   * workers before reporting them cancelled anyway (default 10 s).
   */
  cancelGraceMs?: number;
}

/** Why a scenario was given up on: nobody was there to run it. */
class NoWorker extends Error {}
/** Why a scenario was given up on: its run was cancelled. */
class Cancelled extends Error {}

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
      const cancelled = this.cancelOnAbort(options.runId, options.signal, watch.signal);
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
            result = await Promise.race([untilFinishedOrCancelled(job, events, cancelled, this.opts.cancelGraceMs ?? 10_000), noWorker]);
          } catch (err) {
            // A job nobody took (or that a cancelled run still left waiting) must not run later, behind the report's back.
            if (err instanceof NoWorker || err instanceof Cancelled) await job.remove().catch(() => undefined);
            const attempts = (await this.queue.getJob(job.id!))?.attemptsMade ?? 1;
            const why = whyNotFinished(err);
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

  /**
   * Cancel every run with a job on the queue (waiting, delayed or active),
   * whoever enqueued it: a `faultline run` sharing the queue is stopped too.
   */
  async stopAll(reason: string): Promise<string[]> {
    const jobs = await this.queue.getJobs(['active', 'waiting', 'delayed', 'prioritized']);
    const runIds = [...new Set(jobs.flatMap((j) => (j?.data?.runId ? [j.data.runId] : [])))].sort();
    for (const runId of runIds) await cancelRun(this.opts.redisUrl, this.queueName, runId, reason);
    return runIds;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  /**
   * Once `signal` aborts, cancel the run on every worker of the queue;
   * resolves with the reason once the stop is out (never when no signal
   * aborts before the run is over, `over`).
   */
  private cancelOnAbort(runId: string, signal: AbortSignal | undefined, over: AbortSignal): Promise<string> {
    return new Promise((resolve) => {
      if (!signal) return;
      const send = () => {
        if (over.aborted) return;
        const reason = reasonText(signal.reason);
        void cancelRun(this.opts.redisUrl, this.queueName, runId, reason)
          // Redis unreachable: no worker can run the jobs either; the grace below still bounds the wait.
          .catch(() => undefined)
          .then(() => resolve(reason));
      };
      if (signal.aborted) send();
      else {
        signal.addEventListener('abort', send, { once: true });
        over.addEventListener('abort', () => signal.removeEventListener('abort', send), { once: true });
      }
    });
  }
}

/**
 * Wait for a job's result. Once the run is cancelled, wait at most
 * `graceMs` more for its worker to abort it (the job then fails as
 * cancelled), then give up with Cancelled.
 */
function untilFinishedOrCancelled(job: Job<ScenarioJobData, ScenarioResult>, events: QueueEvents, cancelled: Promise<string>, graceMs: number): Promise<ScenarioResult> {
  const finished = job.waitUntilFinished(events);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    void cancelled.then((reason) => {
      if (settled) return;
      timer = setTimeout(() => reject(new Cancelled(`${CANCELLED_PREFIX}${reason} (no worker confirmed within ${graceMs} ms)`)), graceMs);
    });
    finished.then(resolve, reject).finally(() => {
      settled = true;
      clearTimeout(timer);
    });
  });
}

/** The reason a scenario has no result, for its INCONCLUSIVE-env. */
function whyNotFinished(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof NoWorker) return message;
  // A job its worker aborted on a stop failed with the stop's reason: the run was cancelled, the job did not break.
  if (err instanceof Cancelled || message.startsWith(CANCELLED_PREFIX)) return `run ${message}`;
  return `worker job failed: ${message}`;
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  if (typeof reason === 'string') return reason;
  return 'run cancelled';
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
