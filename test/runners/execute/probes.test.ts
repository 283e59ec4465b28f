import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ProbeReader } from '../../../runners/execute/probes.js';
import { redisConnection } from '../../../runners/execute/queue.js';
import { startRedis, type PrivateRedis } from '../../support/redis.js';
import { startToyHttp, type ToyHttp } from './toy-http.js';

let redis: PrivateRedis;
let toy: ToyHttp;
beforeAll(async () => {
  redis = await startRedis();
  toy = await startToyHttp();
});
afterAll(async () => {
  await toy?.close();
  await redis?.stop();
});

describe('state probes', () => {
  it('dumps an http probe, a redis list (JSON items parsed) and a BullMQ queue’s counts', async () => {
    const r = new Redis(redis.url);
    await r.rpush('emails', JSON.stringify({ orderKey: 'k1' }), 'plain-text');
    await r.quit();
    const q = new Queue('mail', { connection: redisConnection(redis.url, false) });
    await q.add('send', { n: 1 });
    await q.add('send', { n: 2 }, { delay: 60_000 });
    await q.close();

    const reader = new ProbeReader(
      [
        { name: 'state', type: 'http', url: `${toy.url}/state` },
        { name: 'emails', type: 'redis-list', key: 'emails' },
        { name: 'mailq', type: 'bullmq-queue', queue: 'mail', redisUrl: redis.url },
      ],
      { defaultRedisUrl: redis.url },
    );
    try {
      const dump = await reader.dump();
      expect(dump.errors).toEqual([]);
      expect(dump.values.state).toEqual({ n: 1 });
      expect(dump.values.emails).toEqual([{ orderKey: 'k1' }, 'plain-text']);
      expect(dump.values.mailq).toEqual({ waiting: 1, active: 0, delayed: 1 });
      expect(await reader.queueDepths()).toEqual({ mailq: { waiting: 1, active: 0, delayed: 1 } });
    } finally {
      await reader.close();
    }
  });

  it('reports an unreadable probe by name instead of throwing', async () => {
    toy.behaviour.status = 500;
    const reader = new ProbeReader([
      { name: 'state', type: 'http', url: `${toy.url}/state` },
      { name: 'nolist', type: 'redis-list', key: 'x' },
    ]);
    try {
      const dump = await reader.dump();
      expect(dump.values).toEqual({});
      expect(dump.errors.sort()).toEqual([
        `probe nolist (redis-list): probe nolist has no redisUrl and no default Redis is configured`,
        `probe state (http): GET ${toy.url}/state answered 500`,
      ]);
    } finally {
      toy.behaviour.status = 200;
      await reader.close();
    }
  });
});
