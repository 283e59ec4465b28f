import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { BullmqExecutor } from '../../../runners/execute/bullmq-executor.js';
import { redisConnection } from '../../../runners/execute/queue.js';
import { startWorker, type RunningWorker } from '../../../runners/execute/scenario-worker.js';
import { startRedis, type PrivateRedis } from '../../support/redis.js';
import { executorContract } from './executor.contract.js';
import { startRig, type Rig } from './rig.js';

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

executorContract('bullmq with one worker in this process', async (rig) => {
  const queueName = 'contract';
  const worker = await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'w1', quiesceMs: 50 });
  const executor = new BullmqExecutor({ redisUrl: redis.url, queueName });
  return {
    executor,
    async close() {
      await executor.close();
      await worker.close();
    },
  };
});

describe('BullMQ executor with several workers', () => {
  let rig: Rig;
  const workers: RunningWorker[] = [];
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await rig?.close();
  });

  it('shares one queue between two workers, one scenario per proxy at a time, and reports every scenario', async () => {
    const queueName = 'shared';
    workers.push(await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'a', quiesceMs: 50 }));
    workers.push(await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'b', quiesceMs: 50 }));
    const plan = rig.plan({ phases: { baselineMs: 300, faultMs: 500, recoveryMs: 300 }, ratePerSec: 50 });
    const second = structuredClone(plan.scenarios[0]);
    second.id = 'orders_available_second';
    plan.scenarios.push(second);
    const executor = new BullmqExecutor({ redisUrl: redis.url, queueName });
    try {
      const findings = await executor.run(plan, { runId: 'shared-1' });
      expect(findings.results.map((r) => r.scenarioId).sort()).toEqual(['orders_available_second', 'orders_available_under_prices_latency']);
      // The proxy lock kept the second fault off the proxy until the first was gone, so neither saw a dirty proxy.
      for (const r of findings.results) expect(r.verdict.startsWith('PASS')).toBe(true);
      // Enqueuing the same run again does not run it twice: the job ids are taken.
      const again = await executor.run(plan, { runId: 'shared-1' });
      expect(again.results.map((r) => r.durationMs)).toEqual(findings.results.map((r) => r.durationMs));
    } finally {
      await executor.close();
    }
  });

  it('hands a scenario back to the queue when its worker is force-closed mid-fault, removing the toxic', async () => {
    const queueName = 'handback';
    const first = await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'first', quiesceMs: 50 });
    const plan = rig.plan({ phases: { baselineMs: 300, faultMs: 3000, recoveryMs: 300 }, ratePerSec: 50 });
    const executor = new BullmqExecutor({ redisUrl: redis.url, queueName });
    let closing: Promise<void> | undefined;
    let toxicsAtClose: string[] = [];
    try {
      const findings = await executor.run(plan, { runId: 'handback-1' }, (e) => {
        if (e.stage === 'fault' && !closing) {
          closing = (async () => {
            toxicsAtClose = ((await rig.injector.getProxy('prices'))?.toxics ?? []).map((t) => t.name);
            await first.close(true);
            workers.push(await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'second', quiesceMs: 50 }));
          })();
        }
      });
      await closing;
      expect(toxicsAtClose).toEqual(['faultline-first-orders_available_under_prices_latency']);
      expect(findings.results).toHaveLength(1);
      expect(findings.results[0].verdict.startsWith('PASS')).toBe(true);
      expect(findings.results[0].landing.evidence.join(' ')).toContain('faultline-second-');
      expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
    } finally {
      await executor.close();
    }
  });

  it('removes leftover toxics it owns when a worker starts, and only those', async () => {
    await rig.injector.addToxic('prices', { name: 'faultline-c-old', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    await rig.injector.addToxic('prices', { name: 'faultline-d-other', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } });
    const w = await startWorker({ redisUrl: redis.url, queueName: 'cleanup', injector: rig.injector, owner: 'c' });
    workers.push(w);
    expect(w.cleaned).toEqual(['prices/faultline-c-old']);
    expect((await rig.injector.getProxy('prices'))?.toxics.map((t) => t.name)).toEqual(['faultline-d-other']);
    await rig.injector.removeToxic('prices', 'faultline-d-other');
  });
});

describe('BullMQ executor with no worker on its queue', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('reports every scenario INCONCLUSIVE-env once no worker has been connected for the timeout, and leaves no job behind', async () => {
    const queueName = 'unattended';
    const plan = rig.plan({ phases: { baselineMs: 300, faultMs: 300, recoveryMs: 300 }, ratePerSec: 20 });
    const executor = new BullmqExecutor({ redisUrl: redis.url, queueName, noWorkerTimeoutMs: 300 });
    const queue = new Queue(queueName, { connection: redisConnection(redis.url, false) });
    try {
      const findings = await executor.run(plan, { runId: 'unattended-1' });
      expect(findings.results).toHaveLength(plan.scenarios.length);
      for (const r of findings.results) {
        expect(r.verdict).toBe('INCONCLUSIVE-env');
        expect(r.blame).toBe('environment');
        expect(r.blameReason).toContain('no worker was connected to queue "unattended"');
      }
      // Nothing is left for a worker that starts later to run behind the report's back.
      expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
    } finally {
      await queue.close();
      await executor.close();
    }
  });
});
