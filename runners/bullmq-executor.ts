/**
 * Executor that enqueues one BullMQ job per scenario and collects results
 * from the workers (runners/worker.ts) through QueueEvents. Job ids are
 * derived from run and scenario ids so enqueuing a run twice does not run a
 * scenario twice; a job that finally fails (or stalls past its retries) is
 * reported as INCONCLUSIVE-env with the reason — never lost.
 */
import { performance } from 'node:perf_hooks';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Plan } from '../generators/plan.js';
import type { Executor, ProgressEvent, RunOptions } from './executor.js';
import { assembleFindings } from './findings.js';
import { SCENARIO_JOB, SCENARIO_QUEUE, redisConnection, scenarioJobId, type ScenarioJobData } from './queue.js';
import type { Findings, ScenarioResult } from './result.js';
import { planContext } from './scenario/context.js';
import { environmentResult, progressEvent, safeEmitter, selectScenarios } from './scenario/run-scope.js';

/** Where the queue lives. */
export interface BullmqExecutorOptions {
  redisUrl: string;
  queueName?: string;
  /** Job attempts (≥ 2 so a job of a killed worker is retried; default 2). */
  attempts?: number;
}

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
      const results = await Promise.all(
        jobs.map(async (job: Job<ScenarioJobData, ScenarioResult>, i): Promise<ScenarioResult> => {
          const scenario = scenarios[i];
          let result: ScenarioResult;
          try {
            result = await untilFinishedOrAborted(job, events, options.signal);
          } catch (err) {
            const attempts = (await this.queue.getJob(job.id!))?.attemptsMade ?? 1;
            result = environmentResult(scenario, `worker job failed: ${(err as Error).message}`, performance.now() - t0, Math.max(1, attempts));
            emit(progressEvent(options.runId, scenario.id, 'failed', i, total, result.envProblem));
          }
          emit(progressEvent(options.runId, scenario.id, 'done', i, total, result.verdict));
          return result;
        }),
      );
      return assembleFindings(plan, results, { runId: options.runId, startedAt, finishedAt: new Date().toISOString() });
    } finally {
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
