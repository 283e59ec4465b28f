/**
 * A Redis cache client whose every command is one CLIENT span with the
 * OpenTelemetry database attributes (db.system / db.system.name = redis,
 * db.operation.name, server.address, server.port), so the interaction graph
 * shows the service→redis edge.
 *
 * The client fails fast instead of queueing: no offline queue, no per-command
 * retries and a short command timeout. A cache must never make a request
 * slower than the store behind it; what the caller does with the failure is
 * its own choice (and the `cache-fails-closed` bug).
 */
import { Redis } from 'ioredis';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/** String GET/SET/DEL, each traced. */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** SET … NX: true when the key was absent and is now set (a "done once" marker). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connect to `redisUrl` (normally a fault-proxy listen address). With
 * `failFast: false` commands wait (up to 2 s) for a reconnect instead — for
 * a background worker that prefers late to failed.
 */
export function connectCache(tracer: Tracer, redisUrl: string, opts: { failFast?: boolean } = {}): Cache {
  const url = new URL(redisUrl);
  const failFast = opts.failFast ?? true;
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: !failFast,
    maxRetriesPerRequest: failFast ? 0 : 3,
    commandTimeout: failFast ? 250 : 2000,
    connectTimeout: 500,
    retryStrategy: () => 200,
  });
  // Connection errors surface on each command; the event only needs a listener.
  redis.on('error', () => undefined);

  async function traced<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const span = tracer.startSpan(operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'redis',
        'db.system.name': 'redis',
        'db.operation.name': operation,
        'server.address': url.hostname,
        'server.port': Number(url.port || 6379),
      },
    });
    try {
      return await run();
    } catch (err) {
      span.setAttribute('error.type', (err as Error).name);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }

  return {
    get: (key) => traced('GET', () => redis.get(key)),
    set: (key, value, ttl) => traced('SET', async () => { await redis.set(key, value, 'EX', ttl); }),
    del: (key) => traced('DEL', async () => { await redis.del(key); }),
    setIfAbsent: (key, value, ttl) => traced('SET', async () => (await redis.set(key, value, 'EX', ttl, 'NX')) === 'OK'),
    async close() {
      redis.disconnect();
    },
  };
}
