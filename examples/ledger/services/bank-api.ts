/**
 * bank-api: the bank's public API.
 *
 * - `POST /transfers` {from, to, amountCents} (header `Idempotency-Key`, the
 *   transfer key): debit `from` on core-ledger, credit `to`, answer 201, and
 *   publish a `transfer-events` entry for the statement worker through an
 *   in-memory outbox (flushed in order, retried until Redis takes it).
 * - `GET /accounts/{id}/balance`: core-ledger's balance.
 * - `GET /quotes/{pair}`: an exchange rate from fx, the last known rate
 *   (`stale: true`) when fx does not answer.
 * - `GET|PUT /accounts/{id}/limit`: the account's transfer limit, read
 *   through a Redis cache (`limit-cache:<id>`).
 *
 * Every HTTP call shares one egress agent of 16 sockets
 * (runtime/egress-http.ts).
 *
 * Planted bugs (README.md):
 * - `no-compensation`: a transfer whose debit or credit fails or times out
 *   is answered with an error and left as it is — a debit that went through
 *   is never given back. Fixed: the transfer is reversed (core-ledger's
 *   reversal undoes whatever leg was applied and refuses late legs), and a
 *   reversal that cannot be made now is retried until it is.
 * - `retry-storm`: an fx call that gets no answer is retried at once, up to
 *   10 attempts, with no back-off and no retry budget; the attempts hold the
 *   shared egress sockets, so balance reads queue behind them. Fixed: one
 *   retry after a jittered back-off, only within a budget of 10 % of calls,
 *   then the last known rate.
 * - `stale-cache`: a limit write invalidates the cache only when the write
 *   succeeded and ignores a failed invalidation, and cache entries never
 *   expire; a write whose invalidation was lost leaves the old limit served
 *   for good. Fixed: invalidation is attempted whatever the write's outcome,
 *   a failed one is retried and the key bypasses the cache until it
 *   succeeds, a read only fills the cache when no write overlapped it, and
 *   entries expire after 10 s.
 */
import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { runLedgerService } from '../runtime/service-process.js';
import { CallError, type CallResult, type Peer } from '../../demo/runtime/http-client.js';
import type { JsonResponse } from '../../demo/runtime/http-server.js';
import { callEgress, egressAgent } from '../runtime/egress-http.js';
import { connectRedis, redisPeer, redisReady } from '../../demo/runtime/redis-client.js';
import { TRANSFER_STREAM } from '../runtime/accounts.js';

const LEG_TIMEOUT_MS = 800;
const READ_TIMEOUT_MS = 1000;
const FX_TIMEOUT_MS = 500;
const STORM_ATTEMPTS = 10;
const RETRY_BUDGET_RATIO = 0.1;
const CACHE_TTL_MS = 10_000;
const REPAIR_EVERY_MS = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Transfer {
  key: string;
  from: string;
  to: string;
  amountCents: number;
  status: 'pending' | 'completed' | 'failed';
  answer?: JsonResponse;
}

interface OutboxEntry {
  fields: Record<string, string>;
  span: Span;
}

await runLedgerService('bank-api', async (ctx) => {
  const { tracer, bugs, log } = ctx;
  const core: Peer = { service: 'core-ledger', baseUrl: ctx.env('CORE_LEDGER_URL') };
  const fx: Peer = { service: 'fx', baseUrl: ctx.env('FX_URL') };
  const redisUrl = ctx.env('REDIS_URL');
  const cache = connectRedis(tracer, redisUrl, 200);
  const events = connectRedis(tracer, redisUrl, 500);
  await Promise.all([redisReady(cache), redisReady(events)]);
  let closed = false;

  // ---- transfers -----------------------------------------------------------
  const transfers = new Map<string, Transfer>();
  const outbox: OutboxEntry[] = [];
  const repairs = new Set<string>();

  type LegOutcome = 'applied' | 'insufficient' | 'refused' | 'unknown';
  async function leg(t: Transfer, name: 'debit' | 'credit', resendCount = 0): Promise<LegOutcome> {
    let res: CallResult;
    try {
      res = await callEgress(tracer, core, {
        method: 'POST', path: `/transfers/${encodeURIComponent(t.key)}/${name}`, route: `/transfers/{key}/${name}`,
        body: { account: name === 'debit' ? t.from : t.to, amountCents: t.amountCents }, timeoutMs: LEG_TIMEOUT_MS, resendCount,
      });
    } catch {
      return 'unknown';
    }
    if (res.status === 200) return 'applied';
    if (res.status === 402) return 'insufficient';
    if (res.status >= 400 && res.status < 500) return 'refused';
    return 'unknown';
  }

  async function reverse(key: string): Promise<boolean> {
    try {
      const res = await callEgress(tracer, core, { method: 'POST', path: `/transfers/${encodeURIComponent(key)}/reverse`, route: '/transfers/{key}/reverse', timeoutMs: LEG_TIMEOUT_MS });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** Undo a transfer that did not complete (the fixed behaviour); the bug leaves it. */
  async function compensate(t: Transfer): Promise<void> {
    if (bugs.has('no-compensation')) return;
    if (!(await reverse(t.key))) repairs.add(t.key);
  }

  function publish(t: Transfer): void {
    const span = tracer.startSpan(`send ${TRANSFER_STREAM}`, {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'redis', 'messaging.destination.name': TRANSFER_STREAM, 'messaging.operation.type': 'send', ...redisPeer(redisUrl) },
    });
    const otel: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), otel);
    outbox.push({ span, fields: { transferKey: t.key, from: t.from, to: t.to, amountCents: String(t.amountCents), otel: JSON.stringify(otel) } });
  }

  async function runTransfer(t: Transfer): Promise<JsonResponse> {
    const failed = (status: number, error: string): JsonResponse => ({ status, body: { transferKey: t.key, status: 'failed', error } });
    const debit = await leg(t, 'debit');
    if (debit === 'insufficient') return failed(402, 'insufficient funds');
    if (debit === 'refused') return failed(422, 'core-ledger refused the debit');
    if (debit === 'unknown') {
      await compensate(t);
      return failed(503, 'core-ledger did not confirm the debit');
    }
    let credit = await leg(t, 'credit');
    // A credit leg is idempotent per transfer key: asking again is safe.
    if (credit === 'unknown') credit = await leg(t, 'credit', 1);
    if (credit !== 'applied') {
      await compensate(t);
      return failed(503, 'core-ledger did not confirm the credit');
    }
    publish(t);
    return { status: 201, body: { transferKey: t.key, status: 'completed', from: t.from, to: t.to, amountCents: t.amountCents } };
  }

  const outboxLoop = (async () => {
    while (!closed) {
      const head = outbox[0];
      if (!head) { await sleep(20); continue; }
      try {
        await events.client.xadd(TRANSFER_STREAM, '*', ...Object.entries(head.fields).flat());
        outbox.shift();
        head.span.end();
      } catch (err) {
        head.span.addEvent('xadd failed, retrying', { 'error.message': (err as Error).message });
        await sleep(200);
      }
    }
  })();

  const repairLoop = (async () => {
    while (!closed) {
      await sleep(REPAIR_EVERY_MS);
      for (const key of [...repairs]) {
        if (await reverse(key)) repairs.delete(key);
      }
    }
  })();

  // ---- fx quotes -----------------------------------------------------------
  const lastKnown = new Map<string, { rate: number; at: string }>();
  let retryTokens = 10;

  async function fxOnce(pair: string, resendCount: number): Promise<CallResult> {
    return callEgress(tracer, fx, { method: 'GET', path: `/rates/${encodeURIComponent(pair)}`, route: '/rates/{pair}', timeoutMs: FX_TIMEOUT_MS, resendCount });
  }

  async function fetchRate(pair: string): Promise<CallResult> {
    if (bugs.has('retry-storm')) {
      // The bug: keep asking until fx answers, at once, however many callers do the same.
      let lastErr: unknown;
      for (let attempt = 0; attempt < STORM_ATTEMPTS; attempt++) {
        try {
          const res = await fxOnce(pair, attempt);
          if (res.status < 500) return res;
          lastErr = new CallError('http', `fx answered ${res.status}`);
        } catch (err) {
          lastErr = err;
        }
      }
      throw lastErr;
    }
    retryTokens = Math.min(10, retryTokens + RETRY_BUDGET_RATIO);
    try {
      const res = await fxOnce(pair, 0);
      if (res.status < 500) return res;
    } catch { /* retried below when the budget allows */ }
    if (retryTokens < 1) throw new CallError('budget', 'fx retry budget spent');
    retryTokens -= 1;
    await sleep(100 + Math.random() * 100);
    const res = await fxOnce(pair, 1);
    if (res.status >= 500) throw new CallError('http', `fx answered ${res.status}`);
    return res;
  }

  // ---- the limit cache ----------------------------------------------------------
  const cacheKey = (id: string) => `limit-cache:${id}`;
  const generation = new Map<string, number>();
  const writing = new Map<string, number>();
  const dirty = new Set<string>();
  const gen = (id: string) => generation.get(id) ?? 0;
  const bump = (id: string) => generation.set(id, gen(id) + 1);

  async function readLimitFromStore(id: string): Promise<CallResult> {
    const path = `/accounts/${encodeURIComponent(id)}/limit`;
    try {
      return await callEgress(tracer, core, { method: 'GET', path, route: '/accounts/{id}/limit', timeoutMs: READ_TIMEOUT_MS });
    } catch {
      return callEgress(tracer, core, { method: 'GET', path, route: '/accounts/{id}/limit', timeoutMs: READ_TIMEOUT_MS, resendCount: 1 });
    }
  }

  async function invalidate(id: string): Promise<boolean> {
    try {
      await cache.traced('DEL', (r) => r.del(cacheKey(id)));
      return true;
    } catch {
      return false;
    }
  }

  const invalidationLoop = (async () => {
    while (!closed) {
      await sleep(REPAIR_EVERY_MS);
      for (const id of [...dirty]) if (await invalidate(id)) dirty.delete(id);
    }
  })();

  async function readLimit(id: string): Promise<JsonResponse> {
    const buggy = bugs.has('stale-cache');
    const bypass = !buggy && (dirty.has(id) || (writing.get(id) ?? 0) > 0);
    if (!bypass) {
      let cached: string | null = null;
      let cacheUp = true;
      try {
        cached = await cache.traced('GET', (r) => r.get(cacheKey(id)));
      } catch {
        cacheUp = false;
      }
      if (cached !== null) return { status: 200, body: { account: id, limitCents: Number(cached), cached: true } };
      if (cacheUp) {
        const before = gen(id);
        const res = await readLimitFromStore(id);
        if (res.status !== 200) return { status: res.status >= 500 ? 503 : res.status, body: res.body };
        const value = String((res.body as { limitCents: number }).limitCents);
        const mayFill = buggy || (gen(id) === before && !dirty.has(id) && (writing.get(id) ?? 0) === 0);
        if (mayFill) {
          try {
            if (buggy) await cache.traced('SET', (r) => r.set(cacheKey(id), value));
            else await cache.traced('SET', (r) => r.set(cacheKey(id), value, 'PX', CACHE_TTL_MS));
          } catch { /* a cache that cannot be filled is only a miss next time */ }
        }
        return { status: 200, body: res.body };
      }
    }
    const res = await readLimitFromStore(id);
    return { status: res.status >= 500 ? 503 : res.status, body: res.body };
  }

  async function writeLimit(id: string, limitCents: number): Promise<JsonResponse> {
    const path = `/accounts/${encodeURIComponent(id)}/limit`;
    const put = () => callEgress(tracer, core, { method: 'PUT', path, route: '/accounts/{id}/limit', body: { limitCents }, timeoutMs: READ_TIMEOUT_MS });
    if (bugs.has('stale-cache')) {
      let res: CallResult;
      try {
        res = await put();
      } catch (err) {
        return { status: 503, body: { error: `core-ledger unreachable: ${(err as Error).message}` } };
      }
      if (res.status === 200) {
        // The bug: a failed invalidation is only logged, and the write is answered as done.
        if (!(await invalidate(id))) log(`could not invalidate ${cacheKey(id)}; continuing`);
      }
      return { status: res.status >= 500 ? 503 : res.status, body: res.body };
    }
    writing.set(id, (writing.get(id) ?? 0) + 1);
    bump(id);
    try {
      let res: CallResult | undefined;
      let error: string | undefined;
      try {
        res = await put();
      } catch (err) {
        error = (err as Error).message;
      }
      // Whatever the outcome, the write may have reached the store: drop the cached value.
      if (!(await invalidate(id))) dirty.add(id);
      if (!res) return { status: 503, body: { error: `core-ledger unreachable: ${error}` } };
      return { status: res.status >= 500 ? 503 : res.status, body: res.body };
    } finally {
      writing.set(id, (writing.get(id) ?? 1) - 1);
      bump(id);
    }
  }

  return {
    routes: [
      {
        method: 'POST',
        route: '/transfers',
        async handle(req) {
          const body = req.body as { from?: unknown; to?: unknown; amountCents?: unknown } | undefined;
          if (typeof body?.from !== 'string' || typeof body.to !== 'string' || body.from === body.to || !Number.isInteger(body.amountCents) || (body.amountCents as number) <= 0) {
            return { status: 400, body: { error: 'body must be {from: string, to: string (another account), amountCents: positive integer}' } };
          }
          const key = req.headers['idempotency-key'] || randomUUID();
          const seen = transfers.get(key);
          if (seen?.answer) return seen.answer.status === 201 ? { status: 200, body: seen.answer.body } : seen.answer;
          if (seen) return { status: 409, body: { transferKey: key, error: 'transfer in progress' } };
          const t: Transfer = { key, from: body.from, to: body.to, amountCents: body.amountCents as number, status: 'pending' };
          transfers.set(key, t);
          const answer = await runTransfer(t);
          t.status = answer.status === 201 ? 'completed' : 'failed';
          t.answer = answer;
          return answer;
        },
      },
      {
        method: 'GET',
        route: '/accounts/{id}/balance',
        async handle(req) {
          const path = `/accounts/${encodeURIComponent(req.params.id)}/balance`;
          try {
            let res: CallResult;
            try {
              res = await callEgress(tracer, core, { method: 'GET', path, route: '/accounts/{id}/balance', timeoutMs: READ_TIMEOUT_MS });
            } catch {
              res = await callEgress(tracer, core, { method: 'GET', path, route: '/accounts/{id}/balance', timeoutMs: READ_TIMEOUT_MS, resendCount: 1 });
            }
            return { status: res.status >= 500 ? 503 : res.status, body: res.body };
          } catch (err) {
            return { status: 503, body: { error: `core-ledger unreachable: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'GET',
        route: '/quotes/{pair}',
        async handle(req) {
          const pair = req.params.pair;
          try {
            const res = await fetchRate(pair);
            if (res.status === 200) {
              const b = res.body as { rate: number; at: string };
              lastKnown.set(pair, { rate: b.rate, at: b.at });
              return { status: 200, body: { pair, rate: b.rate, at: b.at, stale: false } };
            }
            return { status: res.status, body: res.body };
          } catch (err) {
            const known = lastKnown.get(pair);
            if (known) return { status: 200, body: { pair, ...known, stale: true } };
            return { status: 503, body: { error: `no rate for ${pair}: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'GET',
        route: '/accounts/{id}/limit',
        handle: (req) => readLimit(req.params.id),
      },
      {
        method: 'PUT',
        route: '/accounts/{id}/limit',
        async handle(req) {
          const body = req.body as { limitCents?: unknown } | undefined;
          if (!Number.isInteger(body?.limitCents) || (body?.limitCents as number) < 0) return { status: 400, body: { error: 'body must be {limitCents: integer >= 0}' } };
          return writeLimit(req.params.id, body?.limitCents as number);
        },
      },
      {
        method: 'GET',
        route: '/debug/state',
        handle: () => ({
          status: 200,
          body: {
            transfers: transfers.size, outbox: outbox.length, repairs: repairs.size, dirtyCacheKeys: [...dirty], retryTokens,
            egress: { sockets: Object.values(egressAgent.sockets).reduce((s, l) => s + (l?.length ?? 0), 0), queued: Object.values(egressAgent.requests).reduce((s, l) => s + (l?.length ?? 0), 0) },
          },
        }),
      },
    ],
    async close() {
      closed = true;
      await Promise.all([outboxLoop, repairLoop, invalidationLoop]);
      for (const e of outbox) e.span.setStatus({ code: SpanStatusCode.ERROR, message: 'shut down before publishing' }).end();
      cache.close();
      events.close();
      egressAgent.destroy();
    },
  };
});
