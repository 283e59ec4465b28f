/**
 * Outbound HTTP for the example services (tickets, clinic), through a keep-alive agent the
 * caller chooses (so a service decides how its sockets are pooled: one pool
 * for everything, or one per dependency). A call waits for a free socket
 * like any pooled client, and its deadline counts that wait. Each call is
 * one CLIENT span with the OpenTelemetry HTTP client attributes and a W3C
 * `traceparent`, like the demo shop's calls (examples/demo/runtime/
 * http-client.ts, whose CallError and result types this reuses).
 */
import { Agent, request } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { CallError, type CallOptions, type CallResult, type Peer } from './http-client.js';

export { CallError, type CallOptions, type CallResult, type Peer };

/** A keep-alive agent holding at most `sockets` sockets in total. */
export function pooledAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxTotalSockets: sockets, maxFreeSockets: sockets });
}

/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in
 * arrival order. A waiter that gives up (its deadline passed) leaves the
 * queue.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(readonly limit: number) {}

  /** Wait for a permit for at most `timeoutMs`; resolves with the release function, or rejects with a `timeout` CallError. */
  acquire(timeoutMs: number): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(); else this.active -= 1;
    };
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const waiter = { grant: () => { clearTimeout(timer); resolve(release); } };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new CallError('timeout', `no free call slot within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }

  /** Holders now, and callers waiting. */
  load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}

/** Sockets of `agent` in use, and requests waiting for one. */
export function agentLoad(agent: Agent): { sockets: number; queued: number } {
  return {
    sockets: Object.values(agent.sockets).reduce((s, l) => s + (l?.length ?? 0), 0),
    queued: Object.values(agent.requests).reduce((s, l) => s + (l?.length ?? 0), 0),
  };
}

function send(agent: Agent, url: URL, opts: CallOptions, headers: Record<string, string>): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(url, {
      method: opts.method,
      agent,
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

/** Call `peer` once through `agent`, inside a client span; rejects with CallError when no response arrived. */
export async function callHttp(tracer: Tracer, agent: Agent, peer: Peer, opts: CallOptions): Promise<CallResult> {
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
    const out = await send(agent, url, opts, headers);
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
