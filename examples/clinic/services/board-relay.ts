/**
 * board-relay: puts the desk's calls on the waiting-room board. It consumes
 * the Redis list `board-events`, which front-desk appends to (each call
 * with its sequence number `seq`, taken from `board:seq` in the same
 * script, so the list is in call order), and records each call in
 * PostgreSQL (`board_calls`, in the order shown; `board_state.last_seq`,
 * the newest call shown). The board shows the calls in the order they were
 * recorded.
 *
 * `GET /debug/board` → `{calls: [{requestKey, seq, patientId, room}], pending}`,
 * the calls in board order.
 *
 * Fixed behaviour: a call is moved to `board-events:working` (BLMOVE) and
 * stays there until it is recorded; a call that cannot be recorded now (the
 * database is slow or unreachable) is retried in place, so no later call
 * overtakes it; a call is recorded only when its `seq` is newer than the
 * newest call shown (checked and recorded in one transaction), so a call
 * delivered twice is shown once.
 *
 * Planted bug (README.md):
 * - `out-of-order-apply`: the relay pops each call (BLPOP) and records it
 *   unconditionally; a call it could not record is pushed back at the end of
 *   the list ("retry later, don't hold up the line"). While the database
 *   fails, calls rotate through the list and come out after newer ones, and
 *   a call whose INSERT did land though its answer timed out is recorded
 *   again later: the board calls patients out of turn and twice.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { runClinicService } from '../runtime/service-process.js';
import { connectRedis, redisPeer, redisReady } from '../../demo/runtime/redis-client.js';
import { connectPg, pgReady, type Query } from '../runtime/pg.js';
import { BOARD_EVENTS, BOARD_WORKING } from '../runtime/clinic-data.js';

interface BoardCall { seq: number; requestKey: string; patientId: string; room: string; otel?: Record<string, string> }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await runClinicService('board-relay', async (ctx) => {
  const { tracer, bugs, log } = ctx;
  const redisUrl = ctx.env('REDIS_URL');
  const db = connectPg(tracer, ctx.env('DATABASE_URL'), { max: 2, statementTimeoutMs: 1000, queryTimeoutMs: 1500, connectionTimeoutMs: 1000 });
  // A blocking pop holds its connection, so commands get a second one.
  const blocking = connectRedis(tracer, redisUrl, 3000, { maxRetriesPerRequest: null });
  const commands = connectRedis(tracer, redisUrl, 1000);
  await Promise.all([pgReady(db), redisReady(blocking), redisReady(commands)]);
  const setup = await db.pool.connect();
  try {
    await setup.query(`CREATE TABLE IF NOT EXISTS board_calls (id bigserial PRIMARY KEY, seq bigint NOT NULL, request_key text NOT NULL, patient_id text NOT NULL, room text NOT NULL, shown_at timestamptz NOT NULL DEFAULT now())`);
    await setup.query(`CREATE TABLE IF NOT EXISTS board_state (id integer PRIMARY KEY, last_seq bigint NOT NULL)`);
    await setup.query(`INSERT INTO board_state (id, last_seq) VALUES (1, 0) ON CONFLICT DO NOTHING`);
  } finally {
    setup.release();
  }
  const checkOrder = !bugs.has('out-of-order-apply');
  let closed = false;
  let applied = 0;
  let skipped = 0;
  let requeued = 0;

  /**
   * A blocking pop that returned a call, as the CLIENT span an ioredis instrumentation would record
   * (idle pops that time out empty are not recorded, to keep the traces about work).
   */
  const popped = (operation: string, startTime: number) => {
    tracer.startSpan(operation, {
      kind: SpanKind.CLIENT,
      startTime,
      attributes: { 'db.system': 'redis', 'db.system.name': 'redis', 'db.operation.name': operation, ...redisPeer(redisUrl) },
    }).end();
  };

  const show = (q: Query, c: BoardCall) => q('INSERT INTO board_calls (seq, request_key, patient_id, room) VALUES ($1, $2, $3, $4)', [c.seq, c.requestKey, c.patientId, c.room]);

  /** Record one call on the board; throws when the database did not take it. */
  async function record(raw: string): Promise<void> {
    let call: BoardCall;
    try {
      call = JSON.parse(raw) as BoardCall;
    } catch {
      log(`dropping an unreadable board event: ${raw.slice(0, 80)}`);
      return;
    }
    const parent = propagation.extract(context.active(), call.otel ?? {});
    const producer = trace.getSpanContext(parent);
    const span = tracer.startSpan(`process ${BOARD_EVENTS}`, {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'redis', 'messaging.destination.name': BOARD_EVENTS, 'messaging.operation.type': 'process',
        'messaging.message.id': String(call.seq), ...redisPeer(redisUrl),
      },
      links: producer ? [{ context: producer }] : [],
    }, parent);
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        if (!checkOrder) {
          // The bug: whatever arrives is shown, in the order it arrives.
          await show(db.query, call);
          applied += 1;
          return;
        }
        const shown = await db.transaction(async (q) => {
          const newer = await q('UPDATE board_state SET last_seq = $1 WHERE id = 1 AND last_seq < $1', [call.seq]);
          if (newer.rowCount === 0) return false;
          await show(q, call);
          return true;
        });
        if (shown) applied += 1; else skipped += 1;
      });
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  }

  const buggyLoop = async () => {
    while (!closed) {
      let raw: string | undefined;
      try {
        const started = Date.now();
        const got = await blocking.client.blpop(BOARD_EVENTS, 1);
        if (!got) continue;
        popped('BLPOP', started);
        raw = got[1];
        await record(raw);
      } catch (err) {
        if (closed) break;
        if (raw !== undefined) {
          // The bug: "retry later" — behind every call queued since.
          try {
            await commands.traced('RPUSH', (r) => r.rpush(BOARD_EVENTS, raw as string));
            requeued += 1;
          } catch {
            log(`lost a board call: ${(err as Error).message}`);
          }
        }
        await sleep(100);
      }
    }
  };

  const fixedLoop = async () => {
    while (!closed) {
      try {
        // A call already taken (an earlier attempt failed, or we restarted) comes first.
        let raw = await commands.client.lindex(BOARD_WORKING, 0);
        if (raw === null) {
          const started = Date.now();
          raw = await blocking.client.blmove(BOARD_EVENTS, BOARD_WORKING, 'LEFT', 'RIGHT', 1);
          if (raw === null) continue;
          popped('BLMOVE', started);
        }
        await record(raw);
        await commands.traced('LREM', (r) => r.lrem(BOARD_WORKING, 1, raw as string));
      } catch {
        if (closed) break;
        await sleep(200);
      }
    }
  };

  const loop = (checkOrder ? fixedLoop : buggyLoop)();

  return {
    routes: [
      {
        method: 'GET',
        route: '/debug/board',
        async handle() {
          const r = await db.query<{ seq: string; request_key: string; patient_id: string; room: string }>('SELECT seq, request_key, patient_id, room FROM board_calls ORDER BY id');
          const pending = (await commands.client.llen(BOARD_EVENTS)) + (await commands.client.llen(BOARD_WORKING));
          return { status: 200, body: { calls: r.rows.map((c) => ({ requestKey: c.request_key, seq: Number(c.seq), patientId: c.patient_id, room: c.room })), pending } };
        },
      },
      { method: 'GET', route: '/debug/state', handle: () => ({ status: 200, body: { applied, skipped, requeued, pool: db.load() } }) },
    ],
    async close() {
      closed = true;
      blocking.close();
      commands.close();
      await loop;
      await db.close();
    },
  };
});
