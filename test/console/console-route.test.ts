/**
 * The console's files over HTTP: the shell and the bundle load without a
 * token even with reads locked (they hold no data), nothing outside the
 * bundle folder can be named, and the API stays locked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { harness, type Harness } from '../src/harness.js';

let h: Harness;
beforeAll(async () => {
  execFileSync(process.execPath, ['console/build.mjs'], { stdio: 'ignore' });
  h = await harness({ FAULTLINE_READS_OPEN: 'false' });
});
afterAll(async () => h?.app.close());

describe('the console files', () => {
  it('serves the shell at / and its bundle without a token, same-origin only', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('/console/app.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    const js = await h.app.inject({ method: 'GET', url: '/console/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await h.app.inject({ method: 'GET', url: '/console/uplot.css' })).statusCode).toBe(200);
  });

  it('names nothing outside the bundle and keeps the API locked', async () => {
    for (const url of ['/console/..%2Fpackage.json', '/console/%2e%2e%2f%2e%2e%2fpackage.json', '/console/index.ts', '/console/nope.js']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect([401, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain('"name": "faultline"');
    }
    expect((await h.app.inject({ method: 'GET', url: '/v1/graph' })).statusCode).toBe(401);
  });
});
