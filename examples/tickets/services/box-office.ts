/**
 * box-office: the ticketing API customers call.
 *
 * - `POST /orders` {section} (header `Idempotency-Key`, the order key): buy
 *   the best available seat in a section — hold it on seat-map (the hold
 *   lasts 1 s), charge the card through payments-gw, then sell the held
 *   seat on seat-map, which also queues the ticket for fulfilment. 201 with
 *   the seat; 409 when the section is sold out or the seat was lost (the
 *   charge refunded); 503 when a step's outcome is unknown — such an order
 *   is settled in the background: the seat is given up if it was not sold,
 *   and the charge refunded.
 * - `GET /sections/{section}/availability`: seats left (seat-map).
 * - `POST /passes` {festival, qty} (header `Idempotency-Key`): general
 *   admission passes (seat-map).
 * - `GET /events/{event}/prices`: the event's prices from pricing, cached
 *   in Redis (`price-cache:<event>`, 5 s).
 *
 * Planted bugs (README.md):
 * - `cache-stampede`: on a cache miss — and on every request while the
 *   cache cannot be read — each request asks pricing itself; pricing
 *   computes one quote at a time, so when the cache is slow or down the
 *   requests pile up behind it. Fixed: one pricing call per event at a time
 *   (later requests wait for it), and while the cache cannot answer, the
 *   last price this process saw (at most 60 s old) is served, marked stale,
 *   while one refresh runs.
 * - `shared-pool`: box-office caps its outbound calls in flight, but with
 *   one limit of 6 shared by seat-map, payments-gw and pricing; a slow
 *   payments-gw holds every slot and availability reads, which never touch
 *   payments, wait for one. Fixed: one limit per dependency (bulkheads:
 *   seat-map 16, payments-gw 6, pricing 4).
 */
import { randomUUID } from 'node:crypto';
import type { JsonResponse } from '../../demo/runtime/http-server.js';
import { runTicketsService } from '../runtime/service-process.js';
import { connectRedis, redisReady } from '../../demo/runtime/redis-client.js';
import type { Agent } from 'node:http';
import { agentLoad, CallError, callHttp, Limiter, pooledAgent, type CallOptions, type CallResult, type Peer } from '../../demo/runtime/pooled-http.js';
import { EVENTS, FESTIVALS, SECTIONS } from '../runtime/venue.js';

const SEAT_MAP_TIMEOUT_MS = 1500;
const PAYMENT_TIMEOUT_MS = 5000;
const PRICING_TIMEOUT_MS = 3000;
const CACHE_TTL_MS = 5000;
const LAST_GOOD_MAX_AGE_MS = 60_000;
const SETTLE_EVERY_MS = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Hold { section: string; seat: number; token: number; priceCents: number }

interface Order {
  key: string;
  section: string;
  answer?: JsonResponse;
}

interface Unsettled { order: Order; hold: Hold }

await runTicketsService('box-office', async (ctx) => {
  const { tracer, bugs, log } = ctx;
  const seatMap: Peer = { service: 'seat-map', baseUrl: ctx.env('SEAT_MAP_URL') };
  const payments: Peer = { service: 'payments-gw', baseUrl: ctx.env('PAYMENTS_URL') };
  const pricing: Peer = { service: 'pricing', baseUrl: ctx.env('PRICING_URL') };
  const cache = connectRedis(tracer, ctx.env('REDIS_URL'), 150);
  await redisReady(cache);
  let closed = false;

  // ---- egress: how many calls may be in flight ----------------------------------
  // Every outbound call takes a slot from its limiter first; the wait counts against the call's deadline.
  const shared = bugs.has('shared-pool') ? new Limiter(6) : undefined;
  const limiters: Record<string, Limiter> = {
    'seat-map': shared ?? new Limiter(16),
    'payments-gw': shared ?? new Limiter(6),
    pricing: shared ?? new Limiter(4),
  };
  const agents: Record<string, Agent> = { 'seat-map': pooledAgent(16), 'payments-gw': pooledAgent(6), pricing: pooledAgent(4) };
  async function call(peer: Peer, opts: CallOptions): Promise<CallResult> {
    const started = Date.now();
    const release = await limiters[peer.service].acquire(opts.timeoutMs ?? 10_000);
    try {
      const left = (opts.timeoutMs ?? 10_000) - (Date.now() - started);
      if (left <= 0) throw new CallError('timeout', `no free call slot within ${opts.timeoutMs} ms`);
      return await callHttp(tracer, agents[peer.service], peer, { ...opts, timeoutMs: left });
    } finally {
      release();
    }
  }

  // ---- orders ------------------------------------------------------------------
  const orders = new Map<string, Order>();
  const unsettled = new Map<string, Unsettled>();
  const refunds = new Set<string>();

  async function refund(key: string): Promise<boolean> {
    try {
      const res = await call(payments, { method: 'POST', path: `/charges/${encodeURIComponent(key)}/refund`, route: '/charges/{orderKey}/refund', timeoutMs: PAYMENT_TIMEOUT_MS });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** Give the seat up unless it was sold; `sold`, `released` or undefined when seat-map did not answer. */
  async function abandon(key: string, hold: Hold): Promise<'sold' | 'released' | undefined> {
    try {
      const res = await call(seatMap, { method: 'POST', path: '/sales/abandon', route: '/sales/abandon', body: { orderKey: key, section: hold.section, seat: hold.seat, token: hold.token }, timeoutMs: SEAT_MAP_TIMEOUT_MS });
      const outcome = (res.body as { outcome?: string } | undefined)?.outcome;
      return res.status === 200 && (outcome === 'sold' || outcome === 'released') ? outcome : undefined;
    } catch {
      return undefined;
    }
  }

  async function settle(u: Unsettled): Promise<boolean> {
    const outcome = await abandon(u.order.key, u.hold);
    if (outcome === undefined) return false;
    if (outcome === 'sold') {
      // It did go through: the order stands, and a retry of it is told so.
      u.order.answer = { status: 201, body: { orderKey: u.order.key, status: 'confirmed', section: u.hold.section, seat: u.hold.seat } };
      return true;
    }
    if (!(await refund(u.order.key))) refunds.add(u.order.key);
    return true;
  }

  async function runOrder(o: Order): Promise<JsonResponse> {
    const failed = (status: number, error: string): JsonResponse => ({ status, body: { orderKey: o.key, status: 'failed', error } });
    let res: CallResult;
    try {
      res = await call(seatMap, { method: 'POST', path: `/sections/${encodeURIComponent(o.section)}/holds`, route: '/sections/{section}/holds', body: { orderKey: o.key }, timeoutMs: SEAT_MAP_TIMEOUT_MS });
    } catch (err) {
      return failed(503, `seat-map did not answer: ${(err as Error).message}`);
    }
    if (res.status === 409) return failed(409, 'sold out');
    if (res.status !== 201) return failed(res.status >= 500 ? 503 : res.status, 'no seat could be held');
    const hold = res.body as Hold;

    // Charge; a charge is idempotent per order key at the provider, so an unanswered one is asked again once.
    let charged: 'yes' | 'no' | 'unknown' = 'unknown';
    for (let attempt = 0; attempt < 2 && charged === 'unknown'; attempt++) {
      try {
        const c = await call(payments, { method: 'POST', path: '/charges', route: '/charges', body: { orderKey: o.key, amountCents: hold.priceCents }, timeoutMs: PAYMENT_TIMEOUT_MS, resendCount: attempt });
        if (c.status === 200 || c.status === 201) charged = 'yes';
        else if (c.status >= 400 && c.status < 500) charged = 'no';
      } catch { /* unknown: asked again below */ }
    }
    if (charged === 'no') {
      if ((await abandon(o.key, hold)) === undefined) unsettled.set(o.key, { order: o, hold });
      return failed(402, 'payment declined');
    }
    if (charged === 'unknown') {
      unsettled.set(o.key, { order: o, hold });
      return failed(503, 'payments-gw did not confirm the charge');
    }

    let sold: 'yes' | 'lost' | 'unknown' = 'unknown';
    for (let attempt = 0; attempt < 2 && sold === 'unknown'; attempt++) {
      try {
        const s = await call(seatMap, { method: 'POST', path: '/sales', route: '/sales', body: { orderKey: o.key, section: hold.section, seat: hold.seat, token: hold.token }, timeoutMs: SEAT_MAP_TIMEOUT_MS, resendCount: attempt });
        if (s.status === 201) sold = 'yes';
        else if (s.status === 409) sold = 'lost';
      } catch { /* unknown: a sale is idempotent per order key, asked again below */ }
    }
    if (sold === 'lost') {
      if (!(await refund(o.key))) refunds.add(o.key);
      return failed(409, `seat ${hold.section}-${hold.seat} was lost while paying; the charge is refunded`);
    }
    if (sold === 'unknown') {
      unsettled.set(o.key, { order: o, hold });
      return failed(503, 'seat-map did not confirm the sale');
    }
    return { status: 201, body: { orderKey: o.key, status: 'confirmed', section: hold.section, seat: hold.seat, priceCents: hold.priceCents } };
  }

  const settleLoop = (async () => {
    while (!closed) {
      await sleep(SETTLE_EVERY_MS);
      for (const [key, u] of [...unsettled]) if (await settle(u)) unsettled.delete(key);
      for (const key of [...refunds]) if (await refund(key)) refunds.delete(key);
    }
  })();

  // ---- prices --------------------------------------------------------------------
  const flights = new Map<string, Promise<CallResult>>();
  const lastGood = new Map<string, { body: unknown; at: number }>();
  const cacheKey = (event: string) => `price-cache:${event}`;

  function askPricing(event: string): Promise<CallResult> {
    return call(pricing, { method: 'GET', path: `/events/${encodeURIComponent(event)}/prices`, route: '/events/{event}/prices', timeoutMs: PRICING_TIMEOUT_MS }).then(async (res) => {
      if (res.status === 200) {
        lastGood.set(event, { body: res.body, at: Date.now() });
        try { await cache.traced('SET', (r) => r.set(cacheKey(event), JSON.stringify(res.body), 'PX', CACHE_TTL_MS)); } catch { /* only a miss next time */ }
      }
      return res;
    });
  }

  async function prices(event: string): Promise<JsonResponse> {
    let cacheUp = true;
    try {
      const hit = await cache.traced('GET', (r) => r.get(cacheKey(event)));
      if (hit !== null) return { status: 200, body: { ...(JSON.parse(hit) as object), cached: true } };
    } catch {
      cacheUp = false;
    }
    let res: CallResult;
    try {
      if (bugs.has('cache-stampede')) {
        // The bug: every request that missed asks pricing for itself.
        res = await askPricing(event);
      } else {
        let flight = flights.get(event);
        if (!flight) {
          flight = askPricing(event).finally(() => flights.delete(event));
          flights.set(event, flight);
          flight.catch(() => undefined);
        }
        const good = lastGood.get(event);
        if (!cacheUp && good && Date.now() - good.at < LAST_GOOD_MAX_AGE_MS) return { status: 200, body: { ...(good.body as object), stale: true } };
        res = await flight;
      }
    } catch (err) {
      return { status: 503, body: { error: `pricing did not answer: ${(err as Error).message}` } };
    }
    return { status: res.status >= 500 ? 503 : res.status, body: res.body };
  }

  // ---- routes -------------------------------------------------------------------------
  return {
    routes: [
      {
        method: 'POST',
        route: '/orders',
        async handle(req) {
          const body = req.body as { section?: unknown } | undefined;
          if (typeof body?.section !== 'string' || !SECTIONS.includes(body.section)) return { status: 400, body: { error: `body must be {section: ${SECTIONS.join(' | ')}}` } };
          const key = req.headers['idempotency-key'] || randomUUID();
          const seen = orders.get(key);
          if (seen?.answer) return seen.answer.status === 201 ? { status: 200, body: seen.answer.body } : seen.answer;
          if (seen) return { status: 409, body: { orderKey: key, error: 'order in progress' } };
          const o: Order = { key, section: body.section };
          orders.set(key, o);
          const answer = await runOrder(o);
          o.answer ??= answer;
          return answer;
        },
      },
      {
        method: 'GET',
        route: '/sections/{section}/availability',
        async handle(req) {
          const path = `/sections/${encodeURIComponent(req.params.section)}/availability`;
          try {
            const res = await call(seatMap, { method: 'GET', path, route: '/sections/{section}/availability', timeoutMs: SEAT_MAP_TIMEOUT_MS });
            return { status: res.status >= 500 ? 503 : res.status, body: res.body };
          } catch (err) {
            return { status: 503, body: { error: `seat-map did not answer: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'POST',
        route: '/passes',
        async handle(req) {
          const body = req.body as { festival?: unknown; qty?: unknown } | undefined;
          if (typeof body?.festival !== 'string' || !FESTIVALS.includes(body.festival) || !Number.isInteger(body.qty)) {
            return { status: 400, body: { error: `body must be {festival: ${FESTIVALS.join(' | ')}, qty: 1..10}` } };
          }
          const key = req.headers['idempotency-key'] || randomUUID();
          try {
            const res = await call(seatMap, { method: 'POST', path: `/passes/${encodeURIComponent(body.festival)}`, route: '/passes/{festival}', body: { orderKey: key, qty: body.qty }, timeoutMs: SEAT_MAP_TIMEOUT_MS });
            return { status: res.status >= 500 ? 503 : res.status, body: res.body };
          } catch (err) {
            return { status: 503, body: { error: `seat-map did not answer: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'GET',
        route: '/events/{event}/prices',
        handle: (req) => (EVENTS.includes(req.params.event) ? prices(req.params.event) : { status: 404, body: { error: `no event ${req.params.event}` } }),
      },
      {
        method: 'GET',
        route: '/debug/state',
        handle: () => ({
          status: 200,
          body: {
            orders: orders.size, unsettled: unsettled.size, refundsPending: refunds.size, pricingInFlight: flights.size,
            calls: Object.fromEntries(Object.entries(limiters).map(([name, l]) => [name, l.load()])),
            sockets: Object.fromEntries(Object.entries(agents).map(([name, agent]) => [name, agentLoad(agent)])),
          },
        }),
      },
    ],
    async close() {
      closed = true;
      await settleLoop;
      cache.close();
      for (const agent of Object.values(agents)) agent.destroy();
      log('closed');
    },
  };
});
