/**
 * The email job queue (BullMQ on Redis) with producer and consumer spans.
 *
 * Span shape follows the OpenTelemetry messaging conventions: the producer
 * span is `send email` (kind PRODUCER), the consumer span `process email`
 * (kind CONSUMER), both with messaging.system = bullmq and
 * messaging.destination.name. The producer's context travels inside the job
 * data as a W3C carrier; the consumer span is its child *and* links to it,
 * so a reader pairs them whether it follows parents or links.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';

/** The queue every demo email job goes through. */
export const EMAIL_QUEUE = 'email';

/** An email job's data. */
export interface EmailJob {
  orderKey: string;
  /** W3C trace-context carrier of the producer span. */
  otel: Record<string, string>;
}

function messagingAttributes(redisUrl: string, operation: 'send' | 'process') {
  const url = new URL(redisUrl);
  return {
    'messaging.system': 'bullmq',
    'messaging.destination.name': EMAIL_QUEUE,
    'messaging.operation.type': operation,
    'server.address': url.hostname,
    'server.port': Number(url.port || 6379),
  };
}

/** Producer side, used by orders. */
export interface EmailProducer {
  /** Enqueue one email for `orderKey` (job id = orderKey, so a retried enqueue never duplicates). */
  enqueue(orderKey: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A producer that fails fast when Redis is unreachable (no offline queue),
 * so the caller decides what an unreachable queue means.
 */
export async function connectEmailProducer(tracer: Tracer, redisUrl: string): Promise<EmailProducer> {
  const queue = new Queue<EmailJob>(EMAIL_QUEUE, {
    connection: { url: redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 500, retryStrategy: () => 200 },
  });
  queue.on('error', () => undefined);
  await queue.waitUntilReady();
  return {
    async enqueue(orderKey) {
      const span = tracer.startSpan(`send ${EMAIL_QUEUE}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes(redisUrl, 'send') });
      const otel: Record<string, string> = {};
      propagation.inject(trace.setSpan(context.active(), span), otel);
      try {
        await queue.add('send-email', { orderKey, otel }, { jobId: orderKey, attempts: 5, backoff: { type: 'fixed', delay: 200 }, removeOnComplete: true, removeOnFail: 1000 });
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
    close: () => queue.close(),
  };
}

/** Consume email jobs with a CONSUMER span per job; returns a closer. */
export function startEmailWorker(tracer: Tracer, redisUrl: string, handle: (job: EmailJob, id: string) => Promise<void>): { close(): Promise<void> } {
  const worker = new Worker<EmailJob>(EMAIL_QUEUE, async (job: Job<EmailJob>) => {
    const parent = propagation.extract(context.active(), job.data.otel ?? {});
    const producer = trace.getSpanContext(parent);
    const span = tracer.startSpan(`process ${EMAIL_QUEUE}`, {
      kind: SpanKind.CONSUMER,
      attributes: { ...messagingAttributes(redisUrl, 'process'), 'messaging.message.id': job.id ?? '' },
      links: producer ? [{ context: producer }] : [],
    }, parent);
    try {
      await context.with(trace.setSpan(parent, span), () => handle(job.data, job.id ?? job.data.orderKey));
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }, {
    connection: { url: redisUrl, maxRetriesPerRequest: null, connectTimeout: 500, retryStrategy: () => 200 },
    concurrency: 4,
  });
  worker.on('error', () => undefined);
  return { close: () => worker.close() };
}
