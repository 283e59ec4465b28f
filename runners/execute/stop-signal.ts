/**
 * The stop signal between whoever cancels a run (the BullMQ executor, on
 * the run's AbortSignal: `POST /v1/stop`, a cancelled run, a killed CLI)
 * and every worker of the queue. Two paths, so that a stop is never missed:
 * a Redis key per cancelled run, set first and kept as long as its jobs are
 * (a worker checks it before it starts a job and polls it while one runs),
 * and a pub/sub message on the queue's stop channel so running attempts
 * abort within milliseconds rather than at the next poll. Pub/sub alone
 * would lose a stop sent while a worker was reconnecting; the key alone
 * would be as slow as the poll.
 */
import { Redis } from 'ioredis';

/** Prefix of the failed reason of a job cancelled by a stop: the job's state says what happened. */
export const CANCELLED_PREFIX = 'cancelled: ';

/** How long a run's cancellation is remembered: as long as its jobs (bullmq-executor's removeOnFail). */
const RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Pub/sub channel every worker of `queueName` listens on. */
export function stopChannel(queueName: string): string {
  return `faultline:stop:${queueName}`;
}

/** The key that marks a run of `queueName` cancelled; its value is the reason. */
export function cancelledKey(queueName: string, runId: string): string {
  return `faultline:cancelled:${queueName}:${runId}`;
}

/** What a stop message carries. */
interface StopMessage {
  runId: string;
  reason: string;
}

/**
 * Cancel a run on every worker: the key first, so a worker that takes one
 * of the run's jobs after the message went out still sees it.
 */
export async function cancelRun(url: string, queueName: string, runId: string, reason: string): Promise<void> {
  // A connection of its own: a stop is rare, and must not wait behind a queue connection's blocking calls.
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.set(cancelledKey(queueName, runId), reason, 'PX', RETENTION_MS);
    const message: StopMessage = { runId, reason };
    await redis.publish(stopChannel(queueName), JSON.stringify(message));
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * A worker's side: one AbortController per job it runs, aborted (with the
 * reason as an Error) when the job's run is cancelled.
 */
export class StopListener {
  private readonly active = new Map<string, { runId: string; controller: AbortController }>();
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
    private readonly queueName: string,
    pollMs: number,
  ) {
    sub.on('message', (_channel: string, raw: string) => {
      const msg = parse(raw);
      if (msg) this.abortRun(msg.runId, msg.reason);
    });
    this.timer = setInterval(() => void this.poll(), pollMs);
    this.timer.unref();
  }

  /** Subscribe to the queue's stop channel; `pollMs` bounds how late a stop whose message was lost is seen. */
  static async start(url: string, queueName: string, pollMs = 1000): Promise<StopListener> {
    const redis = new Redis(url, { maxRetriesPerRequest: null });
    const sub = new Redis(url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    sub.on('error', () => undefined);
    // ioredis subscribes again by itself after a reconnect.
    await sub.subscribe(stopChannel(queueName));
    return new StopListener(redis, sub, queueName, pollMs);
  }

  /**
   * Watch a job: the controller aborts when its run is cancelled, also if it
   * already was (registered before the key is read, so no stop falls between).
   */
  async watch(jobId: string, runId: string): Promise<AbortSignal> {
    const controller = new AbortController();
    this.active.set(jobId, { runId, controller });
    const reason = await this.redis.get(cancelledKey(this.queueName, runId)).catch(() => null);
    if (reason !== null) controller.abort(new Error(reason));
    return controller.signal;
  }

  /** Stop watching a job that ended. */
  unwatch(jobId: string): void {
    this.active.delete(jobId);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([this.sub.quit().catch(() => undefined), this.redis.quit().catch(() => undefined)]);
  }

  private abortRun(runId: string, reason: string): void {
    for (const a of this.active.values()) {
      if (a.runId === runId && !a.controller.signal.aborted) a.controller.abort(new Error(reason));
    }
  }

  private async poll(): Promise<void> {
    const runs = new Set([...this.active.values()].filter((a) => !a.controller.signal.aborted).map((a) => a.runId));
    for (const runId of runs) {
      const reason = await this.redis.get(cancelledKey(this.queueName, runId)).catch(() => null);
      if (reason !== null) this.abortRun(runId, reason);
    }
  }
}

function parse(raw: string): StopMessage | undefined {
  try {
    const m = JSON.parse(raw) as Partial<StopMessage>;
    return typeof m.runId === 'string' ? { runId: m.runId, reason: typeof m.reason === 'string' ? m.reason : 'run cancelled' } : undefined;
  } catch {
    return undefined;
  }
}
