/**
 * State probes (generators/manifest.ts ManifestProbe): dumps taken before
 * the baseline and after recovery for invariant checkers (at-most-once,
 * conservation, …), and queue depths sampled per phase. Thin I/O adapter:
 * http = GET JSON, redis-list = LRANGE 0 -1 (items parsed as JSON when they
 * are JSON), bullmq-queue = Queue.getJobCounts(waiting, active, delayed).
 * A probe that cannot be read is reported, not thrown: the caller decides
 * that it is an environment problem.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ManifestProbe } from '../../generators/manifest.js';
import type { FetchLike } from './workload/request.js';
import { redisConnection } from './queue.js';

/** Where probes without their own Redis URL connect, and how HTTP is done. */
export interface ProbeOptions {
  defaultRedisUrl?: string;
  fetch?: FetchLike;
  /** Per-probe timeout (default 5000 ms). */
  timeoutMs?: number;
}

/** A probe dump round: values by probe name, plus what could not be read. */
export interface ProbeDumpResult {
  values: Record<string, unknown>;
  errors: string[];
}

/** Queue counts of one bullmq-queue probe. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
}

/** Reads a plan's probes; holds its Redis connections until closed. */
export class ProbeReader {
  private readonly redis = new Map<string, Redis>();
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly probes: readonly ManifestProbe[], private readonly opts: ProbeOptions = {}) {}

  /** Dump every probe. */
  async dump(): Promise<ProbeDumpResult> {
    const values: Record<string, unknown> = {};
    const errors: string[] = [];
    await Promise.all(
      this.probes.map(async (p) => {
        try {
          values[p.name] = await this.withTimeout(this.read(p), p.name);
        } catch (err) {
          errors.push(`probe ${p.name} (${p.type}): ${(err as Error).message}`);
        }
      }),
    );
    return { values, errors };
  }

  /** Depths of the bullmq-queue probes (others are skipped); unreadable queues are left out. */
  async queueDepths(): Promise<Record<string, QueueCounts>> {
    const out: Record<string, QueueCounts> = {};
    for (const p of this.probes) {
      if (p.type !== 'bullmq-queue') continue;
      try {
        out[p.name] = await this.withTimeout(this.counts(p), p.name);
      } catch {
        // A missing sample is visible as a gap; the after-dump reports the error.
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    await Promise.allSettled([...this.redis.values()].map((r) => r.quit()));
    this.queues.clear();
    this.redis.clear();
  }

  private async read(p: ManifestProbe): Promise<unknown> {
    switch (p.type) {
      case 'http': {
        const doFetch: FetchLike = this.opts.fetch ?? ((u, i) => fetch(u, i));
        const res = await doFetch(p.url, { method: 'GET', headers: { accept: 'application/json' } });
        const text = await res.text();
        if (res.status < 200 || res.status >= 300) throw new Error(`GET ${p.url} answered ${res.status}`);
        try {
          return JSON.parse(text);
        } catch {
          throw new Error(`GET ${p.url} did not answer JSON`);
        }
      }
      case 'redis-list': {
        const items = await this.client(p.redisUrl, p.name).lrange(p.key, 0, -1);
        return items.map(parseMaybeJson);
      }
      case 'bullmq-queue':
        return this.counts(p);
    }
  }

  private async counts(p: Extract<ManifestProbe, { type: 'bullmq-queue' }>): Promise<QueueCounts> {
    const url = this.url(p.redisUrl, p.name);
    const id = `${url}|${p.queue}`;
    let q = this.queues.get(id);
    if (!q) {
      q = new Queue(p.queue, { connection: redisConnection(url, false) });
      this.queues.set(id, q);
    }
    const c = await q.getJobCounts('waiting', 'active', 'delayed');
    return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0 };
  }

  private url(probeUrl: string | undefined, name: string): string {
    const url = probeUrl ?? this.opts.defaultRedisUrl;
    if (!url) throw new Error(`probe ${name} has no redisUrl and no default Redis is configured`);
    return url;
  }

  private client(probeUrl: string | undefined, name: string): Redis {
    const url = this.url(probeUrl, name);
    let r = this.redis.get(url);
    if (!r) {
      r = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
      r.on('error', () => undefined);
      this.redis.set(url, r);
    }
    return r;
  }

  private withTimeout<T>(p: Promise<T>, name: string): Promise<T> {
    const ms = this.opts.timeoutMs ?? 5000;
    let t: NodeJS.Timeout;
    return Promise.race([
      p,
      new Promise<T>((_, reject) => {
        t = setTimeout(() => reject(new Error(`probe ${name} did not answer within ${ms} ms`)), ms);
      }),
    ]).finally(() => clearTimeout(t));
  }
}

function parseMaybeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
