import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../examples/demo/index.js';
import { ensureRedis } from '../../examples/demo/launch/redis-server.js';
import { isFaultlineError } from '../../base/errors.js';
import { freePort } from '../support/ports.js';
import { startRedis, type PrivateRedis } from '../support/redis.js';

let redis: PrivateRedis;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis.stop(); });

describe('demo start-up failures', () => {
  it('says to install redis-server or set REDIS_URL when redis-server is not on PATH', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'faultline-no-redis-'));
    const saved = process.env.PATH;
    process.env.PATH = empty;
    let caught: unknown;
    try {
      await ensureRedis(undefined);
    } catch (err) {
      caught = err;
    } finally {
      process.env.PATH = saved;
      rmSync(empty, { recursive: true, force: true });
    }
    expect(isFaultlineError(caught, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((caught as Error).message).toContain('install redis-server or set REDIS_URL');
  });

  it('uses the given REDIS_URL as is and leaves that Redis running on stop', async () => {
    const given = await ensureRedis(redis.url);
    expect(given.url).toBe(redis.url);
    await given.stop();
    const again = await ensureRedis(redis.url);
    expect(again.url).toBe(redis.url);
  });

  it('fails with PROXY_UNAVAILABLE naming the proxy when the fault proxy cannot be reached', async () => {
    const port = await freePort();
    let caught: unknown;
    try {
      await startDemo({ bugs: 'none', redisUrl: redis.url, proxyUrl: `http://127.0.0.1:${port}` });
    } catch (err) {
      caught = err;
    }
    expect(isFaultlineError(caught, 'PROXY_UNAVAILABLE')).toBe(true);
    expect((caught as Error).message).toMatch(/cannot create proxy [a-z-]+ on http:\/\/127\.0\.0\.1:\d+/);
  });

  it('rejects an unknown bug name before starting anything', async () => {
    await expect(startDemo({ bugs: ['no-such-bug'], redisUrl: redis.url })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
