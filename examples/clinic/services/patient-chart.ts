/**
 * patient-chart: the patient register and each patient's allergy record, in
 * PostgreSQL (tables `patients`, `allergy_records`).
 *
 * - `GET /patients/{patientId}`: the patient's name (appt-core asks it when
 *   booking). 404 for an unknown patient.
 * - `GET /patients/{patientId}/allergies`: the allergy record,
 *   `{patientId, allergies}` (`null` when none was ever recorded).
 * - `PUT /patients/{patientId}/allergies` {allergies}: replace it.
 *
 * Its pool is bounded (5 connections, statement_timeout 400 ms, a 500 ms
 * client deadline per statement, 300 ms to get a connection): a slow or
 * unreachable database shows as an error within about a second.
 *
 * Planted bug (README.md):
 * - `silent-fallback`: when reading the allergy record fails (the database
 *   timed out or is unreachable), the read answers 200 with the default
 *   "none known" so the check-in screen is never blocked — a patient with a
 *   recorded allergy is shown as having none. Fixed: 503, the screen says
 *   the record could not be read.
 */
import { runClinicService } from '../runtime/service-process.js';
import { connectPg, pgReady } from '../runtime/pg.js';
import { PATIENTS, patientId, patientName } from '../runtime/clinic-data.js';

const PATIENT_ID = /^p-\d{1,6}$/;
const MAX_ALLERGIES_LENGTH = 200;

await runClinicService('patient-chart', async (ctx) => {
  const { tracer, bugs, log } = ctx;
  const db = connectPg(tracer, ctx.env('DATABASE_URL'), { max: 5, statementTimeoutMs: 400, queryTimeoutMs: 500, connectionTimeoutMs: 300 });
  await pgReady(db);
  const setup = await db.pool.connect();
  try {
    await setup.query(`CREATE TABLE IF NOT EXISTS patients (patient_id text PRIMARY KEY, name text NOT NULL)`);
    await setup.query(`CREATE TABLE IF NOT EXISTS allergy_records (patient_id text PRIMARY KEY, allergies text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    const ids = Array.from({ length: PATIENTS }, (_, i) => patientId(i + 1));
    const names = Array.from({ length: PATIENTS }, (_, i) => patientName(i + 1));
    await setup.query(`INSERT INTO patients (patient_id, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, [ids, names]);
  } finally {
    setup.release();
  }
  const fallback = bugs.has('silent-fallback');

  return {
    routes: [
      {
        method: 'GET',
        route: '/patients/{patientId}',
        async handle(req) {
          const id = req.params.patientId;
          if (!PATIENT_ID.test(id)) return { status: 400, body: { error: 'patient ids look like p-17' } };
          try {
            const r = await db.query<{ name: string }>('SELECT name FROM patients WHERE patient_id = $1', [id]);
            if (r.rowCount === 0) return { status: 404, body: { error: `no patient ${id}` } };
            return { status: 200, body: { patientId: id, name: r.rows[0].name } };
          } catch (err) {
            return { status: 503, body: { error: `patient register unavailable: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'GET',
        route: '/patients/{patientId}/allergies',
        async handle(req) {
          const id = req.params.patientId;
          if (!PATIENT_ID.test(id)) return { status: 400, body: { error: 'patient ids look like p-17' } };
          try {
            const r = await db.query<{ allergies: string; updated_at: Date }>('SELECT allergies, updated_at FROM allergy_records WHERE patient_id = $1', [id]);
            const row = r.rows[0];
            return { status: 200, body: { patientId: id, allergies: row ? row.allergies : null, updatedAt: row ? row.updated_at.toISOString() : null } };
          } catch (err) {
            if (fallback) {
              // The bug: never block the check-in screen — show the default instead.
              log(`allergy read failed, answering the default: ${(err as Error).message}`);
              return { status: 200, body: { patientId: id, allergies: 'none known', updatedAt: null } };
            }
            return { status: 503, body: { error: `allergy record could not be read: ${(err as Error).message}` } };
          }
        },
      },
      {
        method: 'PUT',
        route: '/patients/{patientId}/allergies',
        async handle(req) {
          const id = req.params.patientId;
          const body = req.body as { allergies?: unknown } | undefined;
          if (!PATIENT_ID.test(id)) return { status: 400, body: { error: 'patient ids look like p-17' } };
          if (typeof body?.allergies !== 'string' || body.allergies.length > MAX_ALLERGIES_LENGTH) return { status: 400, body: { error: 'body must be {allergies: string}' } };
          try {
            await db.query(
              `INSERT INTO allergy_records (patient_id, allergies, updated_at) VALUES ($1, $2, now())
               ON CONFLICT (patient_id) DO UPDATE SET allergies = EXCLUDED.allergies, updated_at = now()`,
              [id, body.allergies],
            );
            return { status: 200, body: { patientId: id, allergies: body.allergies } };
          } catch (err) {
            return { status: 503, body: { error: `allergy record could not be saved: ${(err as Error).message}` } };
          }
        },
      },
      { method: 'GET', route: '/debug/state', handle: () => ({ status: 200, body: { pool: db.load() } }) },
    ],
    close: () => db.close(),
  };
});
