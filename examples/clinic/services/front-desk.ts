/**
 * front-desk: the clinic API the reception desk, the patient app and the
 * waiting-room screens call.
 *
 * - `POST /appointments` {patientId, slotId} (header `Idempotency-Key`, the
 *   request key): book a place in a slot (appt-core `POST /bookings`). 201.
 * - `GET /patients/{patientId}/appointments`: the patient's appointments
 *   (appt-core).
 * - `POST /checkins` {patientId} (header `Idempotency-Key`): the patient has
 *   arrived (appt-core `POST /checkins`, 800 ms deadline; a call that got no
 *   answer is made once more with the same request key).
 * - `GET` / `PUT /patients/{patientId}/allergies` ({allergies}): the
 *   patient's allergy record (patient-chart).
 * - `POST /board/calls` {patientId, room} (header `Idempotency-Key`): call
 *   the patient to a room on the waiting-room board. The call gets the next
 *   sequence number and is appended to the Redis list `board-events` in one
 *   script; board-relay shows it. 202 with the sequence number.
 *
 * Answers from the services behind it are passed on; a 5xx, or no answer in
 * time, is a 503.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { JsonResponse } from '../../demo/runtime/http-server.js';
import { runClinicService } from '../runtime/service-process.js';
import { connectRedis, redisPeer, redisReady } from '../../demo/runtime/redis-client.js';
import { CallError, callHttp, pooledAgent, type CallOptions, type Peer } from '../../demo/runtime/pooled-http.js';
import { BOARD_EVENTS, BOARD_SEQ, ROOMS } from '../runtime/clinic-data.js';
import { randomUUID } from 'node:crypto';

const APPT_CORE_TIMEOUT_MS = 3000;
const CHECKIN_TIMEOUT_MS = 800;
const PATIENT_CHART_TIMEOUT_MS = 1500;

const ENQUEUE = `
local seq = redis.call('INCR', KEYS[2])
local event = cjson.decode(ARGV[1])
event['seq'] = seq
redis.call('RPUSH', KEYS[1], cjson.encode(event))
return seq
`;

await runClinicService('front-desk', async (ctx) => {
  const { tracer } = ctx;
  const appt: Peer = { service: 'appt-core', baseUrl: ctx.env('APPT_CORE_URL') };
  const chart: Peer = { service: 'patient-chart', baseUrl: ctx.env('PATIENT_CHART_URL') };
  const redisUrl = ctx.env('REDIS_URL');
  const redis = connectRedis(tracer, redisUrl, 500);
  await redisReady(redis);
  const agents = { 'appt-core': pooledAgent(32), 'patient-chart': pooledAgent(32) };

  /** One call passed on: the callee's answer (5xx as 503), or 503 when none came. */
  async function forward(peer: Peer, opts: CallOptions, retries = 0): Promise<JsonResponse> {
    let last: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const res = await callHttp(tracer, agents[peer.service as keyof typeof agents], peer, { ...opts, resendCount: attempt });
        return { status: res.status >= 500 ? 503 : res.status, body: res.body };
      } catch (err) {
        last = err;
        if (!(err instanceof CallError)) break;
      }
    }
    return { status: 503, body: { error: `${peer.service} did not answer: ${(last as Error).message}` } };
  }

  const keyOf = (headers: Record<string, string | undefined>) => headers['idempotency-key'] || randomUUID();

  return {
    routes: [
      {
        method: 'POST',
        route: '/appointments',
        async handle(req) {
          const b = req.body as { patientId?: unknown; slotId?: unknown } | undefined;
          if (typeof b?.patientId !== 'string' || typeof b.slotId !== 'string') return { status: 400, body: { error: 'body must be {patientId, slotId}' } };
          return forward(appt, { method: 'POST', path: '/bookings', route: '/bookings', body: { requestKey: keyOf(req.headers), patientId: b.patientId, slotId: b.slotId }, timeoutMs: APPT_CORE_TIMEOUT_MS });
        },
      },
      {
        method: 'GET',
        route: '/patients/{patientId}/appointments',
        handle: (req) => forward(appt, { method: 'GET', path: `/patients/${encodeURIComponent(req.params.patientId)}/appointments`, route: '/patients/{patientId}/appointments', timeoutMs: APPT_CORE_TIMEOUT_MS }),
      },
      {
        method: 'POST',
        route: '/checkins',
        async handle(req) {
          const b = req.body as { patientId?: unknown } | undefined;
          if (typeof b?.patientId !== 'string') return { status: 400, body: { error: 'body must be {patientId}' } };
          // Arrivals must never be lost: no answer in time means ask again, with the same request key.
          return forward(appt, { method: 'POST', path: '/checkins', route: '/checkins', body: { requestKey: keyOf(req.headers), patientId: b.patientId }, timeoutMs: CHECKIN_TIMEOUT_MS }, 1);
        },
      },
      {
        method: 'GET',
        route: '/patients/{patientId}/allergies',
        handle: (req) => forward(chart, { method: 'GET', path: `/patients/${encodeURIComponent(req.params.patientId)}/allergies`, route: '/patients/{patientId}/allergies', timeoutMs: PATIENT_CHART_TIMEOUT_MS }),
      },
      {
        method: 'PUT',
        route: '/patients/{patientId}/allergies',
        async handle(req) {
          const b = req.body as { allergies?: unknown } | undefined;
          if (typeof b?.allergies !== 'string') return { status: 400, body: { error: 'body must be {allergies: string}' } };
          return forward(chart, { method: 'PUT', path: `/patients/${encodeURIComponent(req.params.patientId)}/allergies`, route: '/patients/{patientId}/allergies', body: { allergies: b.allergies }, timeoutMs: PATIENT_CHART_TIMEOUT_MS });
        },
      },
      {
        method: 'POST',
        route: '/board/calls',
        async handle(req) {
          const b = req.body as { patientId?: unknown; room?: unknown } | undefined;
          if (typeof b?.patientId !== 'string' || typeof b.room !== 'string' || !ROOMS.includes(b.room)) return { status: 400, body: { error: `body must be {patientId, room: ${ROOMS.join(' | ')}}` } };
          const requestKey = keyOf(req.headers);
          const span = tracer.startSpan(`send ${BOARD_EVENTS}`, {
            kind: SpanKind.PRODUCER,
            attributes: { 'messaging.system': 'redis', 'messaging.destination.name': BOARD_EVENTS, 'messaging.operation.type': 'send', ...redisPeer(redisUrl) },
          });
          const otel: Record<string, string> = {};
          const inSpan = trace.setSpan(context.active(), span);
          propagation.inject(inSpan, otel);
          try {
            const event = JSON.stringify({ requestKey, patientId: b.patientId, room: b.room, otel });
            const seq = await context.with(inSpan, () => redis.traced('EVAL', (r) => r.eval(ENQUEUE, 2, BOARD_EVENTS, BOARD_SEQ, event))) as number;
            span.setAttribute('messaging.message.id', String(seq));
            return { status: 202, body: { requestKey, seq, patientId: b.patientId, room: b.room } };
          } catch (err) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
            return { status: 503, body: { error: `the board queue did not answer: ${(err as Error).message}` } };
          } finally {
            span.end();
          }
        },
      },
    ],
    async close() {
      redis.close();
      for (const a of Object.values(agents)) a.destroy();
    },
  };
});
