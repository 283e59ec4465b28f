/**
 * A toy system under test whose behaviour the tests control:
 *
 *   workload → front (POST /orders) → fault proxy → prices (GET /price)
 *
 * The front calls prices with a short timeout on a fresh connection per call
 * (so a toxic touches every call). When prices fails, the front answers 503
 * if `bug` is on, or falls back to a cached price (201) when it is off.
 * With `recoveryDelayMs` = D it keeps answering 503 for exactly D ms after
 * its first successful upstream call following a failure (calls still in
 * flight from the fault do not restart that clock) — a known recovery delay
 * to measure. GET /orders dumps the orders (the probe).
 *
 * Planted behaviours for the runtime's own tests:
 * - `breaker`: prices failures answer 503 and, after `threshold` consecutive
 *   ones, open a circuit breaker that answers 503 without calling prices
 *   for `openMs` (then one trial call);
 * - `dieOnUpstreamReset`: the front process "dies" (stops listening) when a
 *   prices connection is reset, like a service with an unhandled client
 *   'error' event;
 * - `effectDelayMs`: an order is recorded that long after it was
 *   acknowledged (an outbox drained later), so effects are in flight;
 * - `errorCacheMs`: a failed prices call is cached for the order's sku that
 *   long and answered 503 without calling prices (a negative cache holding
 *   errors as long as prices), so the skus asked during an outage keep
 *   failing after it while others succeed.
 * The front's client spans carry the trace id of the incoming `traceparent`
 * (W3C propagation), as an instrumented service would.
 */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Span } from '../../../ingest/span.js';

export interface ToySystem {
  frontUrl: string;
  pricesAddress: string;
  settings: {
    bug: boolean;
    recoveryDelayMs: number;
    upstreamTimeoutMs: number;
    breaker?: { threshold: number; openMs: number };
    dieOnUpstreamReset?: boolean;
    effectDelayMs?: number;
    errorCacheMs?: number;
  };
  /** True once the front died (dieOnUpstreamReset). */
  readonly dead: boolean;
  /** Where the front reaches prices (the proxy's listen address); set after the proxy exists. */
  setUpstream(hostPort: string): void;
  orders: { requestKey: string; price: number }[];
  /** A client span per front→prices call, as an instrumented front would export. */
  spans: Span[];
  close(): Promise<void>;
}

function clientSpan(startMs: number, endMs: number, ok: boolean, traceparent: unknown): Span {
  const propagated = typeof traceparent === 'string' ? /^00-([0-9a-f]{32})-/.exec(traceparent)?.[1] : undefined;
  return {
    traceId: propagated ?? randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: randomBytes(8).toString('hex'),
    service: 'front',
    operation: 'GET /price',
    kind: 'client',
    startUs: Math.round(startMs * 1000),
    durationUs: Math.round((endMs - startMs) * 1000),
    status: ok ? 'unset' : 'error',
    attributes: { peerService: 'prices', httpMethod: 'GET' },
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

function callUpstream(hostPort: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(`http://${hostPort}/price`, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body).price as number) : reject(new Error(`prices ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('prices timeout')));
    req.on('error', reject);
  });
}

export async function startToySystem(): Promise<ToySystem> {
  const prices = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ price: 10 }));
  });
  const pricesPort = await listen(prices);
  const settings: ToySystem['settings'] = { bug: false, recoveryDelayMs: 0, upstreamTimeoutMs: 250 };
  let dead = false;
  let consecutiveFailures = 0;
  let openUntil = 0;
  const orders: { requestKey: string; price: number }[] = [];
  const spans: Span[] = [];
  let upstream = `127.0.0.1:${pricesPort}`;
  let degraded = false;
  let recoveringUntil = 0;
  let lastSuccessAt = 0;
  const cachedErrors = new Map<string, number>();

  const front = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const send = (status: number, doc: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(doc));
      };
      if (req.method === 'GET' && req.url === '/orders') return send(200, { orders });
      const key = String(req.headers['idempotency-key'] ?? '');
      let price: number;
      const started = Date.now();
      if (settings.breaker && started < openUntil) return send(503, { error: 'breaker open' });
      const sku = body ? String((JSON.parse(body) as { sku?: unknown }).sku) : '';
      if ((cachedErrors.get(sku) ?? 0) > started) return send(503, { error: 'prices unavailable (cached)' });
      try {
        price = await callUpstream(upstream, settings.upstreamTimeoutMs);
        spans.push(clientSpan(started, Date.now(), true, req.headers.traceparent));
        lastSuccessAt = Date.now();
        consecutiveFailures = 0;
        if (degraded) {
          degraded = false;
          recoveringUntil = Date.now() + settings.recoveryDelayMs;
        }
      } catch (err) {
        spans.push(clientSpan(started, Date.now(), false, req.headers.traceparent));
        if (settings.dieOnUpstreamReset && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return die();
        // A call that began before the last success (still in flight from the fault) does not re-degrade.
        if (started >= lastSuccessAt) degraded = true;
        if (settings.errorCacheMs) cachedErrors.set(sku, Date.now() + settings.errorCacheMs);
        if (settings.breaker) {
          if (++consecutiveFailures >= settings.breaker.threshold) openUntil = Date.now() + settings.breaker.openMs;
          return send(503, { error: 'prices unavailable' });
        }
        if (settings.bug) return send(503, { error: 'prices unavailable' });
        price = 10; // cached fallback
      }
      if (Date.now() < recoveringUntil) return send(503, { error: 'warming up' });
      const record = () => orders.push({ requestKey: key, price });
      if (settings.effectDelayMs) setTimeout(record, settings.effectDelayMs);
      else record();
      send(201, { ok: true, key, body: body ? JSON.parse(body) : null });
    });
  });
  const frontPort = await listen(front);
  // An unhandled error kills the process: nothing listens on the port any more.
  const die = () => {
    dead = true;
    front.close();
    front.closeAllConnections();
  };
  return {
    frontUrl: `http://127.0.0.1:${frontPort}`,
    pricesAddress: `127.0.0.1:${pricesPort}`,
    settings,
    get dead() {
      return dead;
    },
    setUpstream(hostPort) {
      upstream = hostPort;
    },
    orders,
    spans,
    async close() {
      for (const s of [front, prices]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
