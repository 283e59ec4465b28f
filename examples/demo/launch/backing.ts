/**
 * What every example system runs against besides its own services: an OTLP
 * receiver its services export to, a Toxiproxy-compatible fault proxy and
 * a Redis. Each is the one given (a URL) or a private one started here,
 * whose stop is pushed onto `cleanups` for the caller to unwind.
 */
import { buildReceiverApp } from '../../../ingest/otlp-receiver.js';
import { SpanStore } from '../../../ingest/span-store.js';
import { startFaultProxy } from '../../../runners/proxy/server.js';
import { ensureRedis } from './redis-server.js';

/** Given endpoints; absent ones are started privately. */
export interface BackingOptions {
  otlpEndpoint?: string;
  /** Spans the private receiver keeps. */
  retainSpans?: number;
  proxyUrl?: string;
  redisUrl?: string;
}

/** Stops of what was started, unwound by the caller in reverse. */
export type Cleanups = (() => Promise<void>)[];

/** The receiver's endpoint, and its span store when it was started here. */
export async function startReceiver(opts: BackingOptions, cleanups: Cleanups): Promise<{ endpoint: string; store?: SpanStore }> {
  if (opts.otlpEndpoint) return { endpoint: opts.otlpEndpoint.replace(/\/+$/, '') };
  const store = new SpanStore(opts.retainSpans ?? 200_000);
  const app = await buildReceiverApp({ store, bodyLimitBytes: 16 * 1_048_576, queueCapacity: 256 });
  cleanups.push(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, store };
}

/** The fault proxy's API URL. */
export async function startProxy(opts: BackingOptions, cleanups: Cleanups): Promise<string> {
  if (opts.proxyUrl) return opts.proxyUrl.replace(/\/+$/, '');
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => proxy.close());
  return proxy.url.replace(/\/+$/, '');
}

/** A Redis URL: the given one, or a private redis-server on a free port. */
export async function startRedis(opts: BackingOptions, cleanups: Cleanups): Promise<string> {
  const redis = await ensureRedis(opts.redisUrl);
  cleanups.push(() => redis.stop());
  return redis.url;
}
