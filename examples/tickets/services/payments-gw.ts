/**
 * payments-gw: the payment provider's gateway, standing in for an external
 * card processor. `POST /charges` {orderKey, amountCents} charges the
 * customer's card (20–60 ms at the "card network") at most once per order
 * key: the provider keeps an idempotency record (`charge-key:<orderKey>`)
 * written in the same Lua script as the charge, so a repeated request gets
 * the first answer back. `POST /charges/{orderKey}/refund` refunds it (a
 * refund for a charge that never arrived leaves a tombstone, so a late
 * charge for that order is refused). `GET /debug/charges` lists every
 * charge in the order they were made.
 *
 * payments-gw is correct in every bug setting.
 */
import { runTicketsService } from '../runtime/service-process.js';
import { connectRedis, redisReady } from '../../demo/runtime/redis-client.js';

const CHARGE = `
local who, amount, record = ARGV[1], ARGV[2], ARGV[3]
local prior = redis.call('GET', 'charge-key:' .. who)
if prior == 'refunded' then return 'refunded' end
if prior then return 'replayed' end
redis.call('SET', 'charge-key:' .. who, 'charged')
redis.call('RPUSH', 'charges', record)
return 'charged'
`;

const REFUND = `
local who = ARGV[1]
local prior = redis.call('GET', 'charge-key:' .. who)
if prior == 'refunded' then return 'refunded' end
redis.call('SET', 'charge-key:' .. who, 'refunded')
if prior then redis.call('RPUSH', 'refunds', who) end
return 'refunded'
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await runTicketsService('payments-gw', async (ctx) => {
  const redis = connectRedis(ctx.tracer, ctx.env('REDIS_URL'), 2000);
  await redisReady(redis);
  return {
    routes: [
      {
        method: 'POST',
        route: '/charges',
        async handle(req) {
          const b = req.body as { orderKey?: unknown; amountCents?: unknown } | undefined;
          if (typeof b?.orderKey !== 'string' || b.orderKey === '' || !Number.isInteger(b.amountCents) || (b.amountCents as number) <= 0) {
            return { status: 400, body: { error: 'body must be {orderKey: string, amountCents: positive integer}' } };
          }
          await sleep(20 + Math.random() * 40);
          const record = JSON.stringify({ orderKey: b.orderKey, amountCents: b.amountCents, at: Date.now() });
          const out = await ctx.tracer.startActiveSpan('authorize', async (span) => {
            try {
              return await redis.traced('EVAL', (r) => r.eval(CHARGE, 0, b.orderKey as string, String(b.amountCents), record)) as string;
            } finally {
              span.end();
            }
          });
          if (out === 'refunded') return { status: 409, body: { orderKey: b.orderKey, error: 'order was cancelled' } };
          return { status: out === 'charged' ? 201 : 200, body: { orderKey: b.orderKey, amountCents: b.amountCents, status: 'charged' } };
        },
      },
      {
        method: 'POST',
        route: '/charges/{orderKey}/refund',
        async handle(req) {
          await redis.traced('EVAL', (r) => r.eval(REFUND, 0, req.params.orderKey));
          return { status: 200, body: { orderKey: req.params.orderKey, status: 'refunded' } };
        },
      },
      {
        method: 'GET',
        route: '/debug/charges',
        async handle() {
          const [charges, refunds] = await Promise.all([redis.client.lrange('charges', 0, -1), redis.client.lrange('refunds', 0, -1)]);
          const refunded = new Set(refunds);
          return {
            status: 200,
            body: { charges: charges.map((raw) => { const c = JSON.parse(raw) as { orderKey: string; amountCents: number }; return { orderKey: c.orderKey, amountCents: c.amountCents, refunded: refunded.has(c.orderKey) }; }) },
          };
        },
      },
    ],
    close: async () => redis.close(),
  };
});
