/**
 * OTLP/HTTP trace receiver (https://opentelemetry.io/docs/specs/otlp/#otlphttp):
 * `POST /v1/traces` with `application/x-protobuf` or `application/json`
 * bodies, optionally `Content-Encoding: gzip`. Responses use the request's
 * encoding: an ExportTraceServiceResponse on success (with `partialSuccess`
 * when some spans were rejected), a google.rpc.Status (protobuf) or
 * `{code, message}` (JSON) on failure. 400 = undecodable, 413 = too large
 * (also after gunzip, so a gzip bomb cannot exhaust memory), 415 = other
 * content types, 429 + Retry-After when more than `queueCapacity` requests
 * whose bodies have arrived are being processed (the spec's retryable
 * throttling answer). Span text longer than `maxTextLength` is truncated and
 * reported as a partial-success warning.
 */
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { fail, FaultlineError } from '../base/errors.js';
import { spansFromOtlpJson } from './otlp-json.js';
import { encodeExportResponse, encodeRpcStatus, spansFromOtlpProto } from './otlp-proto.js';
import type { SpanStore } from './span-store.js';
import { IngestWarnings } from './warnings.js';
import { capSpanText, DEFAULT_MAX_TEXT_LENGTH } from './span-text-cap.js';

/** Receiver options. */
export interface OtlpReceiverOptions {
  store: SpanStore;
  /** Largest accepted body, compressed and decompressed (bytes). */
  bodyLimitBytes: number;
  /** Concurrent requests before answering 429. */
  queueCapacity: number;
  /** Retry-After seconds on 429 (default 1). */
  retryAfterSeconds?: number;
  /** Longest span name or attribute value kept (characters; default {@link DEFAULT_MAX_TEXT_LENGTH}); longer ones are truncated and counted. */
  maxTextLength?: number;
}

/** Options of a receiver-only app: the receiver's plus the socket timeouts. */
export interface ReceiverAppOptions extends OtlpReceiverOptions {
  /** Time a client has to send its headers (ms, default 10 s). */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request (ms, default 60 s). */
  requestTimeoutMs?: number;
}

type Encoding = 'json' | 'protobuf';

// google.rpc.Code values used in Status bodies (OTLP maps HTTP errors onto them).
const RPC_CODE: Record<number, number> = { 400: 3, 413: 8, 415: 3, 429: 8, 500: 13 };

function encodingOf(req: FastifyRequest): Encoding | undefined {
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (ct === 'application/x-protobuf') return 'protobuf';
  if (ct === 'application/json') return 'json';
  return undefined;
}

function sendError(reply: FastifyReply, enc: Encoding | undefined, status: number, message: string): FastifyReply {
  reply.code(status);
  if (enc === 'protobuf') {
    return reply.type('application/x-protobuf').send(Buffer.from(encodeRpcStatus(RPC_CODE[status] ?? 2, message)));
  }
  return reply.type('application/json').send({ code: RPC_CODE[status] ?? 2, message });
}

function decompress(body: Buffer, req: FastifyRequest, limit: number): Buffer {
  const ce = (req.headers['content-encoding'] ?? '').toString().trim().toLowerCase();
  if (ce === '' || ce === 'identity') return body;
  if (ce !== 'gzip') throw fail('UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Encoding ${JSON.stringify(ce)} (gzip or none)`);
  try {
    // maxOutputLength stops inflation at the limit: a gzip bomb costs at most `limit` bytes.
    return gunzipSync(body, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw fail('PAYLOAD_TOO_LARGE', `decompressed body exceeds ${limit} bytes`, { limit });
    }
    throw fail('TRACE_FORMAT', `body is not valid gzip: ${(err as Error).message}`, undefined, err);
  }
}

/**
 * Fastify plugin serving `POST /v1/traces` (register with prefix '').
 * Encapsulated: its body parsers and error handler do not leak into the app.
 */
export const otlpReceiver: FastifyPluginAsync<OtlpReceiverOptions> = async (app, opts) => {
  const { store, bodyLimitBytes, queueCapacity } = opts;
  const maxTextLength = opts.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  let inFlight = 0;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const enc = encodingOf(req);
    if (err instanceof FaultlineError) return sendError(reply, enc, err.statusCode, err.message);
    const status = err.statusCode === 413 ? 413 : err.statusCode === 415 ? 415 : err.statusCode && err.statusCode < 500 ? 400 : 500;
    if (status === 500) req.log.error({ err }, 'otlp receiver failed');
    return sendError(reply, enc, status, status === 500 ? 'internal error' : err.message);
  });

  app.post('/v1/traces', {
    // Counted only once the body is in: a client trickling its body holds a
    // socket (until the server's request timeout), never a queue slot.
    preHandler: async (req, reply) => {
      if (inFlight >= queueCapacity) {
        reply.header('retry-after', retryAfter);
        return sendError(reply, encodingOf(req), 429, `ingest queue full (${queueCapacity} requests in flight); retry later`);
      }
      inFlight++;
      reply.raw.once('close', () => { inFlight--; });
    },
  }, async (req, reply) => {
    const enc = encodingOf(req);
    if (enc === undefined) {
      throw fail('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/x-protobuf or application/json, got ${JSON.stringify(req.headers['content-type'] ?? '')}`);
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = decompress(raw, req, bodyLimitBytes);
    const warnings = new IngestWarnings();
    let spans;
    if (enc === 'protobuf') {
      spans = spansFromOtlpProto(body, warnings);
    } else {
      let doc: unknown;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch {
        throw fail('TRACE_FORMAT', 'body is not valid JSON');
      }
      spans = spansFromOtlpJson(doc, warnings);
    }
    capSpanText(spans, maxTextLength, warnings);
    store.add(spans);
    const partial = partialSuccess(warnings);
    if (enc === 'protobuf') {
      return reply.type('application/x-protobuf').send(Buffer.from(encodeExportResponse(partial)));
    }
    return reply.type('application/json').send(partial ? { partialSuccess: partial } : {});
  });
};

/** OTLP partial success: rejected = spans skipped; the message lists every counted problem. */
function partialSuccess(w: IngestWarnings): { rejectedSpans: number; errorMessage: string } | undefined {
  if (w.total === 0) return undefined;
  let rejected = 0;
  for (const [reason, n] of Object.entries(w.toJSON())) if (reason.startsWith('skipped span')) rejected += n;
  // Repairs alone are not rejections; the spec allows a message with rejectedSpans 0 as a warning.
  return { rejectedSpans: rejected, errorMessage: w.lines().join('; ') };
}

/** A Fastify instance serving only the receiver (demo, tests, `faultline serve --otlp-only`). */
export function buildReceiverApp(opts: ReceiverAppOptions): FastifyInstance {
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimitBytes,
    // Slow senders are cut off with 408 (Node checks the timeouts every connectionsCheckingInterval).
    requestTimeout: Math.max(opts.requestTimeoutMs ?? 60_000, headersTimeout),
    http: { headersTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) },
  });
  void app.register(otlpReceiver, { ...opts, prefix: '' } as OtlpReceiverOptions);
  return app;
}

