/**
 * A BullMQ worker that runs scenario jobs with the same runScenario code as
 * the in-process executor. Several workers on several machines share one
 * queue. Safety nets for a worker that dies mid-fault: the toxic's TTL
 * removes it on the proxy (and a `down` fault's TTL enables its proxy
 * again; both are faultline proxy extensions, so against Toxiproxy itself
 * only the start-up cleanup below applies); the job's lock expires and BullMQ retries it as
 * stalled (or fails it, which the executor reports as INCONCLUSIVE-env).
 * On start a worker removes leftover toxics it owns (`faultline-<owner>-`).
 * A stop (stop-signal.ts) aborts the attempt of every job of the cancelled
 * run (its toxic comes off in the attempt's finally, no re-run follows) and
 * fails the job as `cancelled: <reason>` without a retry; a job of a
 * cancelled run that had not started yet is failed the same way, unrun.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, Worker, WaitingError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { hash31 } from '../../generators/plan-context.js';
import type { TraceSource } from '../../ingest/trace-source.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import { SCENARIO_QUEUE, redisConnection, type ScenarioJobData } from './queue.js';
import type { ScenarioResult } from '../record/result.js';
import { ownerPrefix, type ScenarioPlanContext } from './scenario/context.js';
import { runScenario } from './scenario/index.js';
import { progressEvent } from './scenario/run-scope.js';
import { CANCELLED_PREFIX, StopListener } from './stop-signal.js';
import type { FetchLike } from './workload/request.js';

/** How a worker runs. */
export interface WorkerOptions {
  redisUrl: string;
  queueName?: string;
  injector: FaultInjector;
  traceSource?: TraceSource;
  concurrency?: number;
  /** Owner tag of this worker's toxics; stable across restarts of the same worker (default: host name). */
  owner?: string;
  fetch?: FetchLike;
  /** Redis for probes that name none (default: the queue's Redis). */
  defaultRedisUrl?: string;
  /** BullMQ lock duration: how soon a dead worker's job counts as stalled (default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  quiesceMs?: number;
  ttlMarginMs?: number;
  /** How often running jobs' runs are checked for a stop whose pub/sub message was lost (default 1000 ms). */
  stopPollMs?: number;
  /** Create each job's plan proxies on the injector first (when the worker runs its own in-process proxy). */
  ensureProxies?: boolean;
  /**
   * Wire each job from its plan (src/wiring): the plan's fault proxy and
   * trace source, its proxies already created. Replaces `injector`,
   * `traceSource` and `ensureProxies` for the job when given.
   */
  jobDeps?: (plan: ScenarioPlanContext) => Promise<{ injector: FaultInjector; traceSource?: TraceSource }>;
}

/** A running worker. */
export interface RunningWorker {
  readonly owner: string;
  /** Leftover toxics removed at start (`proxy/toxic`). */
  readonly cleaned: string[];
  /**
   * Stop. Graceful (default): take no new jobs, let the current ones finish.
   * `force`: abort current scenarios (their toxics are removed in the
   * scenario's finally) and hand their jobs back to the queue.
   */
  close(force?: boolean): Promise<void>;
}

/** How long a proxy lock lives without renewal: a killed worker's lock frees itself this fast. */
const LOCK_TTL_MS = 5000;
/** A job that finds its proxy busy is retried this much later. */
const LOCK_RETRY_MS = 500;

/**
 * One scenario per proxy at a time across all workers: two faults on one
 * proxy would make the second precheck see a dirty proxy and both landings
 * ambiguous. A Redis key per proxy server + proxy name, renewed while the
 * scenario runs and released with a compare-and-delete.
 */
class ProxyLocks {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined);
  }

  /** Take the lock or answer undefined; the returned release stops renewal and frees it. */
  async acquire(key: string): Promise<(() => Promise<void>) | undefined> {
    const token = randomUUID();
    const k = `faultline:proxy-lock:${key}`;
    if ((await this.redis.set(k, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') return undefined;
    const renew = setInterval(() => {
      this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0", 1, k, token, LOCK_TTL_MS).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    return async () => {
      clearInterval(renew);
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, k, token).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

/** Remove toxics named with the owner's prefix on every proxy of the injector. */
export async function removeOwnedToxics(injector: FaultInjector, owner: string): Promise<string[]> {
  const prefix = ownerPrefix(owner);
  const removed: string[] = [];
  for (const proxy of await injector.listProxies()) {
    for (const t of proxy.toxics) {
      if (!t.name.startsWith(prefix)) continue;
      await injector.removeToxic(proxy.name, t.name);
      removed.push(`${proxy.name}/${t.name}`);
    }
  }
  return removed;
}

/** Start a worker on the scenario queue. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const owner = opts.owner ?? hostname();
  let cleaned: string[] = [];
  try {
    cleaned = await removeOwnedToxics(opts.injector, owner);
  } catch {
    // Proxy unreachable now: each scenario's precheck reports it as INCONCLUSIVE-env.
  }
  const abort = new AbortController();
  const locks = new ProxyLocks(opts.redisUrl);
  const queueName = opts.queueName ?? SCENARIO_QUEUE;
  const stops = await StopListener.start(opts.redisUrl, queueName, opts.stopPollMs);
  const processor = async (job: Job<ScenarioJobData, ScenarioResult>, token?: string, bullSignal?: AbortSignal): Promise<ScenarioResult> => {
    const d = job.data;
    const jobKey = job.id ?? `${d.runId}/${d.scenario.id}`;
    const stopped = await stops.watch(jobKey, d.runId);
    // BullMQ's own per-job cancel (Worker.cancelJob) is a stop too.
    const cancel = bullSignal ? AbortSignal.any([stopped, bullSignal]) : stopped;
    try {
      // A job of a cancelled run never starts: nothing of that run faults again.
      if (cancel.aborted) throw cancelled(cancel);
      const deps = opts.jobDeps ? await opts.jobDeps(d.plan) : { injector: opts.injector, traceSource: opts.traceSource };
      const release = await locks.acquire(`${deps.injector.describe}|${d.scenario.target.proxy}`);
      if (!release) {
        await job.moveToDelayed(Date.now() + LOCK_RETRY_MS, token);
        throw new DelayedError();
      }
      try {
        return await runLocked(job, deps, cancel, token);
      } finally {
        await release();
      }
    } finally {
      stops.unwatch(jobKey);
    }
  };
  const runLocked = async (
    job: Job<ScenarioJobData, ScenarioResult>,
    deps: { injector: FaultInjector; traceSource?: TraceSource },
    cancel: AbortSignal,
    token?: string,
  ): Promise<ScenarioResult> => {
    const d = job.data;
    if (opts.ensureProxies && !opts.jobDeps) {
      for (const p of d.plan.proxies) await opts.injector.ensureProxy({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true });
    }
    const result = await runScenario(
      d.scenario,
      d.plan,
      {
        injector: deps.injector,
        traceSource: deps.traceSource,
        fetch: opts.fetch,
        defaultRedisUrl: opts.defaultRedisUrl ?? opts.redisUrl,
        owner,
        keySalt: hash31(d.runId),
        phaseScale: d.options.phaseScale,
        signal: AbortSignal.any([abort.signal, cancel]),
        quiesceMs: opts.quiesceMs,
        ttlMarginMs: opts.ttlMarginMs,
      },
      (stage, detail) => {
        job.updateProgress(progressEvent(d.runId, d.scenario.id, stage, d.index, d.total, detail)).catch(() => undefined);
      },
    );
    // A cancelled job's result is not a finding: the job fails as cancelled, never retried.
    if (cancel.aborted) throw cancelled(cancel);
    if (abort.signal.aborted) {
      // Shutting down mid-scenario: the result is not a finding; hand the job back for another worker.
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return result;
  };
  const worker = new Worker<ScenarioJobData, ScenarioResult>(queueName, processor, {
    connection: redisConnection(opts.redisUrl, true),
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? Math.min(30_000, opts.lockDurationMs ?? 30_000),
    maxStalledCount: 1,
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    owner,
    cleaned,
    async close(force = false) {
      if (force) abort.abort(new Error('worker shutting down'));
      await worker.close();
      await locks.close();
      await stops.close();
    },
  };
}

/** The error that fails a cancelled job for good, its message the stop's reason. */
function cancelled(signal: AbortSignal): UnrecoverableError {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'run cancelled';
  return new UnrecoverableError(`${CANCELLED_PREFIX}${text}`);
}
