import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, fail, type ErrorCode } from '../../../base/errors.js';
import { harness, auth, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  // A second app over the same deps, with a test-only route that throws what the query names.
  h = await harness();
  await h.app.close();
  const { buildApp } = await import('../../../src/api/app.js');
  const app = await buildApp(h.config, h.deps);
  app.get<{ Querystring: { code?: string; raw?: string } }>('/boom', async (req) => {
    if (req.query.raw) throw new Error('secret internal detail at /srv/x.ts:12');
    throw fail(req.query.code as ErrorCode, `failed with ${req.query.code}`, { why: 'test' });
  });
  await app.ready();
  h.app = app;
});
afterAll(async () => h.app.close());

describe('the error handler', () => {
  for (const [code, { status, title }] of Object.entries(ErrorCodes)) {
    it(`turns ${code} into a ${status} problem+json with the same code`, async () => {
      const res = await h.app.inject({ method: 'GET', url: `/boom?code=${code}` });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toEqual({ type: `urn:faultline:error:${code.toLowerCase().replace(/_/g, '-')}`, title, status, detail: `failed with ${code}`, code, details: { why: 'test' } });
    });
  }

  it('answers an unexpected error with 500 INTERNAL, a generic detail and no stack', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/boom?raw=1' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({ type: 'urn:faultline:error:internal', title: 'Internal error', status: 500, detail: 'an unexpected error occurred; see the server log', code: 'INTERNAL' });
    expect(res.body).not.toMatch(/secret|\.ts:|at /);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', status: 404, detail: 'no route GET /v1/nope' });
  });

  it('answers invalid JSON with a 400 BAD_INPUT problem', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/runs', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"planId":' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_INPUT', status: 400 });
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/runs', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'planId=x' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
