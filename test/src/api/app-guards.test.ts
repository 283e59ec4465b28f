import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, auth, type Harness } from '../harness.js';

let h: Harness;
let scheduleId: string;
beforeAll(async () => {
  h = await harness({ FAULTLINE_BODY_LIMIT: '1024' });
  const res = await h.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: {} });
  scheduleId = res.json().id;
});
afterAll(async () => h.app.close());

// Every mutating route: a valid-looking URL and a body its schema rejects.
const routes = () => [
  { method: 'POST', url: '/v1/plans', bad: { version: 'one', system: {} }, field: 'version' },
  { method: 'POST', url: '/v1/runs', bad: { planId: 'p-1', extra: true }, field: 'body/extra' },
  { method: 'POST', url: '/v1/schedules', bad: { cron: 'every monday' }, field: 'cron' },
  { method: 'PUT', url: `/v1/schedules/${scheduleId}`, bad: { enabled: 'yes' }, field: 'enabled' },
  { method: 'DELETE', url: `/v1/schedules/${scheduleId}`, bad: '{"oops":', field: '' },
  { method: 'POST', url: '/v1/sweeps', bad: { phaseScale: -1 }, field: 'phaseScale' },
  { method: 'POST', url: '/v1/stop', bad: '{"oops":', field: '' },
] as const;

describe('every mutating route', () => {
  it('rejects a malformed body with 400 naming the field, in the problem shape', async () => {
    for (const r of routes()) {
      const res = await h.app.inject({ method: r.method, url: r.url, headers: { ...auth, 'content-type': 'application/json' }, payload: typeof r.bad === 'string' ? r.bad : JSON.stringify(r.bad) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body).toMatchObject({ code: 'BAD_INPUT', status: 400, title: 'Bad input' });
      expect(body.detail).toContain(r.field);
    }
  });

  it('rejects a request without a bearer token with 401', async () => {
    for (const r of routes()) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic dGVzdA==' }]) {
        const res = await h.app.inject({ method: r.method, url: r.url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
        expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED', status: 401, title: 'Missing or invalid bearer token' });
      }
    }
  });

  it('rejects a body over the limit with 413', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(4096) });
    for (const r of routes()) {
      const res = await h.app.inject({ method: r.method, url: r.url, headers: { ...auth, 'content-type': 'application/json' }, payload: big });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(413);
      expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    }
    const yaml = await h.app.inject({ method: 'POST', url: '/v1/plans', headers: { ...auth, 'content-type': 'application/yaml' }, payload: `x: "${'y'.repeat(4096)}"` });
    expect(yaml.statusCode).toBe(413);
  });
});

describe('auth and limits', () => {
  it('keeps reads open when reads are open and closes them otherwise', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/v1/runs' })).statusCode).toBe(200);
    const closed = await harness({ FAULTLINE_READS_OPEN: 'false' });
    try {
      expect((await closed.app.inject({ method: 'GET', url: '/v1/runs' })).statusCode).toBe(401);
      expect((await closed.app.inject({ method: 'GET', url: '/v1/runs', headers: auth })).statusCode).toBe(200);
      expect((await closed.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await closed.app.close();
    }
  });

  it('refuses mutating routes when no token is configured', async () => {
    const none = await harness({ FAULTLINE_API_TOKENS: '' });
    try {
      const res = await none.app.inject({ method: 'POST', url: '/v1/stop', headers: { authorization: 'Bearer anything' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toContain('FAULTLINE_API_TOKENS');
    } finally {
      await none.app.close();
    }
  });

  it('rate-limits mutating routes with 429 and leaves reads alone', async () => {
    const limited = await harness({ FAULTLINE_RATE_LIMIT: '2' });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: {} })).statusCode);
      expect(codes).toEqual([201, 201, 429]);
      const res = await limited.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: {} });
      expect(res.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      for (let i = 0; i < 5; i++) expect((await limited.app.inject({ method: 'GET', url: '/v1/runs' })).statusCode).toBe(200);
    } finally {
      await limited.app.close();
    }
  });

  it('never rate-limits the emergency stop, even after the mutating budget is spent', async () => {
    const limited = await harness({ FAULTLINE_RATE_LIMIT: '2' });
    try {
      for (let i = 0; i < 3; i++) await limited.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: {} });
      expect((await limited.app.inject({ method: 'POST', url: '/v1/schedules', headers: auth, payload: {} })).statusCode).toBe(429);
      const codes = [];
      for (let i = 0; i < 10; i++) codes.push((await limited.app.inject({ method: 'POST', url: '/v1/stop', headers: auth })).statusCode);
      expect(codes).toEqual(Array(10).fill(200));
      expect(limited.injector.resets).toBeGreaterThanOrEqual(10);
    } finally {
      await limited.app.close();
    }
  });

  it('validates query strings and path ids with 400 naming the field', async () => {
    const bad = await h.app.inject({ method: 'GET', url: '/v1/runs?status=exploded' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('status');
    const id = await h.app.inject({ method: 'GET', url: '/v1/plans/..%2Fetc' });
    expect(id.statusCode).toBe(400);
    expect(id.json().detail).toContain('id');
    const since = await h.app.inject({ method: 'GET', url: '/v1/runs?since=yesterday' });
    expect(since.statusCode).toBe(400);
    expect(since.json().detail).toContain('since');
  });
});
