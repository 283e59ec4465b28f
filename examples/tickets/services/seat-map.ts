/**
 * seat-map: the venue's inventory, in Redis.
 *
 * Reserved seating, best available: `POST /sections/{section}/holds`
 * {orderKey} locks the lowest-numbered seat that is neither sold nor locked
 * (`SET seats:<s>:lock:<seat> … PX 1000`) and answers the seat, its price
 * and a fencing token (`INCR seats:<s>:fence:<seat>`). `POST /sales`
 * {orderKey, section, seat, token} sells it: the seat is marked sold
 * (`seats:<s>:sold`), the sale recorded (`seats:<s>:sales`, `sale:<key>`)
 * and a ticket job added to the `ticket-jobs` stream, all in one Lua script,
 * so a sale and its job exist together or not at all. `POST /sales/abandon`
 * gives the seat up for an order that will not complete. `GET
 * /sales/{orderKey}` is what fulfilment reads to print the ticket.
 *
 * General admission: `POST /passes/{festival}` {orderKey, qty} takes passes
 * from the festival's pool (`ga:<f>:remaining`) and records the sale
 * (`ga:<f>:sales`).
 *
 * `GET /debug/inventory` is the accounting check: per section, the seats
 * still for sale plus the sales recorded (`units`, always the section's
 * capacity when every seat is sold at most once); per pool, the passes left
 * plus the passes sold (`units`, always the pool's size).
 *
 * Planted bugs (README.md):
 * - `lock-expiry`: a sale trusts the lock it was given and writes the seat
 *   as sold without checking it still holds it. A buyer whose payment took
 *   longer than the lock's 1 s lifetime sells a seat the next buyer was
 *   given meanwhile: the seat is sold twice. Fixed: the sale checks the
 *   fencing token (the seat's fence must still be the token it was given,
 *   and the seat unsold) in the same script, and refuses with 409 otherwise.
 * - `lost-update`: a pass sale reads the pool's remaining count, then writes
 *   back count − qty and records the sale, in three round trips; two sales
 *   whose round trips interleave (a slow Redis link makes it the rule) both
 *   write the same count, so passes are sold that the pool never lost.
 *   Fixed: one Lua script checks, decrements and records atomically.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { runTicketsService } from '../runtime/service-process.js';
import { connectRedis, redisPeer, redisReady } from '../../demo/runtime/redis-client.js';
import { FESTIVALS, PASSES_PER_FESTIVAL, PASS_PRICE_CENTS, SEAT_PRICE_CENTS, SEATS_PER_SECTION, SECTIONS, TICKET_STREAM } from '../runtime/venue.js';

/** How long a hold keeps a seat: a sale normally completes in well under 100 ms. */
const LOCK_TTL_MS = 1000;

const PICK = `
local sec, cap, ttl, who = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local p = 'seats:' .. sec .. ':'
local c = tonumber(redis.call('GET', p .. 'cursor') or '1')
while c <= cap and redis.call('HEXISTS', p .. 'sold', c) == 1 do c = c + 1 end
redis.call('SET', p .. 'cursor', c)
local i, scanned = c, 0
while i <= cap and scanned < 2000 do
  if redis.call('HEXISTS', p .. 'sold', i) == 0 and redis.call('EXISTS', p .. 'lock:' .. i) == 0 then
    local token = redis.call('INCR', p .. 'fence:' .. i)
    redis.call('SET', p .. 'lock:' .. i, who .. ':' .. token, 'PX', ttl)
    return {i, token}
  end
  i = i + 1
  scanned = scanned + 1
end
return false
`;

const SELL = `
local sec, seat, token, who, price, gate, fenced, otel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local p = 'seats:' .. sec .. ':'
if redis.call('EXISTS', 'sale:' .. who) == 1 then return 'sold' end
if fenced == '1' then
  if redis.call('HEXISTS', p .. 'sold', seat) == 1 then return 'lost' end
  if tonumber(redis.call('GET', p .. 'fence:' .. seat) or '0') ~= tonumber(token) then return 'lost' end
  if redis.call('GET', p .. 'lock:' .. seat) == who .. ':' .. token then redis.call('DEL', p .. 'lock:' .. seat) end
else
  redis.call('DEL', p .. 'lock:' .. seat)
end
redis.call('HSET', p .. 'sold', seat, who)
redis.call('RPUSH', p .. 'sales', cjson.encode({orderKey = who, seat = tonumber(seat)}))
redis.call('HSET', 'sale:' .. who, 'orderKey', who, 'section', sec, 'seat', seat, 'priceCents', price, 'gate', gate)
redis.call('XADD', '${TICKET_STREAM}', '*', 'orderKey', who, 'section', sec, 'seat', seat, 'otel', otel)
return 'sold'
`;

const ABANDON = `
local sec, seat, token, who = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local p = 'seats:' .. sec .. ':'
if redis.call('EXISTS', 'sale:' .. who) == 1 then return 'sold' end
if tonumber(redis.call('GET', p .. 'fence:' .. seat) or '0') == tonumber(token) then
  redis.call('INCR', p .. 'fence:' .. seat)
  if redis.call('GET', p .. 'lock:' .. seat) == who .. ':' .. token then redis.call('DEL', p .. 'lock:' .. seat) end
end
return 'released'
`;

const TAKE_PASSES = `
local f, qty, who = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local p = 'ga:' .. f .. ':'
local left = tonumber(redis.call('GET', p .. 'remaining') or '0')
if left < qty then return {'soldout', left} end
redis.call('DECRBY', p .. 'remaining', qty)
redis.call('RPUSH', p .. 'sales', cjson.encode({orderKey = who, qty = qty}))
return {'ok', left - qty}
`;

const gateOf = (section: string, seat: number) => `${section}${1 + (seat % 4)}`;

await runTicketsService('seat-map', async (ctx) => {
  const { tracer, bugs } = ctx;
  const redisUrl = ctx.env('REDIS_URL');
  const redis = connectRedis(tracer, redisUrl, 2000);
  await redisReady(redis);
  // Open the festival pools once (SETNX: a restart keeps what is there).
  const open = redis.client.multi();
  for (const f of FESTIVALS) open.setnx(`ga:${f}:remaining`, PASSES_PER_FESTIVAL);
  await open.exec();

  const bad = (error: string) => ({ status: 400, body: { error } });

  return {
    routes: [
      {
        method: 'POST',
        route: '/sections/{section}/holds',
        async handle(req) {
          const section = req.params.section;
          const body = req.body as { orderKey?: unknown } | undefined;
          if (!SECTIONS.includes(section)) return { status: 404, body: { error: `no section ${section}` } };
          if (typeof body?.orderKey !== 'string' || body.orderKey === '') return bad('body must be {orderKey: string}');
          const out = await redis.traced('EVAL', (r) => r.eval(PICK, 0, section, String(SEATS_PER_SECTION), String(LOCK_TTL_MS), body.orderKey as string)) as [number, number] | null;
          if (!out) return { status: 409, body: { error: `section ${section} has no seat free` } };
          return { status: 201, body: { section, seat: out[0], token: out[1], priceCents: SEAT_PRICE_CENTS[section], lockMs: LOCK_TTL_MS } };
        },
      },
      {
        method: 'POST',
        route: '/sales',
        async handle(req) {
          const b = req.body as { orderKey?: unknown; section?: unknown; seat?: unknown; token?: unknown } | undefined;
          if (typeof b?.orderKey !== 'string' || typeof b.section !== 'string' || !SECTIONS.includes(b.section) || !Number.isInteger(b.seat) || !Number.isInteger(b.token)) {
            return bad('body must be {orderKey, section, seat, token}');
          }
          const { orderKey, section } = b as { orderKey: string; section: string };
          const seat = b.seat as number;
          const span = tracer.startSpan(`send ${TICKET_STREAM}`, {
            kind: SpanKind.PRODUCER,
            attributes: { 'messaging.system': 'redis', 'messaging.destination.name': TICKET_STREAM, 'messaging.operation.type': 'send', ...redisPeer(redisUrl) },
          });
          const otel: Record<string, string> = {};
          propagation.inject(trace.setSpan(context.active(), span), otel);
          try {
            const out = await context.with(trace.setSpan(context.active(), span), () => redis.traced('EVAL', (r) => r.eval(SELL, 0,
              section, String(seat), String(b.token), orderKey, String(SEAT_PRICE_CENTS[section]), gateOf(section, seat),
              bugs.has('lock-expiry') ? '0' : '1', JSON.stringify(otel)))) as string;
            if (out === 'lost') {
              span.setAttribute('tickets.outcome', 'lost');
              return { status: 409, body: { orderKey, error: `seat ${section}-${seat} is no longer held by this order` } };
            }
            return { status: 201, body: { orderKey, section, seat, gate: gateOf(section, seat) } };
          } catch (err) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            throw err;
          } finally {
            span.end();
          }
        },
      },
      {
        method: 'POST',
        route: '/sales/abandon',
        async handle(req) {
          const b = req.body as { orderKey?: unknown; section?: unknown; seat?: unknown; token?: unknown } | undefined;
          if (typeof b?.orderKey !== 'string' || typeof b.section !== 'string' || !Number.isInteger(b.seat) || !Number.isInteger(b.token)) return bad('body must be {orderKey, section, seat, token}');
          const out = await redis.traced('EVAL', (r) => r.eval(ABANDON, 0, b.section as string, String(b.seat), String(b.token), b.orderKey as string)) as string;
          return { status: 200, body: { orderKey: b.orderKey, outcome: out } };
        },
      },
      {
        method: 'GET',
        route: '/sales/{orderKey}',
        async handle(req) {
          const sale = await redis.traced('HGETALL', (r) => r.hgetall(`sale:${req.params.orderKey}`));
          if (!sale.orderKey) return { status: 404, body: { error: `no sale ${req.params.orderKey}` } };
          return { status: 200, body: { orderKey: sale.orderKey, section: sale.section, seat: Number(sale.seat), gate: sale.gate, priceCents: Number(sale.priceCents) } };
        },
      },
      {
        method: 'GET',
        route: '/sections/{section}/availability',
        async handle(req) {
          const section = req.params.section;
          if (!SECTIONS.includes(section)) return { status: 404, body: { error: `no section ${section}` } };
          const sold = await redis.traced('HLEN', (r) => r.hlen(`seats:${section}:sold`));
          return { status: 200, body: { section, free: SEATS_PER_SECTION - sold, priceCents: SEAT_PRICE_CENTS[section] } };
        },
      },
      {
        method: 'POST',
        route: '/passes/{festival}',
        async handle(req) {
          const festival = req.params.festival;
          const b = req.body as { orderKey?: unknown; qty?: unknown } | undefined;
          if (!FESTIVALS.includes(festival)) return { status: 404, body: { error: `no festival ${festival}` } };
          if (typeof b?.orderKey !== 'string' || !Number.isInteger(b.qty) || (b.qty as number) < 1 || (b.qty as number) > 10) return bad('body must be {orderKey: string, qty: 1..10}');
          const qty = b.qty as number;
          const orderKey = b.orderKey;
          const p = `ga:${festival}:`;
          let left: number;
          if (bugs.has('lost-update')) {
            // The bug: read, decide, write back — three round trips, no WATCH, no script.
            left = Number(await redis.traced('GET', (r) => r.get(`${p}remaining`)) ?? 0);
            if (left < qty) return { status: 409, body: { error: `only ${left} ${festival} passes left` } };
            await redis.traced('SET', (r) => r.set(`${p}remaining`, String(left - qty)));
            await redis.traced('RPUSH', (r) => r.rpush(`${p}sales`, JSON.stringify({ orderKey, qty })));
            left -= qty;
          } else {
            const [outcome, n] = await redis.traced('EVAL', (r) => r.eval(TAKE_PASSES, 0, festival, String(qty), orderKey)) as [string, number];
            if (outcome !== 'ok') return { status: 409, body: { error: `only ${n} ${festival} passes left` } };
            left = n;
          }
          return { status: 201, body: { orderKey, festival, qty, priceCents: qty * PASS_PRICE_CENTS, remaining: left } };
        },
      },
      {
        method: 'GET',
        route: '/debug/inventory',
        async handle() {
          const read = redis.client.multi();
          for (const s of SECTIONS) read.hlen(`seats:${s}:sold`).llen(`seats:${s}:sales`);
          for (const f of FESTIVALS) read.get(`ga:${f}:remaining`).lrange(`ga:${f}:sales`, 0, -1);
          const res = (await read.exec()) ?? [];
          const value = (i: number) => { const [err, v] = res[i] ?? [null, null]; if (err) throw err; return v; };
          const sections = SECTIONS.map((section, i) => {
            const sold = Number(value(2 * i));
            const sales = Number(value(2 * i + 1));
            return { section, capacity: SEATS_PER_SECTION, seatsSold: sold, salesRecorded: sales, units: SEATS_PER_SECTION - sold + sales };
          });
          const base = 2 * SECTIONS.length;
          const pools = FESTIVALS.map((festival, i) => {
            const remaining = Number(value(base + 2 * i) ?? 0);
            const sold = (value(base + 2 * i + 1) as string[]).reduce((s, raw) => s + Number((JSON.parse(raw) as { qty: number }).qty), 0);
            return { festival, remaining, passesSold: sold, units: remaining + sold };
          });
          return { status: 200, body: { sections, pools } };
        },
      },
    ],
    close: async () => redis.close(),
  };
});
