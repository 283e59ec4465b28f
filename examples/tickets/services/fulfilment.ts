/**
 * fulfilment: issues the tickets. Consumer `fulfilment-1` of the group
 * `fulfilment` on the Redis stream `ticket-jobs` (XREADGROUP / XACK), which
 * seat-map's sale script appends to. For each job it reads the sale from
 * seat-map (`GET /sales/{orderKey}`: seat, gate) over HTTP, issues the
 * ticket — one record on the `tickets` list, at most once per order (a Lua
 * script checks and records the order key in `tickets:issued` in the same
 * step) — and then acknowledges the job. `GET /debug/tickets` dumps the
 * tickets issued.
 *
 * Fixed behaviour: a job is acknowledged only once its ticket is issued;
 * the worker reads its own pending jobs (delivered, never acknowledged)
 * before new ones and retries a failed job in place until it is issued.
 *
 * Planted bug (README.md):
 * - `ack-before-issue`: the worker acknowledges each job as soon as it has
 *   read it ("we have it now"), then issues the ticket; when issuing fails
 *   (seat-map unreachable, Redis dropped the write) the failure is logged
 *   and the job is gone — the customer paid and never gets a ticket.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { runTicketsService } from '../runtime/service-process.js';
import { connectRedis, redisPeer, redisReady } from '../../demo/runtime/redis-client.js';
import { callHttp, pooledAgent, type Peer } from '../../demo/runtime/pooled-http.js';
import { FULFILMENT_GROUP, TICKET_STREAM } from '../runtime/venue.js';

const CONSUMER = 'fulfilment-1';
const BATCH = 20;
const SEAT_MAP_TIMEOUT_MS = 1000;

const ISSUE = `
if redis.call('SADD', 'tickets:issued', ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', 'tickets', ARGV[2])
return 1
`;

type StreamEntry = [id: string, fields: string[] | null];
type StreamReply = [stream: string, entries: StreamEntry[]][] | null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fieldsOf(list: string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; list && i + 1 < list.length; i += 2) out[list[i]] = list[i + 1];
  return out;
}

await runTicketsService('fulfilment', async (ctx) => {
  const { tracer, bugs, log } = ctx;
  const redisUrl = ctx.env('REDIS_URL');
  const seatMap: Peer = { service: 'seat-map', baseUrl: ctx.env('SEAT_MAP_URL') };
  const agent = pooledAgent(4);
  // A blocking read holds its connection, so commands get a second one.
  const blocking = connectRedis(tracer, redisUrl, 3000, { maxRetriesPerRequest: null });
  const commands = connectRedis(tracer, redisUrl, 1000);
  await Promise.all([redisReady(blocking), redisReady(commands)]);
  try {
    await commands.client.xgroup('CREATE', TICKET_STREAM, FULFILMENT_GROUP, '0', 'MKSTREAM');
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
  }
  const ackFirst = bugs.has('ack-before-issue');
  let closed = false;
  let dropped = 0;

  const ack = (id: string) => commands.traced('XACK', (r) => r.xack(TICKET_STREAM, FULFILMENT_GROUP, id));

  /** Issue the ticket of one job; throws when it could not be issued. */
  async function issue(id: string, f: Record<string, string>): Promise<void> {
    const res = await callHttp(tracer, agent, seatMap, { method: 'GET', path: `/sales/${encodeURIComponent(f.orderKey)}`, route: '/sales/{orderKey}', timeoutMs: SEAT_MAP_TIMEOUT_MS });
    if (res.status === 404) return; // no such sale: nothing to issue
    if (res.status !== 200) throw new Error(`seat-map answered ${res.status}`);
    const sale = res.body as { orderKey: string; section: string; seat: number; gate: string };
    const ticket = JSON.stringify({ orderKey: sale.orderKey, section: sale.section, seat: sale.seat, gate: sale.gate, jobId: id, issuedAt: Date.now() });
    await commands.traced('EVAL', (r) => r.eval(ISSUE, 0, sale.orderKey, ticket));
  }

  async function handle(id: string, raw: string[] | null): Promise<void> {
    const f = fieldsOf(raw);
    if (!f.orderKey) {
      await ack(id);
      return;
    }
    let carrier: Record<string, string> = {};
    try { carrier = JSON.parse(f.otel ?? '{}') as Record<string, string>; } catch { /* no trace context */ }
    const parent = propagation.extract(context.active(), carrier);
    const producer = trace.getSpanContext(parent);
    const span = tracer.startSpan(`process ${TICKET_STREAM}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'redis', 'messaging.destination.name': TICKET_STREAM, 'messaging.operation.type': 'process',
        'messaging.consumer.group.name': FULFILMENT_GROUP, 'messaging.message.id': id, ...redisPeer(redisUrl),
      },
      links: producer ? [{ context: producer }] : [],
    }, parent);
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        if (ackFirst) {
          // The bug: the job is ours now, so acknowledge it before doing the work.
          await ack(id);
          try {
            await issue(id, f);
          } catch (err) {
            dropped += 1;
            log(`could not issue the ticket of ${f.orderKey}: ${(err as Error).message}`);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          }
          return;
        }
        await issue(id, f);
        await ack(id);
      });
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }

  async function read(from: '0' | '>'): Promise<StreamEntry[]> {
    const reply = (from === '0'
      ? await commands.client.xreadgroup('GROUP', FULFILMENT_GROUP, CONSUMER, 'COUNT', BATCH, 'STREAMS', TICKET_STREAM, '0')
      : await blocking.client.xreadgroup('GROUP', FULFILMENT_GROUP, CONSUMER, 'COUNT', BATCH, 'BLOCK', 1000, 'STREAMS', TICKET_STREAM, '>')) as StreamReply;
    return reply?.[0]?.[1] ?? [];
  }

  const loop = (async () => {
    while (!closed) {
      try {
        if (ackFirst) {
          for (const [id, raw] of await read('>')) await handle(id, raw);
        } else {
          // Own pending jobs first, in stream order; a failure stops the batch and is retried in place.
          let entries = await read('0');
          if (entries.length === 0) entries = await read('>');
          for (const [id, raw] of entries) await handle(id, raw);
        }
      } catch {
        if (closed) break;
        await sleep(200);
      }
    }
  })();

  return {
    routes: [
      {
        method: 'GET',
        route: '/debug/tickets',
        async handle() {
          const raw = await commands.client.lrange('tickets', 0, -1);
          return { status: 200, body: { tickets: raw.map((r) => JSON.parse(r) as unknown), dropped } };
        },
      },
    ],
    async close() {
      closed = true;
      blocking.close();
      commands.close();
      await loop;
      agent.destroy();
    },
  };
});
