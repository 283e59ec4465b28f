/**
 * appt-core: appointments and arrivals, in PostgreSQL (tables `slots`,
 * `appointments`, `checkins`).
 *
 * - `POST /bookings` {requestKey, patientId, slotId}: book a place in a
 *   slot — take one of the slot's free places (`slots.free`), look the
 *   patient up on patient-chart (`GET /patients/{patientId}`, for the name
 *   on the appointment), record the appointment. 201 with it; 409 when the
 *   slot is full; 503 when it could not be done.
 * - `GET /patients/{patientId}/appointments`: the patient's latest 20.
 * - `POST /checkins` {requestKey, patientId}: record that the patient
 *   arrived, once per request key. A statement whose answer was lost (the
 *   connection broke) is sent once more.
 * - `GET /debug/slots`: the accounting check — per slot, free places plus
 *   appointments booked in it (`units`, always the slot's capacity).
 * - `GET /debug/checkins`: every arrival recorded, in order.
 *
 * Planted bugs (README.md):
 * - `partial-write`: a booking takes the place (UPDATE slots), asks
 *   patient-chart for the name, then records the appointment (INSERT), each
 *   statement on its own, no transaction. When anything fails after the
 *   UPDATE — patient-chart slow or down, the connection reset, a statement
 *   lost — the place is gone and no appointment holds it: free + booked no
 *   longer adds up to the capacity. Fixed: the patient is looked up first,
 *   then UPDATE and INSERT run in one transaction, which a failure rolls
 *   back.
 * - `insert-retry-dup`: `checkins` has no unique key on the request key and
 *   the INSERT has no ON CONFLICT, so a retried INSERT — ours after a lost
 *   answer, or front-desk's after its deadline — records the arrival twice.
 *   Fixed: a unique index on `request_key` and `ON CONFLICT DO NOTHING`;
 *   the retry then answers the row already there.
 * - `no-statement-timeout`: the pool (5 connections) has no statement
 *   timeout, no client deadline and no limit on the wait for a connection;
 *   a slow database holds all five, every request queues behind them and
 *   waits as long as the slowest statement. Fixed: statement_timeout
 *   400 ms, a 600 ms client deadline, 300 ms to get a connection, and 503
 *   at once when one of them runs out.
 */
import pg from 'pg';
import { runClinicService } from '../runtime/service-process.js';
import { connectPg, pgReady, type Query } from '../runtime/pg.js';
import { callHttp, pooledAgent, type Peer } from '../../demo/runtime/pooled-http.js';
import { SLOT_CAPACITY, SLOTS, slotId } from '../runtime/clinic-data.js';

const PATIENT_ID = /^p-\d{1,6}$/;
const SLOT_ID = /^s-\d{1,6}$/;
const PATIENT_CHART_TIMEOUT_MS = 1000;

await runClinicService('appt-core', async (ctx) => {
  const { tracer, bugs } = ctx;
  const timeouts = bugs.has('no-statement-timeout') ? {} : { statementTimeoutMs: 400, queryTimeoutMs: 600, connectionTimeoutMs: 300 };
  const db = connectPg(tracer, ctx.env('DATABASE_URL'), { max: 5, ...timeouts });
  const chart: Peer = { service: 'patient-chart', baseUrl: ctx.env('PATIENT_CHART_URL') };
  const agent = pooledAgent(16);
  await pgReady(db);
  const setup = await db.pool.connect();
  try {
    await setup.query(`CREATE TABLE IF NOT EXISTS slots (slot_id text PRIMARY KEY, capacity integer NOT NULL, free integer NOT NULL CHECK (free >= 0))`);
    await setup.query(`CREATE TABLE IF NOT EXISTS appointments (appt_id bigserial PRIMARY KEY, request_key text NOT NULL, slot_id text NOT NULL, patient_id text NOT NULL, patient_name text NOT NULL, booked_at timestamptz NOT NULL DEFAULT now())`);
    await setup.query(`CREATE INDEX IF NOT EXISTS appointments_patient ON appointments (patient_id, appt_id)`);
    await setup.query(`CREATE INDEX IF NOT EXISTS appointments_slot ON appointments (slot_id)`);
    await setup.query(`CREATE TABLE IF NOT EXISTS checkins (id bigserial PRIMARY KEY, request_key text NOT NULL, patient_id text NOT NULL, arrived_at timestamptz NOT NULL DEFAULT now())`);
    if (bugs.has('insert-retry-dup')) await setup.query('DROP INDEX IF EXISTS checkins_request_key');
    else await setup.query('CREATE UNIQUE INDEX IF NOT EXISTS checkins_request_key ON checkins (request_key)');
    const ids = Array.from({ length: SLOTS }, (_, i) => slotId(i + 1));
    await setup.query(`INSERT INTO slots (slot_id, capacity, free) SELECT id, $2, $2 FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`, [ids, SLOT_CAPACITY]);
  } finally {
    setup.release();
  }

  const failed = (err: unknown, what: string) => ({ status: 503, body: { error: `${what}: ${(err as Error).message}` } });

  /** The patient's name from patient-chart; undefined for an unknown patient; throws when it did not answer. */
  async function patientName(patientId: string): Promise<string | undefined> {
    const res = await callHttp(tracer, agent, chart, { method: 'GET', path: `/patients/${encodeURIComponent(patientId)}`, route: '/patients/{patientId}', timeoutMs: PATIENT_CHART_TIMEOUT_MS });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`patient-chart answered ${res.status}`);
    return (res.body as { name: string }).name;
  }

  const take = (q: Query, slot: string) => q<{ free: number }>('UPDATE slots SET free = free - 1 WHERE slot_id = $1 AND free > 0 RETURNING free', [slot]);
  const record = (q: Query, key: string, slot: string, patient: string, name: string) => q<{ appt_id: string; booked_at: Date }>(
    'INSERT INTO appointments (request_key, slot_id, patient_id, patient_name) VALUES ($1, $2, $3, $4) RETURNING appt_id, booked_at', [key, slot, patient, name]);
  const booked = (key: string, slot: string, patient: string, row: { appt_id: string; booked_at: Date }) => ({
    status: 201, body: { appointmentId: `a-${row.appt_id}`, requestKey: key, slotId: slot, patientId: patient, bookedAt: row.booked_at.toISOString() },
  });

  async function book(key: string, slot: string, patient: string) {
    if (bugs.has('partial-write')) {
      // The bug: three steps, each on its own; a failure after the first leaves the place taken and nobody in it.
      let r;
      try { r = await take(db.query, slot); } catch (err) { return failed(err, 'could not take a place'); }
      if (r.rowCount === 0) return { status: 409, body: { error: `slot ${slot} is full or unknown` } };
      let name: string | undefined;
      try { name = await patientName(patient); } catch (err) { return failed(err, 'patient-chart did not answer'); }
      if (name === undefined) return { status: 404, body: { error: `no patient ${patient}` } };
      try {
        const ins = await record(db.query, key, slot, patient, name);
        return booked(key, slot, patient, ins.rows[0]);
      } catch (err) {
        return failed(err, 'could not record the appointment');
      }
    }
    let name: string | undefined;
    try { name = await patientName(patient); } catch (err) { return failed(err, 'patient-chart did not answer'); }
    if (name === undefined) return { status: 404, body: { error: `no patient ${patient}` } };
    try {
      const out = await db.transaction(async (q) => {
        const r = await take(q, slot);
        if (r.rowCount === 0) return undefined;
        return (await record(q, key, slot, patient, name)).rows[0];
      });
      if (!out) return { status: 409, body: { error: `slot ${slot} is full or unknown` } };
      return booked(key, slot, patient, out);
    } catch (err) {
      return failed(err, 'could not book');
    }
  }

  async function checkin(key: string, patient: string) {
    const unique = !bugs.has('insert-retry-dup');
    const insert = unique
      ? 'INSERT INTO checkins (request_key, patient_id) VALUES ($1, $2) ON CONFLICT (request_key) DO NOTHING RETURNING id, arrived_at'
      : 'INSERT INTO checkins (request_key, patient_id) VALUES ($1, $2) RETURNING id, arrived_at';
    // An INSERT whose answer was lost (no reply, a broken connection) is sent once more; the server refusing it is final.
    let lastErr: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        let r = await db.query<{ id: string; arrived_at: Date }>(insert, [key, patient]);
        let status = 201;
        if (r.rowCount === 0) {
          r = await db.query<{ id: string; arrived_at: Date }>('SELECT id, arrived_at FROM checkins WHERE request_key = $1', [key]);
          status = 200;
        }
        const row = r.rows[0];
        return { status, body: { checkinId: `c-${row.id}`, requestKey: key, patientId: patient, arrivedAt: row.arrived_at.toISOString() } };
      } catch (err) {
        lastErr = err;
        if (err instanceof pg.DatabaseError) break;
      }
    }
    return failed(lastErr, 'could not record the arrival');
  }

  return {
    routes: [
      {
        method: 'POST',
        route: '/bookings',
        async handle(req) {
          const b = req.body as { requestKey?: unknown; patientId?: unknown; slotId?: unknown } | undefined;
          if (typeof b?.requestKey !== 'string' || b.requestKey === '' || typeof b.patientId !== 'string' || !PATIENT_ID.test(b.patientId) || typeof b.slotId !== 'string' || !SLOT_ID.test(b.slotId)) {
            return { status: 400, body: { error: 'body must be {requestKey, patientId: p-N, slotId: s-N}' } };
          }
          return book(b.requestKey, b.slotId, b.patientId);
        },
      },
      {
        method: 'GET',
        route: '/patients/{patientId}/appointments',
        async handle(req) {
          const id = req.params.patientId;
          if (!PATIENT_ID.test(id)) return { status: 400, body: { error: 'patient ids look like p-17' } };
          try {
            const r = await db.query<{ appt_id: string; slot_id: string; booked_at: Date }>(
              'SELECT appt_id, slot_id, booked_at FROM appointments WHERE patient_id = $1 ORDER BY appt_id DESC LIMIT 20', [id]);
            return { status: 200, body: { patientId: id, appointments: r.rows.map((a) => ({ appointmentId: `a-${a.appt_id}`, slotId: a.slot_id, bookedAt: a.booked_at.toISOString() })) } };
          } catch (err) {
            return failed(err, 'appointments could not be read');
          }
        },
      },
      {
        method: 'POST',
        route: '/checkins',
        async handle(req) {
          const b = req.body as { requestKey?: unknown; patientId?: unknown } | undefined;
          if (typeof b?.requestKey !== 'string' || b.requestKey === '' || typeof b.patientId !== 'string' || !PATIENT_ID.test(b.patientId)) {
            return { status: 400, body: { error: 'body must be {requestKey, patientId: p-N}' } };
          }
          return checkin(b.requestKey, b.patientId);
        },
      },
      {
        method: 'GET',
        route: '/debug/slots',
        async handle() {
          const r = await db.query<{ slot_id: string; capacity: number; free: number; booked: string }>(
            `SELECT s.slot_id, s.capacity, s.free, (SELECT count(*) FROM appointments a WHERE a.slot_id = s.slot_id) AS booked
             FROM slots s ORDER BY s.slot_id`);
          return {
            status: 200,
            body: { slots: r.rows.map((s) => ({ slotId: s.slot_id, capacity: s.capacity, free: s.free, booked: Number(s.booked), units: s.free + Number(s.booked) })) },
          };
        },
      },
      {
        method: 'GET',
        route: '/debug/checkins',
        async handle() {
          const r = await db.query<{ id: string; request_key: string; patient_id: string }>('SELECT id, request_key, patient_id FROM checkins ORDER BY id');
          return { status: 200, body: { checkins: r.rows.map((c) => ({ checkinId: `c-${c.id}`, requestKey: c.request_key, patientId: c.patient_id })) } };
        },
      },
      { method: 'GET', route: '/debug/state', handle: () => ({ status: 200, body: { pool: db.load() } }) },
    ],
    async close() {
      agent.destroy();
      await db.close();
    },
  };
});
