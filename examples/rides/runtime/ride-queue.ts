/**
 * The ride queue: a plain Redis LIST (not BullMQ). rider-api LPUSHes one
 * item per accepted ride; dispatch pops from the other end. Span shape
 * follows the OpenTelemetry messaging conventions: `send ride-requests`
 * (PRODUCER) and `process ride-requests` (CONSUMER), messaging.system =
 * redis. The producer's trace context travels inside the item, so the
 * consumer span is the producer span's child and links to it.
 *
 * The consumer comes in two forms. The reliable one (Redis's "reliable
 * queue" pattern) moves an item atomically into a processing list with
 * BLMOVE and removes it only after it was handled, so an item survives a
 * dropped connection or a failed write and is handled again. The other pops
 * with BRPOP, and an item whose handling fails is gone: the planted
 * `dropped-dispatch` bug.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { connectTracedRedis, redisPeer, type TracedRedis } from './traced-redis.js';

/** The list rider-api pushes to. */
export const RIDE_QUEUE = 'ride-requests';
/** Items the reliable consumer has taken but not finished. */
export const RIDE_PROCESSING = 'ride-requests:processing';

/** What a ride request carries to dispatch. */
export interface RideRequest {
  rideKey: string;
  riderId: string;
  zone: string;
}

interface QueueItem extends RideRequest {
  /** W3C trace-context carrier of the producer span. */
  otel: Record<string, string>;
  enqueuedAt: number;
}

function messagingAttributes(redisUrl: string, operation: 'send' | 'process') {
  return { 'messaging.system': 'redis', 'messaging.destination.name': RIDE_QUEUE, 'messaging.operation.type': operation, ...redisPeer(redisUrl) };
}

/** Producer side, used by rider-api. */
export interface RideProducer {
  enqueue(ride: RideRequest): Promise<void>;
  close(): void;
}

/** Producer settings. */
export interface ProducerOptions {
  /** Fail a push that got no answer after this long. */
  commandTimeoutMs: number;
  /**
   * The planted `no-reconnect` bug: stop reconnecting after three failed
   * attempts (ioredis ends the connection for good when retryStrategy
   * returns null). Fixed: keep trying every ≤ 500 ms, forever.
   */
  giveUpReconnecting: boolean;
}

/** Connect the producer and wait until Redis answers. It fails fast while disconnected (no offline queue). */
export async function connectRideProducer(tracer: Tracer, redisUrl: string, opts: ProducerOptions): Promise<RideProducer> {
  const redis = connectTracedRedis(tracer, redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: 500,
    retryStrategy: opts.giveUpReconnecting ? (times) => (times > 3 ? null : 200) : (times) => Math.min(times * 100, 500),
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis at ${redisUrl} not ready within 10 s`)), 10_000);
    redis.client.once('ready', () => { clearTimeout(timer); resolve(); });
  });
  return {
    async enqueue(ride) {
      const span = tracer.startSpan(`send ${RIDE_QUEUE}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes(redisUrl, 'send') });
      const otel: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), otel);
      const item: QueueItem = { ...ride, otel, enqueuedAt: Date.now() };
      try {
        await redis.client.lpush(RIDE_QUEUE, JSON.stringify(item));
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
    close: () => redis.close(),
  };
}

/** Consumer settings. */
export interface ConsumerOptions {
  /** BLMOVE into a processing list (fixed) or BRPOP and hope (the `dropped-dispatch` bug). */
  reliable: boolean;
  log(line: string): void;
}

/** Handles one ride; `redis` is the consumer's traced command connection. */
export type RideHandler = (ride: RideRequest, redis: TracedRedis) => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Consume rides one at a time until closed. */
export function startRideConsumer(tracer: Tracer, redisUrl: string, handle: RideHandler, opts: ConsumerOptions): { close(): Promise<void> } {
  const workerOptions = { maxRetriesPerRequest: null, connectTimeout: 500, retryStrategy: (times: number) => Math.min(times * 100, 500) };
  // A blocking pop holds its connection, so commands get a second one.
  const blocking = connectTracedRedis(tracer, redisUrl, { ...workerOptions, commandTimeout: 3000 });
  const commands = connectTracedRedis(tracer, redisUrl, { ...workerOptions, commandTimeout: 1000 });
  let closed = false;

  async function handleItem(raw: string): Promise<void> {
    let item: QueueItem;
    try {
      item = JSON.parse(raw) as QueueItem;
    } catch {
      opts.log(`discarding an unreadable queue item: ${raw.slice(0, 80)}`);
      if (opts.reliable) await commands.client.lrem(RIDE_PROCESSING, 1, raw);
      return;
    }
    const parent = propagation.extract(context.active(), item.otel ?? {});
    const producer = trace.getSpanContext(parent);
    const span = tracer.startSpan(`process ${RIDE_QUEUE}`, {
      kind: SpanKind.CONSUMER,
      attributes: { ...messagingAttributes(redisUrl, 'process'), 'messaging.message.id': item.rideKey },
      links: producer ? [{ context: producer }] : [],
    }, parent);
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        await handle({ rideKey: item.rideKey, riderId: item.riderId, zone: item.zone }, commands);
        if (opts.reliable) await commands.traced('LREM', (r) => r.lrem(RIDE_PROCESSING, 1, raw));
      });
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }

  // The idle wait is not traced: an empty poll every second is not an interaction.
  async function next(): Promise<string | null> {
    if (!opts.reliable) return (await blocking.client.brpop(RIDE_QUEUE, 1))?.[1] ?? null;
    // Finish what an earlier attempt left in the processing list before taking more.
    return (await commands.client.lindex(RIDE_PROCESSING, -1)) ?? (await blocking.client.blmove(RIDE_QUEUE, RIDE_PROCESSING, 'RIGHT', 'LEFT', 1));
  }

  const loop = (async () => {
    while (!closed) {
      let raw: string | null = null;
      try {
        raw = await next();
        if (raw !== null) await handleItem(raw);
      } catch (err) {
        if (closed) break;
        if (raw !== null && !opts.reliable) opts.log(`dispatch failed, ride dropped: ${(err as Error).message}`);
        await sleep(200);
      }
    }
  })();

  return {
    async close() {
      closed = true;
      blocking.close();
      commands.close();
      await loop;
    },
  };
}
