/**
 * core-ledger: the accounts. Balances and limits live in Redis hashes
 * (`balances`, `limits`); each transfer leg is one Lua script, atomic in
 * Redis and idempotent per transfer key (the marker hash `xfer:<key>`).
 *
 * - `POST /transfers/{key}/debit` and `/credit` {account, amountCents} apply
 *   one leg at most once; a leg arriving after the transfer was reversed is
 *   refused (409), so a late, slow debit cannot undo a reversal.
 * - `POST /transfers/{key}/reverse` cancels the transfer: it marks it
 *   reversed and undoes whichever legs were applied, once.
 *
 * core-ledger is correct in every bug setting; whether a failed transfer is
 * reversed is bank-api's decision (its `no-compensation` bug).
 */
import { runLedgerService } from '../runtime/service-process.js';
import { connectRedis, redisReady } from '../../demo/runtime/redis-client.js';
import { ACCOUNT_IDS, OPENING_BALANCE_CENTS, OPENING_LIMIT_CENTS } from '../runtime/accounts.js';

const LEG = `
local t = 'xfer:' .. ARGV[1]
local leg, account, amount = ARGV[2], ARGV[3], tonumber(ARGV[4])
if redis.call('HEXISTS', t, 'reversed') == 1 then return 'reversed' end
if redis.call('HEXISTS', t, leg) == 1 then return 'applied' end
local bal = redis.call('HGET', 'balances', account)
if not bal then return 'no-account' end
if leg == 'debit' then
  if tonumber(bal) < amount then return 'insufficient' end
  redis.call('HINCRBY', 'balances', account, -amount)
else
  redis.call('HINCRBY', 'balances', account, amount)
end
redis.call('HSET', t, leg, account .. ':' .. amount)
return 'applied'
`;

const REVERSE = `
local t = 'xfer:' .. ARGV[1]
if redis.call('HEXISTS', t, 'reversed') == 1 then return 'reversed' end
redis.call('HSET', t, 'reversed', '1')
for _, leg in ipairs({'debit', 'credit'}) do
  local v = redis.call('HGET', t, leg)
  if v then
    local sep = string.find(v, ':', 1, true)
    local account, amount = string.sub(v, 1, sep - 1), tonumber(string.sub(v, sep + 1))
    if leg == 'debit' then redis.call('HINCRBY', 'balances', account, amount) else redis.call('HINCRBY', 'balances', account, -amount) end
  end
end
return 'reversed'
`;

await runLedgerService('core-ledger', async (ctx) => {
  const redis = connectRedis(ctx.tracer, ctx.env('REDIS_URL'), 1000);
  await redisReady(redis);
  // Open the accounts once (HSETNX: a restart keeps what is there).
  const open = redis.client.multi();
  for (const id of ACCOUNT_IDS) {
    open.hsetnx('balances', id, OPENING_BALANCE_CENTS);
    open.hsetnx('limits', id, OPENING_LIMIT_CENTS);
  }
  await open.exec();

  const leg = (name: 'debit' | 'credit') => async (req: { params: Record<string, string>; body: unknown }) => {
    const body = req.body as { account?: unknown; amountCents?: unknown } | undefined;
    if (typeof body?.account !== 'string' || !Number.isInteger(body.amountCents) || (body.amountCents as number) <= 0) {
      return { status: 400, body: { error: 'body must be {account: string, amountCents: positive integer}' } };
    }
    const out = await redis.traced('EVAL', (r) => r.eval(LEG, 0, req.params.key, name, body.account as string, String(body.amountCents))) as string;
    if (out === 'applied') return { status: 200, body: { transferKey: req.params.key, leg: name, applied: true } };
    if (out === 'insufficient') return { status: 402, body: { error: 'insufficient funds' } };
    if (out === 'no-account') return { status: 404, body: { error: `no account ${body.account}` } };
    return { status: 409, body: { error: 'transfer was reversed' } };
  };

  return {
    routes: [
      { method: 'POST', route: '/transfers/{key}/debit', handle: leg('debit') },
      { method: 'POST', route: '/transfers/{key}/credit', handle: leg('credit') },
      {
        method: 'POST',
        route: '/transfers/{key}/reverse',
        async handle(req) {
          await redis.traced('EVAL', (r) => r.eval(REVERSE, 0, req.params.key));
          return { status: 200, body: { transferKey: req.params.key, reversed: true } };
        },
      },
      {
        method: 'GET',
        route: '/accounts/{id}/balance',
        async handle(req) {
          const v = await redis.traced('HGET', (r) => r.hget('balances', req.params.id));
          if (v === null) return { status: 404, body: { error: `no account ${req.params.id}` } };
          return { status: 200, body: { account: req.params.id, balanceCents: Number(v) } };
        },
      },
      {
        method: 'GET',
        route: '/accounts/{id}/limit',
        async handle(req) {
          const v = await redis.traced('HGET', (r) => r.hget('limits', req.params.id));
          if (v === null) return { status: 404, body: { error: `no account ${req.params.id}` } };
          return { status: 200, body: { account: req.params.id, limitCents: Number(v) } };
        },
      },
      {
        method: 'PUT',
        route: '/accounts/{id}/limit',
        async handle(req) {
          const body = req.body as { limitCents?: unknown } | undefined;
          if (!Number.isInteger(body?.limitCents) || (body?.limitCents as number) < 0) return { status: 400, body: { error: 'body must be {limitCents: integer >= 0}' } };
          if (!(await redis.traced('HEXISTS', (r) => r.hexists('balances', req.params.id)))) return { status: 404, body: { error: `no account ${req.params.id}` } };
          await redis.traced('HSET', (r) => r.hset('limits', req.params.id, String(body?.limitCents)));
          return { status: 200, body: { account: req.params.id, limitCents: body?.limitCents } };
        },
      },
      {
        method: 'GET',
        route: '/debug/balances',
        async handle() {
          const all = await redis.client.hgetall('balances');
          const accounts = ACCOUNT_IDS.map((account) => ({ account, balanceCents: Number(all[account] ?? 0) }));
          return { status: 200, body: { accounts, totalCents: accounts.reduce((s, a) => s + a.balanceCents, 0) } };
        },
      },
    ],
    close: async () => redis.close(),
  };
});
