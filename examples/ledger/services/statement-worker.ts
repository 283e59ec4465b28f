/**
 * statement-worker: builds per-account statements from the
 * `transfer-events` Redis stream, as consumer `statement-worker-1` of the
 * consumer group `statements` (XREADGROUP / XACK). For each entry it posts
 * the transfer — one record on the `postings` list, one line on each
 * account's `statement:<account>` list — then acknowledges the entry.
 * `GET /debug/postings` dumps the postings in the order they were made.
 *
 * Fixed behaviour: the worker reads its own pending entries (those it was
 * given but never acknowledged) before new ones, retries a failed entry in
 * place until it is posted, and posts each transfer at most once (a Lua
 * script checks and records the transfer key in `postings:done` in the same
 * step as the posting), so a redelivered entry is acknowledged without a
 * second posting.
 *
 * Planted bugs (README.md):
 * - `replayed-posting`: the posting has no de-duplication, so an entry
 *   whose XACK was lost (or whose posting's reply was lost) is posted again
 *   when it is redelivered.
 * - `requeue-at-tail`: an entry whose posting fails is re-published at the
 *   tail of the stream (and the original acknowledged) so the worker can
 *   move on; entries it could not even re-publish are reclaimed later with
 *   XAUTOCLAIM. Either way it is posted after transfers that came later.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { runLedgerService } from '../runtime/service-process.js';
import { connectRedis, redisPeer, redisReady } from '../../demo/runtime/redis-client.js';
import { STATEMENT_GROUP, TRANSFER_STREAM } from '../runtime/accounts.js';

const CONSUMER = 'statement-worker-1';
const BATCH = 20;
const RECLAIM_IDLE_MS = 5000;

const POST_ONCE = `
if redis.call('SADD', 'postings:done', ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', 'postings', ARGV[2])
redis.call('RPUSH', 'statement:' .. ARGV[3], ARGV[4])
redis.call('RPUSH', 'statement:' .. ARGV[5], ARGV[6])
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

await runLedgerService('statement-worker', async (ctx) => {
  const { tracer, bugs, log } = ctx;
  const redisUrl = ctx.env('REDIS_URL');
  // A blocking read holds its connection, so commands get a second one.
  const blocking = connectRedis(tracer, redisUrl, 3000, { maxRetriesPerRequest: null });
  const commands = connectRedis(tracer, redisUrl, 1000);
  await Promise.all([redisReady(blocking), redisReady(commands)]);
  try {
    await commands.client.xgroup('CREATE', TRANSFER_STREAM, STATEMENT_GROUP, '0', 'MKSTREAM');
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
  }
  const requeueAtTail = bugs.has('requeue-at-tail');
  let closed = false;

  /** Post one entry and acknowledge it; throws when Redis did not confirm. */
  async function handle(id: string, raw: string[] | null): Promise<void> {
    const f = fieldsOf(raw);
    if (!f.transferKey) {
      // Deleted or unreadable: nothing to post.
      await commands.traced('XACK', (r) => r.xack(TRANSFER_STREAM, STATEMENT_GROUP, id));
      return;
    }
    let carrier: Record<string, string> = {};
    try { carrier = JSON.parse(f.otel ?? '{}') as Record<string, string>; } catch { /* no trace context */ }
    const parent = propagation.extract(context.active(), carrier);
    const producer = trace.getSpanContext(parent);
    const span = tracer.startSpan(`process ${TRANSFER_STREAM}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'redis', 'messaging.destination.name': TRANSFER_STREAM, 'messaging.operation.type': 'process',
        'messaging.consumer.group.name': STATEMENT_GROUP, 'messaging.message.id': id, ...redisPeer(redisUrl),
      },
      links: producer ? [{ context: producer }] : [],
    }, parent);
    const amount = Number(f.amountCents);
    const posting = JSON.stringify({ transferKey: f.transferKey, entryId: id, from: f.from, to: f.to, amountCents: amount });
    const debitLine = JSON.stringify({ transferKey: f.transferKey, amountCents: -amount, counterparty: f.to });
    const creditLine = JSON.stringify({ transferKey: f.transferKey, amountCents: amount, counterparty: f.from });
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        if (bugs.has('replayed-posting')) {
          await commands.traced('MULTI', (r) => r.multi()
            .rpush('postings', posting)
            .rpush(`statement:${f.from}`, debitLine)
            .rpush(`statement:${f.to}`, creditLine)
            .exec());
        } else {
          await commands.traced('EVAL', (r) => r.eval(POST_ONCE, 0, f.transferKey, posting, f.from, debitLine, f.to, creditLine));
        }
        await commands.traced('XACK', (r) => r.xack(TRANSFER_STREAM, STATEMENT_GROUP, id));
      });
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }

  /** The `requeue-at-tail` way out of a failed entry: publish it again at the tail and move on. */
  async function requeue(id: string, raw: string[] | null): Promise<void> {
    try {
      await commands.traced('XADD', (r) => r.xadd(TRANSFER_STREAM, '*', ...(raw ?? [])));
      await commands.traced('XACK', (r) => r.xack(TRANSFER_STREAM, STATEMENT_GROUP, id));
      log(`entry ${id} failed; re-queued at the tail`);
    } catch {
      // Left pending; XAUTOCLAIM brings it back once it has idled long enough.
    }
  }

  async function read(from: '0' | '>'): Promise<StreamEntry[]> {
    const reply = (from === '0'
      ? await commands.client.xreadgroup('GROUP', STATEMENT_GROUP, CONSUMER, 'COUNT', BATCH, 'STREAMS', TRANSFER_STREAM, '0')
      : await blocking.client.xreadgroup('GROUP', STATEMENT_GROUP, CONSUMER, 'COUNT', BATCH, 'BLOCK', 1000, 'STREAMS', TRANSFER_STREAM, '>')) as StreamReply;
    return reply?.[0]?.[1] ?? [];
  }

  async function reclaim(): Promise<StreamEntry[]> {
    const reply = await commands.client.xautoclaim(TRANSFER_STREAM, STATEMENT_GROUP, CONSUMER, RECLAIM_IDLE_MS, '0-0', 'COUNT', BATCH) as [string, StreamEntry[], string[]?];
    return reply?.[1] ?? [];
  }

  const loop = (async () => {
    let lastReclaim = Date.now();
    while (!closed) {
      try {
        if (requeueAtTail) {
          // New entries first; what failed earlier comes back when it has idled long enough.
          let entries = await read('>');
          if (entries.length === 0 && Date.now() - lastReclaim > 1000) {
            lastReclaim = Date.now();
            entries = await reclaim();
          }
          for (const [id, raw] of entries) {
            try {
              await handle(id, raw);
            } catch {
              await requeue(id, raw);
            }
          }
        } else {
          // Own pending entries first, in stream order; a failure stops the batch and is retried in place.
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
        route: '/debug/postings',
        async handle() {
          const raw = await commands.client.lrange('postings', 0, -1);
          return { status: 200, body: { postings: raw.map((r) => JSON.parse(r) as unknown) } };
        },
      },
    ],
    async close() {
      closed = true;
      blocking.close();
      commands.close();
      await loop;
    },
  };
});
