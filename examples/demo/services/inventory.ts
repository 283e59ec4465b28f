/**
 * inventory: stock per SKU in memory, with reads served through a Redis
 * cache (read-through, short TTL; a reservation invalidates the entry).
 *
 * Planted bug `cache-fails-closed`: when the cache is unreachable a stock
 * read answers 500 instead of reading the store it caches — the cache, an
 * optimisation, becomes a hard dependency. Fixed: fall back to the store.
 */
import { runService } from '../runtime/service-process.js';
import { connectCache } from '../runtime/cache.js';

/** The SKUs the demo sells and the stock each starts with. */
const INITIAL_STOCK: Record<string, number> = { 'sku-1': 1_000_000, 'sku-2': 1_000_000, 'sku-3': 1_000_000, 'sku-4': 1_000_000, 'sku-5': 1_000_000 };
const CACHE_TTL_SECONDS = 5;

await runService('inventory', async (ctx) => {
  const stock = new Map(Object.entries(INITIAL_STOCK));
  const reservations = new Set<string>();
  const cache = connectCache(ctx.tracer, ctx.env('CACHE_REDIS_URL'));
  const failsClosed = ctx.bugs.has('cache-fails-closed');

  return {
    routes: [
      {
        method: 'GET',
        route: '/stock/{sku}',
        async handle(req) {
          const sku = req.params.sku;
          if (!stock.has(sku)) return { status: 404, body: { error: `unknown sku ${sku}` } };
          try {
            const cached = await cache.get(`stock:${sku}`);
            if (cached !== null) return { status: 200, body: { sku, qty: Number(cached), source: 'cache' } };
          } catch (err) {
            if (failsClosed) return { status: 500, body: { error: `cache unavailable: ${(err as Error).message}` } };
            return { status: 200, body: { sku, qty: stock.get(sku), source: 'store' } };
          }
          const qty = stock.get(sku) ?? 0;
          await cache.set(`stock:${sku}`, String(qty), CACHE_TTL_SECONDS).catch(() => undefined);
          return { status: 200, body: { sku, qty, source: 'store' } };
        },
      },
      {
        method: 'POST',
        route: '/reservations',
        async handle(req) {
          const body = req.body as { sku?: unknown; qty?: unknown; orderKey?: unknown } | undefined;
          if (typeof body?.sku !== 'string' || typeof body.orderKey !== 'string' || !Number.isInteger(body.qty) || (body.qty as number) <= 0) {
            return { status: 400, body: { error: 'body must be {sku: string, qty: positive integer, orderKey: string}' } };
          }
          const have = stock.get(body.sku);
          if (have === undefined) return { status: 404, body: { error: `unknown sku ${body.sku}` } };
          // Reservations are idempotent per order key: a retried reserve never takes stock twice.
          if (reservations.has(body.orderKey)) return { status: 200, body: { sku: body.sku, reserved: body.qty, replayed: true } };
          const qty = body.qty as number;
          if (have < qty) return { status: 409, body: { error: `only ${have} of ${body.sku} left` } };
          stock.set(body.sku, have - qty);
          reservations.add(body.orderKey);
          await cache.del(`stock:${body.sku}`).catch(() => undefined);
          return { status: 201, body: { sku: body.sku, reserved: qty } };
        },
      },
      {
        method: 'GET',
        route: '/debug/stock',
        handle: () => ({ status: 200, body: { stock: [...stock].map(([sku, qty]) => ({ sku, qty })) } }),
      },
    ],
    close: () => cache.close(),
  };
});
