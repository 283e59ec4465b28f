/**
 * JSON calls between demo services, each in one CLIENT span that carries the
 * OpenTelemetry HTTP client attributes (server.address, server.port,
 * peer.service, http.response.status_code, http.request.resend_count) and
 * propagates the trace with a W3C `traceparent` header.
 *
 * Every call opens a fresh connection (no keep-alive): a toxic added to a
 * proxy then lands on the very next request, which keeps the demo's fault
 * effects immediate and easy to see.
 */
import { request } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';

/** A downstream service as the caller knows it. */
export interface Peer {
  /** peer.service of the callee. */
  service: string;
  /** Base URL, e.g. `http://127.0.0.1:41234` (a proxy's listen address). */
  baseUrl: string;
}

/** One call. */
export interface CallOptions {
  method: string;
  path: string;
  /** Route template for the span name, e.g. `/stock/{sku}`; defaults to `path`. */
  route?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whole-call deadline; absent means wait as long as the callee takes. */
  timeoutMs?: number;
  /** 0 for the first attempt, n for the n-th retry (http.request.resend_count). */
  resendCount?: number;
}

/** A response that arrived, whatever its status. */
export interface CallResult {
  status: number;
  body: unknown;
}

/** Why a call got no response: `timeout` (our deadline) or a socket error code (ECONNRESET, ECONNREFUSED, …). */
export class CallError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'CallError';
  }
}

function send(url: URL, opts: CallOptions, headers: Record<string, string>): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(url, {
      method: opts.method,
      agent: false,
      headers: {
        ...headers,
        connection: 'close',
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => reject(new CallError(e.code ?? 'ECONNRESET', e.message)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try { body = text === '' ? undefined : JSON.parse(text); } catch { /* keep the raw text */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => req.destroy(new CallError('timeout', `no response within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    }
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e: NodeJS.ErrnoException) => {
      reject(e instanceof CallError ? e : new CallError(e.code ?? 'ECONNRESET', e.message));
    });
    req.end(payload);
  });
}

/** Call `peer` once, inside a client span; rejects with CallError when no response arrived. */
export async function callPeer(tracer: Tracer, peer: Peer, opts: CallOptions): Promise<CallResult> {
  const url = new URL(opts.path, peer.baseUrl);
  const route = opts.route ?? opts.path;
  const span = tracer.startSpan(`${opts.method} ${route}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': opts.method,
      'server.address': url.hostname,
      'server.port': Number(url.port),
      'peer.service': peer.service,
      'url.full': url.href,
      ...(opts.resendCount ? { 'http.request.resend_count': opts.resendCount } : {}),
    },
  });
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  propagation.inject(trace.setSpan(context.active(), span), headers);
  try {
    const out = await send(url, opts, headers);
    span.setAttribute('http.response.status_code', out.status);
    if (out.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${out.status}` });
    return out;
  } catch (err) {
    const reason = err instanceof CallError ? err.reason : 'unknown';
    span.setAttribute('error.type', reason);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err instanceof CallError ? err : new CallError(reason, (err as Error).message);
  } finally {
    span.end();
  }
}
