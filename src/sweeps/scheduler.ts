/**
 * Sweep schedules on BullMQ job schedulers (`queue.upsertJobScheduler`):
 * BullMQ creates exactly one job per cron tick (its id is derived from the
 * scheduler id and the tick time), so however many workers are up only one
 * of them takes a tick. Each worker processes one sweep at a time, and a
 * Redis lock (`SET key NX PX`) skips a tick while another sweep still runs,
 * so a slow sweep is never started twice. A cron that does not parse, or
 * ticks more often than the minimum interval, never reaches Redis.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { ScheduleRecord } from '../store/artifact-store.js';
import type { Log } from '../log.js';
import { checkCron, DEFAULT_MIN_INTERVAL_MS } from './schedule-cron.js';

/** Default schedule: Mondays 03:00 UTC. */
export const DEFAULT_CRON = '0 3 * * 1';
export const DEFAULT_TIMEZONE = 'UTC';

/** Keeps the live schedules in step with the stored ones. */
export interface Scheduler {
  /** Create or update the live schedule (disabled → removed). */
  upsert(schedule: ScheduleRecord): Promise<void>;
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}

/** The job a tick produces. */
export interface SweepTick {
  scheduleId: string;
  /** The tick's scheduled time (ms since epoch). */
  tickAt: number;
}

/** Options of the BullMQ scheduler. */
export interface BullmqSchedulerOptions {
  redisUrl: string;
  queueName?: string;
  /** Key prefix (tests isolate themselves with one). */
  prefix?: string;
  /** Lock TTL: longer than any sweep; renewed while the sweep runs. */
  lockTtlMs?: number;
  /** Shortest allowed interval between ticks (default {@link DEFAULT_MIN_INTERVAL_MS}). */
  minIntervalMs?: number;
  log: Log;
}

function connect(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest null on connections used by workers.
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** BullMQ-backed Scheduler that can also run the sweep worker. */
export class BullmqScheduler implements Scheduler {
  private readonly queue: Queue;
  private readonly connections: Redis[] = [];
  private readonly workers: Worker[] = [];
  private readonly name: string;
  private readonly prefix: string;

  constructor(private readonly opts: BullmqSchedulerOptions) {
    this.name = opts.queueName ?? 'faultline-sweeps';
    this.prefix = opts.prefix ?? 'bull';
    const conn = connect(opts.redisUrl);
    this.connections.push(conn);
    this.queue = new Queue(this.name, { connection: conn, prefix: this.prefix });
  }

  async upsert(s: ScheduleRecord): Promise<void> {
    if (!s.enabled) return this.remove(s.id);
    // Checked here as well as in the API: this is the last door before Redis,
    // and schedules stored before the check existed come through it at startup.
    checkCron(s.cron, s.timezone, { minIntervalMs: this.opts.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS, now: new Date() });
    await this.queue.upsertJobScheduler(s.id, { pattern: s.cron, tz: s.timezone }, {
      name: 'sweep',
      data: { scheduleId: s.id },
      opts: { removeOnComplete: 100, removeOnFail: 100 },
    });
  }

  async remove(id: string): Promise<void> {
    await this.queue.removeJobScheduler(id);
  }

  /**
   * Start a worker taking ticks. `onTick` runs the sweep; a tick that finds
   * the lock held (a sweep still running anywhere) is skipped and reported.
   */
  async startWorker(onTick: (tick: SweepTick) => Promise<void>, onSkip?: (tick: SweepTick) => void): Promise<void> {
    const conn = connect(this.opts.redisUrl);
    const lockConn = connect(this.opts.redisUrl);
    this.connections.push(conn, lockConn);
    const lockKey = `${this.prefix}:${this.name}:sweep-lock`;
    const ttl = this.opts.lockTtlMs ?? 6 * 60 * 60 * 1000;
    const worker = new Worker(
      this.name,
      async (job: Job) => {
        const tick: SweepTick = { scheduleId: String(job.data.scheduleId), tickAt: Number(job.opts.timestamp ?? job.timestamp) + Number(job.opts.delay ?? 0) };
        const token = randomBytes(8).toString('hex');
        const got = await lockConn.set(lockKey, token, 'PX', ttl, 'NX');
        if (got !== 'OK') {
          this.opts.log.warn({ scheduleId: tick.scheduleId }, 'sweep tick skipped: a sweep is still running');
          onSkip?.(tick);
          return { skipped: true };
        }
        try {
          await onTick(tick);
          return { skipped: false };
        } finally {
          // Release only our own lock (compare-and-delete).
          await lockConn.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, token);
        }
      },
      { connection: conn, prefix: this.prefix, concurrency: 1 },
    );
    worker.on('error', (err) => this.opts.log.error({ err }, 'sweep worker error'));
    await worker.waitUntilReady();
    this.workers.push(worker);
  }

  async close(): Promise<void> {
    // Workers first: close() waits for the job in hand (a sweep) to finish.
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await this.queue.close();
    await Promise.allSettled(this.connections.map((c) => c.quit()));
  }
}
