import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../../src/sweeps/scheduler.js';
import type { ScheduleRecord } from '../../../src/store/artifact-store.js';
import { harness, auth, type Harness } from '../harness.js';

/** A Scheduler fake recording what the API asked of it. */
class RecordingScheduler implements Scheduler {
  live = new Map<string, ScheduleRecord>();
  async upsert(s: ScheduleRecord) {
    if (s.enabled) this.live.set(s.id, s);
    else this.live.delete(s.id);
  }
  async remove(id: string) {
    this.live.delete(id);
  }
  async close() {}
}

let h: Harness;
const scheduler = new RecordingScheduler();
beforeAll(async () => {
  h = await harness({}, { scheduler });
});
afterAll(async () => h.app.close());

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('schedules', () => {
  it('creates a weekly UTC schedule by default, updates, lists and deletes it, keeping the scheduler in step', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: {} });
    expect(created.statusCode).toBe(201);
    const s = created.json();
    expect(s).toMatchObject({ cron: '0 3 * * 1', timezone: 'UTC', enabled: true, active: true });
    expect(scheduler.live.get(s.id)?.cron).toBe('0 3 * * 1');

    const updated = await h.app.inject({ method: 'PUT', url: `/v1/schedules/${s.id}`, headers: auth, payload: { cron: '30 2 * * *', timezone: 'Europe/Berlin' } });
    expect(updated.json()).toMatchObject({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    expect(scheduler.live.get(s.id)?.timezone).toBe('Europe/Berlin');

    const disabled = await h.app.inject({ method: 'PUT', url: `/v1/schedules/${s.id}`, headers: auth, payload: { enabled: false } });
    expect(disabled.json()).toMatchObject({ enabled: false, active: false });
    expect(scheduler.live.has(s.id)).toBe(false);

    expect((await h.app.inject({ method: 'GET', url: '/v1/schedules' })).json().schedules.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect((await h.app.inject({ method: 'DELETE', url: `/v1/schedules/${s.id}`, headers: auth })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: `/v1/schedules/${s.id}` })).statusCode).toBe(404);
  });

  it('rejects an unknown time zone naming the field', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: { timezone: 'Mars/Olympus' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_INPUT', details: { field: 'timezone' } });
  });
});

describe('sweeps over the API', () => {
  it('triggers a sweep (202), refuses a second while it runs (409), and serves the claim trend', async () => {
    let release!: () => void;
    h.executor.gate = new Promise((r) => (release = r));
    h.executor.recovery = { checkout_recovers_from_payments_latency: 1200 };
    const res = await h.app.inject({ method: 'POST', url: '/v1/sweeps', headers: auth, payload: {} });
    expect(res.statusCode).toBe(202);
    const sweep = res.json();
    expect(sweep).toMatchObject({ status: 'running', trigger: 'api', system: 'shop' });
    const again = await h.app.inject({ method: 'POST', url: '/v1/sweeps', headers: auth });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CONFLICT', details: { sweepId: sweep.id } });
    release();
    const done = await until(async () => (await h.app.inject({ method: 'GET', url: `/v1/sweeps/${sweep.id}` })).json(), (s) => s.status !== 'running');
    expect(done).toMatchObject({ status: 'succeeded', counts: { 'PASS-hardening': 1 }, diff: { first: true } });
    h.executor.gate = undefined;

    const trend = await h.app.inject({ method: 'GET', url: '/v1/claims/checkout_recovers/trend' });
    expect(trend.json()).toEqual({ claimId: 'checkout_recovers', points: [{ sweepId: sweep.id, at: sweep.startedAt, verdicts: ['PASS-hardening'], recoveredAfterMs: 1200, untested: false }] });
    expect((await h.app.inject({ method: 'GET', url: '/v1/claims/nobody/trend' })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/v1/sweeps?status=succeeded' })).json().sweeps).toHaveLength(1);
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('faultline_sweeps_total{status="succeeded"} 1');
    expect(metrics).toContain('faultline_sweep_duration_seconds_count 1');
  });
});
