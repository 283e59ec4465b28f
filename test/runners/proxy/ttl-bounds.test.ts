import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { MAX_TTL_MS } from '../../../runners/proxy/toxic-spec.js';
import { startEcho } from './sockets.js';

let server: RunningFaultProxy;
let echo: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => {
  server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  echo = await startEcho();
  await server.registry.create({ name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
});
afterEach(async () => {
  await server.reset(); // one case's leftovers never decide the next one's
});
afterAll(async () => {
  await server.close();
  await echo.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('toxic and disable TTLs', () => {
  it('states its maximum as a day', () => {
    expect(MAX_TTL_MS).toBe(86_400_000);
  });

  for (const ttl of [2 ** 31, 1e300, MAX_TTL_MS + 1, 0.5, 1.5, -1]) {
    it(`rejects a toxic with ttl_ms ${ttl} (400 naming ttl_ms and the maximum) instead of letting it mean something else`, async () => {
      const r = await post('/proxies/db/toxics', { name: 'slow', type: 'latency', attributes: { latency: 10 }, ttl_ms: ttl });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: expect.stringMatching(/ttl_ms.*86400000/), status: 400 });
      expect(server.registry.toxics('db')).toEqual([]);
    });

    it(`rejects disabling a proxy with ttl_ms ${ttl} and leaves it enabled`, async () => {
      const r = await post('/proxies/db', { enabled: false, ttl_ms: ttl });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/ttl_ms.*86400000/);
      expect(server.registry.proxy('db').enabled).toBe(true);
    });
  }

  it('rejects an update that would set an overflowing ttl_ms and keeps the toxic as it was', async () => {
    server.registry.addToxic('db', { name: 'kept', type: 'latency', attributes: { latency: 10 }, ttl_ms: 60_000 });
    try {
      const r = await post('/proxies/db/toxics/kept', { ttl_ms: 2 ** 31 });
      expect(r.status).toBe(400);
      await pause(50);
      expect(server.registry.toxics('db').map((t) => [t.name, t.ttlMs])).toEqual([['kept', 60_000]]);
    } finally {
      server.registry.removeToxic('db', 'kept');
    }
  });

  it('keeps a toxic with the largest allowed TTL installed (no timer overflow) and echoes that TTL', async () => {
    const r = await post('/proxies/db/toxics', { name: 'long', type: 'latency', attributes: { latency: 10 }, ttl_ms: MAX_TTL_MS });
    try {
      expect(r.status).toBe(200);
      expect(r.json.ttl_ms).toBe(MAX_TTL_MS);
      await pause(50);
      expect(server.registry.toxics('db').map((t) => t.name)).toEqual(['long']);
    } finally {
      server.registry.removeToxic('db', 'long');
    }
  });

  it('keeps 0 meaning "no TTL", as documented', async () => {
    const r = await post('/proxies/db/toxics', { name: 'none', type: 'latency', attributes: { latency: 10 }, ttl_ms: 0 });
    try {
      expect(r.status).toBe(200);
      expect(r.json.ttl_ms).toBeUndefined();
    } finally {
      server.registry.removeToxic('db', 'none');
    }
  });
});
