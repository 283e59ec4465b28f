/**
 * ioredis connections for the example services (ledger, tickets, clinic), each command in one CLIENT
 * span with the OpenTelemetry database attributes (db.system = redis,
 * db.operation.name, server.address/port, net.peer.name/port), so the
 * interaction graph shows the service→redis edge. Connections reconnect
 * every ≤ 500 ms for as long as the service runs and fail commands fast
 * while disconnected (no offline queue), so callers see a Redis outage as
 * an error, not a hang.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/** A Redis connection with traced commands. */
export interface TracedRedis {
  /** The raw client, for commands that must not be traced (an idle blocking read). */
  readonly client: Redis;
  /** Run `command` in a client span named `operation` (e.g. `HGET`). */
  traced<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T>;
  close(): void;
}

/** Where a Redis URL points, as span attributes. */
export function redisPeer(redisUrl: string): Record<string, string | number> {
  const url = new URL(redisUrl);
  const port = Number(url.port || 6379);
  return { 'server.address': url.hostname, 'server.port': port, 'net.peer.name': url.hostname, 'net.peer.port': port };
}

/** Connect to `redisUrl` (a fault-proxy listen address) with `commandTimeoutMs` per command. */
export function connectRedis(tracer: Tracer, redisUrl: string, commandTimeoutMs: number, extra: RedisOptions = {}): TracedRedis {
  const client = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 500,
    retryStrategy: (times) => Math.min(times * 100, 500),
    ...extra,
  });
  // Connection errors surface on each command; the event only needs a listener.
  client.on('error', () => undefined);
  const peer = redisPeer(redisUrl);
  return {
    client,
    async traced(operation, command) {
      const span = tracer.startSpan(operation, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system': 'redis', 'db.system.name': 'redis', 'db.operation.name': operation, ...peer },
      });
      try {
        return await command(client);
      } catch (err) {
        span.setAttribute('error.type', (err as Error).name);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
    close: () => client.disconnect(),
  };
}

/** Resolve once `redis` answers (at most `timeoutMs`). */
export async function redisReady(redis: TracedRedis, timeoutMs = 10_000): Promise<void> {
  if (redis.client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis not ready within ${timeoutMs} ms`)), timeoutMs);
    redis.client.once('ready', () => { clearTimeout(timer); resolve(); });
  });
}
