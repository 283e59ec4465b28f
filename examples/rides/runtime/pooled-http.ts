/**
 * One JSON call over a pooled keep-alive connection, in a CLIENT span with
 * the same OpenTelemetry HTTP attributes and W3C `traceparent` propagation
 * as the demo shop's calls (demo/runtime/http-client.ts), which open a fresh
 * connection per call instead.
 */
import { request } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { CallError, type CallOptions, type CallResult, type Peer } from '../../demo/runtime/http-client.js';
import type { PooledConnection } from './connection-pool.js';

function send(conn: PooledConnection, url: URL, opts: CallOptions, headers: Record<string, string>): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(url, {
      method: opts.method,
      agent: conn.agent,
      headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => reject(new CallError(e.code ?? 'ECONNRESET', e.message)));
      res.on('aborted', () => reject(new CallError('ECONNRESET', 'response aborted')));
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
    req.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof CallError ? e : new CallError(e.code ?? 'ECONNRESET', e.message)));
    req.end(payload);
  });
}

/** Call `peer` over `conn`, inside a client span; rejects with CallError when no response arrived. */
export async function callPooled(tracer: Tracer, conn: PooledConnection, peer: Peer, opts: CallOptions): Promise<CallResult> {
  const url = new URL(opts.path, peer.baseUrl);
  const span = tracer.startSpan(`${opts.method} ${opts.route ?? opts.path}`, {
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
    const out = await send(conn, url, opts, headers);
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
