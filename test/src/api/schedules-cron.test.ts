/**
 * Schedules go through a real cron parser: invalid expressions and ones that
 * tick more often than the configured minimum are refused naming the field,
 * and every schedule says when it next runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, harness, type Harness } from '../harness.js';

// A Wednesday; the default schedule (Mondays 03:00 UTC) next runs five days later.
const NOW = new Date('2026-12-02T10:00:00.000Z');
const clock = { now: () => NOW };

let h: Harness;
beforeAll(async () => {
  h = await harness({}, { clock });
});
afterAll(async () => h.app.close());

const post = (app: Harness['app'], payload: object) => app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload });

describe('schedule crons', () => {
  it('refuses an expression no cron parser accepts, naming the field, even without a scheduler', async () => {
    for (const cron of ['61 * * * *', '* 25 * * *', '0 3 * * 9', '0 3 32 * *']) {
      const res = await post(h.app, { cron });
      expect(res.statusCode, cron).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'BAD_INPUT', details: { field: 'cron' } });
      expect(res.json().detail).toContain('body/cron');
    }
    expect((await h.app.inject({ method: 'GET', url: '/v1/schedules' })).json().schedules).toEqual([]);
  });

  it('refuses a schedule that ticks more often than the minimum interval (default one hour)', async () => {
    for (const cron of ['* * * * * *', '*/5 * * * *', '0,30 * * * *', '0,45 3 * * *']) {
      const res = await post(h.app, { cron });
      expect(res.statusCode, cron).toBe(400);
      expect(res.json().detail).toMatch(/body\/cron .* more often than the minimum interval of 1 h/);
    }
    expect((await post(h.app, { cron: '0 * * * *' })).statusCode).toBe(201);
  });

  it('returns nextRunAt, computed in the schedule time zone', async () => {
    const created = await post(h.app, {});
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ cron: '0 3 * * 1', timezone: 'UTC', nextRunAt: '2026-12-07T03:00:00.000Z' });
    const berlin = (await post(h.app, { cron: '0 3 * * 1', timezone: 'Europe/Berlin' })).json();
    expect(berlin.nextRunAt).toBe('2026-12-07T02:00:00.000Z');
    const one = (await h.app.inject({ method: 'GET', url: `/v1/schedules/${berlin.id}` })).json();
    expect(one.nextRunAt).toBe('2026-12-07T02:00:00.000Z');
    const list = (await h.app.inject({ method: 'GET', url: '/v1/schedules' })).json().schedules;
    expect(list.every((s: { nextRunAt?: string }) => typeof s.nextRunAt === 'string')).toBe(true);
    const disabled = (await post(h.app, { enabled: false })).json();
    expect(disabled.nextRunAt).toBeUndefined();
  });

  it('refuses an invalid cron on update and keeps the stored schedule', async () => {
    const created = (await post(h.app, {})).json();
    const res = await h.app.inject({ method: 'PUT', url: `/v1/schedules/${created.id}`, headers: auth, payload: { cron: '* * * * *' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('body/cron');
    expect((await h.app.inject({ method: 'GET', url: `/v1/schedules/${created.id}` })).json().cron).toBe('0 3 * * 1');
  });

  it('takes the minimum interval from FAULTLINE_MIN_SCHEDULE_INTERVAL', async () => {
    const fast = await harness({ FAULTLINE_MIN_SCHEDULE_INTERVAL: '300000' }, { clock });
    try {
      expect((await post(fast.app, { cron: '*/5 * * * *' })).json()).toMatchObject({ nextRunAt: '2026-12-02T10:05:00.000Z' });
      const res = await post(fast.app, { cron: '*/4 * * * *' });
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain('minimum interval of 5 min');
    } finally {
      await fast.app.close();
    }
  });
});
