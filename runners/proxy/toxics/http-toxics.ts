/**
 * faultline's per-request toxics for HTTP/1.1 upstreams (not in Toxiproxy).
 * They sit on the client→server stream, frame requests with
 * HttpRequestParser and draw toxicity per request, so `toxicity: 0.1` fails
 * about one request in ten on a keep-alive connection. Bytes that are not
 * HTTP pass through untouched and are counted as unparsed.
 */
import { STATUS_CODES } from 'node:http';
import { HttpRequestParser, type ParsedPiece } from '../http-request-parser.js';
import { sleep, type Emit, type ToxicContext, type ToxicFactory } from './types.js';

/** A complete, minimal HTTP/1.1 response the client can parse and reuse the connection after. */
export function errorResponse(status: number, toxic: string, close: boolean): Buffer {
  const reason = STATUS_CODES[status] ?? 'Unknown';
  const body = `faultline injected ${status} (${toxic})\n`;
  return Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-faultline-toxic: ${toxic}\r\nconnection: ${close ? 'close' : 'keep-alive'}\r\n\r\n${body}`,
    'latin1',
  );
}

/** Shared framing: feed the parser, pass raw bytes, hand each request to `onRequest`. */
function perRequest(
  ctx: ToxicContext,
  onRequest: (piece: Extract<ParsedPiece, { kind: 'request' }>, emit: Emit) => Promise<void>,
): ReturnType<ToxicFactory> {
  const parser = new HttpRequestParser();
  let touched = false;
  return {
    async chunk(data, _at, emit) {
      for (const piece of parser.feed(data)) {
        if (piece.kind === 'raw') {
          ctx.counter.unparsedBytes += piece.bytes.length;
          await emit(piece.bytes);
          continue;
        }
        if (ctx.random() >= ctx.spec().toxicity) {
          await emit(piece.bytes);
          continue;
        }
        ctx.counter.requests += 1;
        if (!touched) {
          touched = true;
          ctx.counter.touched += 1;
        }
        await onRequest(piece, emit);
        if (ctx.link.closed) return;
      }
    },
  };
}

/** Answers a fraction of requests with `status` without forwarding them. */
export const httpError: ToxicFactory = (ctx) =>
  perRequest(ctx, async (req) => {
    const spec = ctx.spec();
    ctx.link.replyToClient(errorResponse(spec.attributes.status, spec.name, req.head.close));
    if (req.head.close) ctx.link.close();
  });

/** Delays a fraction of requests by latency ± jitter ms before forwarding them. */
export const httpDelay: ToxicFactory = (ctx) =>
  perRequest(ctx, async (req, emit) => {
    const { latency, jitter } = ctx.spec().attributes;
    await sleep(latency + (jitter > 0 ? Math.round((ctx.random() * 2 - 1) * jitter) : 0), ctx.signal);
    await emit(req.bytes);
  });
