import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type PrivateRedis } from '../../support/redis.js';
import { BullmqScheduler, type SweepTick } from '../../../src/sweeps/scheduler.js';
import { silentLog } from '../../../src/log.js';
import { Queue } from 'bullmq';

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis.stop());

const schedule = (cron: string) => ({ id: 'sched-every-second', cron, timezone: 'UTC', enabled: true, createdAt: '', updatedAt: '' });

describe('BullMQ sweep schedules', () => {
  it('refuses an invalid cron or one under the minimum interval before it reaches Redis', async () => {
    const prefix = `v${Date.now()}`;
    const s = new BullmqScheduler({ redisUrl: redis.url, prefix, log: silentLog });
    try {
      await expect(s.upsert(schedule('61 * * * *'))).rejects.toMatchObject({ code: 'BAD_INPUT', details: { field: 'cron' } });
      await expect(s.upsert(schedule('* * * * * *'))).rejects.toThrow(/minimum interval of 1 h/);
      await s.upsert(schedule('0 3 * * 1'));
      const queue = new Queue('faultline-sweeps', { connection: { url: redis.url }, prefix });
      try {
        const live = await queue.getJobSchedulers();
        expect(live.map((j) => j.pattern)).toEqual(['0 3 * * 1']);
      } finally {
        await queue.close();
      }
    } finally {
      await s.close();
    }
  });

  it('runs exactly one sweep per tick with two workers up', async () => {
    const prefix = `t${Date.now()}`;
    const a = new BullmqScheduler({ redisUrl: redis.url, prefix, log: silentLog, minIntervalMs: 1000 });
    const b = new BullmqScheduler({ redisUrl: redis.url, prefix, log: silentLog, minIntervalMs: 1000 });
    const ticks: (SweepTick & { worker: string })[] = [];
    try {
      await a.startWorker(async (t) => void ticks.push({ ...t, worker: 'a' }));
      await b.startWorker(async (t) => void ticks.push({ ...t, worker: 'b' }));
      await a.upsert(schedule('* * * * * *'));
      // Upserting again (as a second API instance would) must not add a second scheduler.
      await b.upsert(schedule('* * * * * *'));
      for (let i = 0; i < 200 && ticks.length < 4; i++) await new Promise((r) => setTimeout(r, 50));
      await a.remove('sched-every-second');
    } finally {
      await a.close();
      await b.close();
    }
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    const perTick = new Map<number, number>();
    for (const t of ticks) perTick.set(t.tickAt, (perTick.get(t.tickAt) ?? 0) + 1);
    expect([...perTick.values()].every((n) => n === 1)).toBe(true);
    expect(ticks.every((t) => t.scheduleId === 'sched-every-second')).toBe(true);
  });

  it('skips a tick while a sweep is still running instead of starting it twice', async () => {
    const prefix = `u${Date.now()}`;
    const a = new BullmqScheduler({ redisUrl: redis.url, prefix, log: silentLog, minIntervalMs: 1000 });
    const b = new BullmqScheduler({ redisUrl: redis.url, prefix, log: silentLog, minIntervalMs: 1000 });
    let running = 0;
    let maxRunning = 0;
    let started = 0;
    let skipped = 0;
    const slowSweep = async () => {
      started += 1;
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 2500));
      running -= 1;
    };
    try {
      await a.startWorker(slowSweep, () => (skipped += 1));
      await b.startWorker(slowSweep, () => (skipped += 1));
      await a.upsert(schedule('* * * * * *'));
      for (let i = 0; i < 200 && skipped < 1; i++) await new Promise((r) => setTimeout(r, 50));
      await a.remove('sched-every-second');
    } finally {
      await a.close();
      await b.close();
    }
    expect(skipped).toBeGreaterThanOrEqual(1);
    expect(started).toBeGreaterThanOrEqual(1);
    expect(maxRunning).toBe(1);
  });
});
