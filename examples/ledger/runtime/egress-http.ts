/**
 * bank-api's outbound HTTP: every call to core-ledger and fx goes through
 * ONE keep-alive agent capped at EGRESS_SOCKETS sockets in total
 * (`maxTotalSockets`), the way a team caps a service's egress. A call waits
 * for a free socket like any pooled client, and its deadline counts that
 * wait. Each call is one CLIENT span with the OpenTelemetry HTTP client
 * attributes and a W3C `traceparent`, like the demo shop's calls
 * (examples/demo/runtime/http-client.ts, whose CallError and result types
 * this reuses).
 */
import { Agent, request } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { CallError, type CallOptions, type CallResult, type Peer } from '../../demo/runtime/http-client.js';

/** Sockets bank-api may hold open to all its HTTP dependencies together. */
export const EGRESS_SOCKETS = 16;

/** The shared egress agent. */
export const egressAgent = new Agent({ keepAlive: true, maxSockets: EGRESS_SOCKETS, maxTotalSockets: EGRESS_SOCKETS, maxFreeSockets: EGRESS_SOCKETS });

function send(url: URL, opts: CallOptions, headers: Record<string, string>): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(url, {
      method: opts.method,
      agent: egressAgent,
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

/** Call `peer` once through the egress agent, inside a client span; rejects with CallError when no response arrived. */
export async function callEgress(tracer: Tracer, peer: Peer, opts: CallOptions): Promise<CallResult> {
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
