import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CLINIC_BUGS, formatClinicBugs, parseClinicBugs } from '../../examples/clinic/bugs.js';
import { startClinic, type RunningClinic } from '../../examples/clinic/index.js';
import { clinicManifest } from '../../examples/clinic/manifest.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../examples/clinic/postgres-server.js';
import { describeStatement } from '../../examples/clinic/runtime/pg.js';
import { driveClinicTraffic } from '../../examples/clinic/traffic.js';
import { CLINIC_LINKS, CLINIC_SERVICES, type ClinicService } from '../../examples/clinic/topology.js';
import { startRedis, type PrivateRedis } from '../support/redis.js';
import { eventually, probe, render, sleep, withProxyDown, withToxic } from './example-harness.js';

describe('clinic bug switch', () => {
  it('switches every bug on by default and for "all", none for "none"', () => {
    expect(parseClinicBugs(undefined)).toEqual([...CLINIC_BUGS]);
    expect(parseClinicBugs('all')).toEqual([...CLINIC_BUGS]);
    expect(parseClinicBugs('')).toEqual([...CLINIC_BUGS]);
    expect(parseClinicBugs('none')).toEqual([]);
    expect(formatClinicBugs([])).toBe('none');
    expect(formatClinicBugs(['partial-write', 'silent-fallback'])).toBe('partial-write,silent-fallback');
  });

  it('takes a comma list in any order and keeps the canonical order', () => {
    expect(parseClinicBugs(' silent-fallback,partial-write ')).toEqual(['partial-write', 'silent-fallback']);
    expect(parseClinicBugs(['out-of-order-apply'])).toEqual(['out-of-order-apply']);
  });

  it('rejects an unknown bug name and lists the known ones', () => {
    expect(() => parseClinicBugs('partial-write,lost-chart')).toThrow(/unknown clinic bug "lost-chart"; known: partial-write, insert-retry-dup, no-statement-timeout, out-of-order-apply, silent-fallback, or all \/ none/);
  });
});

describe('clinic statement spans', () => {
  it('names a statement by its verb and table', () => {
    expect(describeStatement('INSERT INTO checkins (request_key) VALUES ($1)')).toEqual({ operation: 'INSERT', collection: 'checkins' });
    expect(describeStatement('UPDATE slots SET free = free - 1')).toEqual({ operation: 'UPDATE', collection: 'slots' });
    expect(describeStatement('SELECT s.slot_id FROM slots s')).toEqual({ operation: 'SELECT', collection: 'slots' });
    expect(describeStatement('BEGIN')).toEqual({ operation: 'BEGIN' });
  });
});

describe('clinic manifest', () => {
  const services = Object.fromEntries(CLINIC_SERVICES.map((s, i) => [s, `http://127.0.0.1:${41000 + i}`])) as Record<ClinicService, string>;
  const upstream = (t: string) => (t === 'redis' ? '127.0.0.1:43000' : t === 'postgres' ? '127.0.0.1:43001' : services[t as ClinicService].slice(7));
  const proxies = Object.fromEntries(CLINIC_LINKS.map((l, i) => [l.proxy, { listen: `127.0.0.1:${42000 + i}`, upstream: upstream(l.target) }]));
  const manifest = clinicManifest({ services, toxiproxyUrl: 'http://127.0.0.1:44000', proxies });

  it('is faultline.yaml as written, validated and pointed at the running ports', () => {
    expect(manifest.system.name).toBe('clinic');
    expect(manifest.toxiproxy.url).toBe('http://127.0.0.1:44000');
    expect(manifest.entrypoints.map((e) => e.name)).toEqual(['book', 'list_appointments', 'checkin', 'read_allergies', 'save_allergies', 'call_patient']);
    for (const e of manifest.entrypoints) expect(e.url.startsWith(services['front-desk'])).toBe(true);
    expect(manifest.probes.map((p) => (p.type === 'http' ? p.url : ''))).toEqual([`${services['appt-core']}/debug/slots`, `${services['appt-core']}/debug/checkins`, `${services['board-relay']}/debug/board`]);
    expect(manifest.proxies.map((p) => [p.name, p.listen, p.upstream, `${p.edge.from}->${p.edge.to}`])).toEqual(CLINIC_LINKS.map((l, i) => [l.proxy, `127.0.0.1:${42000 + i}`, upstream(l.target), `${l.caller}->${l.target}`]));
  });

  it('keeps the defaults a new user gets: the halting guard, workload, phases, quiescence, no hooks', () => {
    expect(manifest.halting).toEqual([{ maxErrorRate: 0.9, windowMs: 5000 }]);
    expect(manifest.workload).toEqual({ ratePerSec: 20, seed: 1 });
    expect(manifest.phases).toEqual({ baselineMs: 5_000, faultMs: 10_000, recoveryMs: 15_000 });
    expect(manifest.hooks.beforeScenario).toEqual([]);
  });

  it('states seven claims of seven forms, one per planted bug and two plain ones', () => {
    expect(manifest.claims).toHaveLength(7);
    expect(new Set(manifest.claims.map((c) => c.check.type))).toEqual(new Set(['conservation', 'at-most-once', 'latency', 'queue-order', 'linearizable', 'recovery', 'availability']));
  });
});

// The system twice, side by side: every planted bug on, and every bug off,
// on one private PostgreSQL cluster (a database each) and one private Redis
// (a database number each).
let pgServer: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let buggy: RunningClinic | undefined;
let fixed: RunningClinic | undefined;

beforeAll(async () => {
  [pgServer, redis] = await Promise.all([startPrivatePostgres(), startRedis()]);
  const [buggyDb, fixedDb] = await Promise.all([pgServer.createDatabase('clinic_buggy'), pgServer.createDatabase('clinic_fixed')]);
  [buggy, fixed] = await Promise.all([
    startClinic({ bugs: 'all', postgresUrl: buggyDb, redisUrl: `${redis.url}/5` }),
    startClinic({ bugs: 'none', postgresUrl: fixedDb, redisUrl: `${redis.url}/6` }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([buggy?.stop(), fixed?.stop()]);
  await Promise.all([pgServer?.stop(), redis?.stop()]);
}, 60_000);

function both(): { buggy: RunningClinic; fixed: RunningClinic } {
  if (!buggy || !fixed) throw new Error('clinic did not start');
  return { buggy, fixed };
}

interface Answer { status: number; body: Record<string, unknown>; ms: number }

async function call(sys: RunningClinic, method: string, path: string, body?: unknown, key?: string): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(`${sys.frontDeskUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, ms: Date.now() - started };
}

interface Slots { slots: { slotId: string; capacity: number; units: number }[] }
const slotUnits = async (sys: RunningClinic, slot: string) => (await probe<Slots>(sys, 'slots')).slots.find((s) => s.slotId === slot)?.units;
const checkinKeys = async (sys: RunningClinic) => (await probe<{ checkins: { requestKey: string }[] }>(sys, 'checkins')).checkins.map((c) => c.requestKey);
const board = (sys: RunningClinic) => probe<{ calls: { requestKey: string }[]; pending: number }>(sys, 'board');

describe('clinic example system', () => {
  it('every service answers, warm-up traffic succeeds, every entrypoint answers 2xx and every probe is readable', async () => {
    const { fixed } = both();
    for (const s of CLINIC_SERVICES) expect((await fetch(`${fixed.serviceUrl(s)}/healthz`)).status, s).toBe(200);
    const traffic = await driveClinicTraffic(fixed.frontDeskUrl, { requests: 90, concurrency: 4, seed: 7 });
    expect(traffic.statuses.book['201']).toBeGreaterThan(5);
    expect(traffic.statuses.list['200']).toBeGreaterThan(5);
    expect(traffic.statuses.checkin['201']).toBeGreaterThan(3);
    expect(traffic.statuses.readAllergies['200']).toBeGreaterThan(5);
    expect(traffic.statuses.saveAllergies['200']).toBeGreaterThan(3);
    expect(traffic.statuses.call['202']).toBeGreaterThan(3);
    for (const e of fixed.manifest.entrypoints) {
      const { url, init } = render(fixed.manifest, e.name);
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      expect(res.status, `${e.name}: ${await res.clone().text()}`).toBeGreaterThanOrEqual(200);
      expect(res.status, e.name).toBeLessThan(300);
    }
    for (const p of fixed.manifest.probes) {
      if (p.type !== 'http') throw new Error(`probe ${p.name} is not http`);
      const res = await fetch(p.url);
      expect(res.status, p.name).toBe(200);
      expect(typeof (await res.json()), p.name).toBe('object');
    }
    const slots = await probe<Slots>(fixed, 'slots');
    for (const s of slots.slots) expect(s.units, s.slotId).toBe(s.capacity);
    const shown = await eventually(() => board(fixed), (b) => b.pending === 0);
    expect(shown.calls.length).toBeGreaterThan(3);
  }, 40_000);

  it('partial-write: with patient-chart unreachable from appt-core, the bug loses the places it took; fixed, the booking takes nothing', async () => {
    const { buggy, fixed } = both();
    const run = async (sys: RunningClinic) => {
      const before = await slotUnits(sys, 's-7');
      const answers = await withProxyDown(sys, 'appt-core-patient-chart', () => Promise.all(Array.from({ length: 4 }, () => call(sys, 'POST', '/appointments', { patientId: 'p-3', slotId: 's-7' }, randomUUID()))));
      return { before, statuses: answers.map((a) => a.status), after: await slotUnits(sys, 's-7') };
    };
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(b.statuses).toEqual([503, 503, 503, 503]);
    expect(f.statuses).toEqual([503, 503, 503, 503]);
    expect(b.after).toBe((b.before ?? 0) - 4);
    expect(f.after).toBe(f.before);
  }, 20_000);

  it('insert-retry-dup: when appt-core\'s answer comes after front-desk\'s deadline, the retried INSERT records the arrival twice; fixed, once', async () => {
    const { buggy, fixed } = both();
    const slowAnswers = { type: 'latency', stream: 'downstream' as const, attributes: { latency: 1000 } };
    const run = async (sys: RunningClinic) => {
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      await withToxic(sys, 'front-desk-appt-core', slowAnswers, () => Promise.all(keys.map((k) => call(sys, 'POST', '/checkins', { patientId: 'p-9' }, k))));
      await sleep(300);
      const all = await checkinKeys(sys);
      return keys.map((k) => all.filter((x) => x === k).length);
    };
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(b).toEqual([2, 2, 2]);
    expect(f).toEqual([1, 1, 1]);
  }, 20_000);

  it('no-statement-timeout: with the database slow, the bug queues every appointment list behind the pool; fixed, they fail fast', async () => {
    const { buggy, fixed } = both();
    const slowDb = { type: 'latency', stream: 'downstream' as const, attributes: { latency: 1500 } };
    const run = (sys: RunningClinic) => withToxic(sys, 'appt-core-postgres', slowDb, async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call(sys, 'GET', `/patients/p-${i + 1}/appointments`)));
      const ms = answers.map((a) => a.ms).sort((x, y) => x - y);
      return { p90: ms[Math.floor(ms.length * 0.9)], statuses: answers.map((a) => a.status) };
    });
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(f.p90).toBeLessThan(1000);
    expect(f.statuses.every((s) => s === 503)).toBe(true);
    expect(b.p90).toBeGreaterThan(2500);
  }, 30_000);

  it('out-of-order-apply: calls whose INSERT outlives the relay\'s deadline are shown again after newer ones with the bug; fixed, each once, in call order', async () => {
    const { buggy, fixed } = both();
    const slowDb = { type: 'latency', stream: 'downstream' as const, attributes: { latency: 2000 } };
    const run = async (sys: RunningClinic) => {
      // A call shown just before keeps the relay's pooled connection open, so the next INSERT lands at once.
      const warm = randomUUID();
      expect((await call(sys, 'POST', '/board/calls', { patientId: 'p-1', room: 'r1' }, warm)).status).toBe(202);
      await eventually(() => board(sys), (b) => b.calls.some((c) => c.requestKey === warm), 5000);
      const keys: string[] = [];
      await withToxic(sys, 'board-relay-postgres', slowDb, async () => {
        for (let i = 0; i < 4; i++) {
          const key = randomUUID();
          expect((await call(sys, 'POST', '/board/calls', { patientId: `p-${i + 1}`, room: 'r2' }, key)).status).toBe(202);
          keys.push(key);
          await sleep(250);
        }
        await sleep(3000);
      });
      const shown = await eventually(() => board(sys), (b) => b.pending === 0 && keys.every((k) => b.calls.some((c) => c.requestKey === k)));
      await sleep(500);
      return { keys, shown: (await board(sys)).calls.map((c) => c.requestKey).filter((k) => keys.includes(k)).concat(shown.pending === 0 ? [] : ['pending']) };
    };
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(f.shown).toEqual(f.keys);
    expect(b.shown.length).toBeGreaterThan(4);
    expect(b.shown).not.toEqual(b.keys);
  }, 40_000);

  it('silent-fallback: with patient-chart\'s database unreachable, the bug answers "none known" for a patient with an allergy on record; fixed, 503', async () => {
    const { buggy, fixed } = both();
    const run = async (sys: RunningClinic) => {
      expect((await call(sys, 'PUT', '/patients/p-21/allergies', { allergies: 'latex' })).status).toBe(200);
      expect((await call(sys, 'GET', '/patients/p-21/allergies')).body.allergies).toBe('latex');
      return withProxyDown(sys, 'patient-chart-postgres', () => call(sys, 'GET', '/patients/p-21/allergies'));
    };
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(b.status).toBe(200);
    expect(b.body.allergies).toBe('none known');
    expect(f.status).toBe(503);
  }, 20_000);
});
