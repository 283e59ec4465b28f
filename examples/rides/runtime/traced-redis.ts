/**
 * An ioredis connection whose commands each run in one CLIENT span with the
 * OpenTelemetry database attributes (db.system / db.system.name = redis,
 * db.operation.name, server.address/port and the older net.peer.name/port),
 * so the interaction graph shows the service→redis edge. How the connection
 * fails (offline queue, retries, reconnects) is the caller's choice: the
 * ride queue's producer and consumer want different things.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/** A Redis connection with traced commands. */
export interface TracedRedis {
  /** The raw client, for commands that must not be traced (an idle blocking pop). */
  readonly client: Redis;
  /** Run `command` in a client span named `operation` (e.g. `SET`). */
  traced<T>(operation: string, command: (redis: Redis) => Promise<T>): Promise<T>;
  close(): void;
}

/** Where a Redis URL points, as span attributes. */
export function redisPeer(redisUrl: string): Record<string, string | number> {
  const url = new URL(redisUrl);
  const port = Number(url.port || 6379);
  return { 'server.address': url.hostname, 'server.port': port, 'net.peer.name': url.hostname, 'net.peer.port': port };
}

/** Connect to `redisUrl` (normally a fault-proxy listen address). */
export function connectTracedRedis(tracer: Tracer, redisUrl: string, options: RedisOptions): TracedRedis {
  const client = new Redis(redisUrl, { lazyConnect: false, ...options });
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
