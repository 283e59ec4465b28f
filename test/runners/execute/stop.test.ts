/**
 * The emergency stop reaches every BullMQ worker: a run cancelled mid-fault
 * (through `POST /v1/stop`, or its executor's signal alone) aborts the
 * worker's attempt, takes the toxic off, never re-runs the FAILing scenario
 * and leaves a job and a run record that both say cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { BullmqExecutor } from '../../../runners/execute/bullmq-executor.js';
import { Redis } from 'ioredis';
import { redisConnection, scenarioJobId } from '../../../runners/execute/queue.js';
import { cancelledKey } from '../../../runners/execute/stop-signal.js';
import { startWorker, type RunningWorker } from '../../../runners/execute/scenario-worker.js';
import type { ProgressEvent } from '../../../runners/execute/executor.js';
import { startRedis, type PrivateRedis } from '../../support/redis.js';
import { harness, auth, type Harness } from '../../src/harness.js';
import { startRig, type Rig } from './rig.js';

const SCENARIO = 'orders_available_under_prices_latency';
/** Long enough that the attempt, its recovery and a same-seed re-run would all fall inside the watch below. */
const PHASES = { baselineMs: 400, faultMs: 4000, recoveryMs: 400 };
/** How long a toxic must stay away after the stop: the rest of the fault, recovery and a whole re-run. */
const WATCH_MS = 7000;

let redis: PrivateRedis;
let rig: Rig;
const workers: RunningWorker[] = [];
beforeAll(async () => {
  redis = await startRedis();
  rig = await startRig();
  // The front answers 503 while prices is slow: the scenario FAILs, so without a stop it would re-run.
  rig.toy.settings.bug = true;
});
afterAll(async () => {
  for (const w of workers) await w.close(true);
  await rig?.close();
  await redis?.stop();
});

const toxics = async () => ((await rig.injector.getProxy('prices'))?.toxics ?? []).map((t) => t.name);
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(fn: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`condition not reached in ${ms} ms (last: ${JSON.stringify(v)})`);
    await delay(25);
  }
}

/** Ms until the prices proxy has no toxic, then watch that none comes back; returns every toxic seen while watching. */
async function goneAndStaysGone(since: number): Promise<{ goneAfterMs: number; seen: string[] }> {
  await until(toxics, (t) => t.length === 0, 5000);
  const goneAfterMs = performance.now() - since;
  const seen = new Set<string>();
  const end = performance.now() + WATCH_MS;
  while (performance.now() < end) {
    for (const t of await toxics()) seen.add(t);
    await delay(50);
  }
  return { goneAfterMs, seen: [...seen] };
}

async function jobOf(queueName: string, runId: string, scenarioId = SCENARIO) {
  const queue = new Queue(queueName, { connection: redisConnection(redis.url, false) });
  try {
    const job = await queue.getJob(scenarioJobId(runId, scenarioId));
    return { state: await job?.getState(), failedReason: job?.failedReason, attemptsMade: job?.attemptsMade };
  } finally {
    await queue.close();
  }
}

describe('emergency stop with BullMQ workers', () => {
  let h: Harness;
  let executor: BullmqExecutor;
  const queueName = 'stop-api';
  beforeAll(async () => {
    workers.push(await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'w-api', quiesceMs: 50 }));
    executor = new BullmqExecutor({ redisUrl: redis.url, queueName });
    h = await harness({}, { executor, injector: rig.injector });
  });
  afterAll(async () => {
    await h?.app.close();
    await executor?.close();
  });

  it('POST /v1/stop mid-fault: the toxic is gone within a second and never returns, the job and the run record both say cancelled', async () => {
    const plan = rig.plan({ phases: PHASES, ratePerSec: 40 });
    await h.store.put('plans', plan);
    const started = await h.app.inject({ method: 'POST', url: '/v1/runs', headers: auth, payload: { planId: plan.id } });
    expect(started.statusCode).toBe(202);
    const runId = started.json().id as string;
    await until(toxics, (t) => t.length > 0);

    const t0 = performance.now();
    const stop = await h.app.inject({ method: 'POST', url: '/v1/stop', headers: auth });
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toEqual({ cancelled: [runId], reset: true });
    const { goneAfterMs, seen } = await goneAndStaysGone(t0);
    expect(goneAfterMs).toBeLessThan(1000);
    expect(seen).toEqual([]);

    const job = await jobOf(queueName, runId);
    expect(job).toMatchObject({ state: 'failed', attemptsMade: 1 });
    expect(job.failedReason).toMatch(/^cancelled: /);
    const record = (await h.app.inject({ method: 'GET', url: `/v1/runs/${runId}` })).json();
    expect(record.status).toBe('cancelled');
    const findings = (await h.app.inject({ method: 'GET', url: `/v1/runs/${runId}/findings` })).json();
    expect(findings.results).toHaveLength(1);
    expect(findings.results[0]).toMatchObject({ scenarioId: SCENARIO, verdict: 'INCONCLUSIVE-env', attempts: 1 });
    expect(findings.results[0].blameReason).toContain('cancelled');
  }, 40_000);

  it('POST /v1/stop also stops a run this server did not start (a CLI run on the same queue): no toxic returns, its job ends cancelled', async () => {
    const cli = new BullmqExecutor({ redisUrl: redis.url, queueName });
    try {
      let stopped: Promise<{ statusCode: number; t0: number }> | undefined;
      const findings = await cli.run(rig.plan({ phases: PHASES, ratePerSec: 40 }), { runId: 'cli-1' }, (e) => {
        if (e.stage === 'fault' && !stopped) {
          const t0 = performance.now();
          stopped = h.app.inject({ method: 'POST', url: '/v1/stop', headers: auth }).then((r) => ({ statusCode: r.statusCode, t0 }));
        }
      });
      const stop = await stopped!;
      expect(stop.statusCode).toBe(200);
      const { goneAfterMs, seen } = await goneAndStaysGone(stop.t0);
      expect(goneAfterMs).toBeLessThan(1000);
      expect(seen).toEqual([]);
      expect(findings.results[0]).toMatchObject({ verdict: 'INCONCLUSIVE-env', attempts: 1, blameReason: 'run cancelled: emergency stop (POST /v1/stop)' });
      expect(await jobOf(queueName, 'cli-1')).toMatchObject({ state: 'failed', attemptsMade: 1, failedReason: 'cancelled: emergency stop (POST /v1/stop)' });
    } finally {
      await cli.close();
    }
  }, 40_000);
});

describe('a cancelled run on a worker whose proxy the canceller cannot reach', () => {
  it('aborts the attempt on the worker itself: its toxic comes off within a second with no proxy reset, no re-run, the job ends cancelled', async () => {
    const queueName = 'stop-signal';
    workers.push(await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'w-sig', quiesceMs: 50 }));
    const executor = new BullmqExecutor({ redisUrl: redis.url, queueName });
    const controller = new AbortController();
    const stages: ProgressEvent['stage'][] = [];
    let t0 = 0;
    // A second scenario on the same proxy waits for the first (proxy lock): once the run is cancelled it must never start.
    const plan = rig.plan({ phases: PHASES, ratePerSec: 40 });
    const second = structuredClone(plan.scenarios[0]);
    second.id = 'orders_available_second';
    plan.scenarios.push(second);
    try {
      const done = executor.run(plan, { runId: 'sig-1', signal: controller.signal }, (e) => {
        stages.push(e.stage);
        if (e.stage === 'fault' && !controller.signal.aborted) {
          t0 = performance.now();
          controller.abort(new Error('stopped by the operator'));
        }
      });
      const findings = await done;
      const { goneAfterMs, seen } = await goneAndStaysGone(t0);
      expect(goneAfterMs).toBeLessThan(1000);
      expect(seen).toEqual([]);
      expect(stages).not.toContain('rerun');
      expect(stages.filter((s) => s === 'fault')).toHaveLength(1);
      expect(findings.results).toHaveLength(2);
      for (const r of findings.results) {
        expect(r).toMatchObject({ verdict: 'INCONCLUSIVE-env', attempts: 1 });
        expect(r.blameReason).toContain('cancelled: stopped by the operator');
      }
      for (const id of [SCENARIO, second.id]) {
        const job = await jobOf(queueName, 'sig-1', id);
        expect(job).toMatchObject({ state: 'failed', attemptsMade: 1 });
        expect(job.failedReason).toBe('cancelled: stopped by the operator');
      }
    } finally {
      await executor.close();
    }
  }, 40_000);
});

describe('a stop whose message a worker missed', () => {
  it('is still seen by the worker polling the run\'s cancelled key: the toxic comes off and the job ends cancelled', async () => {
    const queueName = 'stop-poll';
    workers.push(await startWorker({ redisUrl: redis.url, queueName, injector: rig.injector, owner: 'w-poll', quiesceMs: 50, stopPollMs: 200 }));
    const executor = new BullmqExecutor({ redisUrl: redis.url, queueName });
    const writer = new Redis(redis.url);
    let t0 = 0;
    try {
      // Only the key, no message: as if the worker had been reconnecting when the stop was published.
      const findings = await executor.run(rig.plan({ phases: PHASES, ratePerSec: 40 }), { runId: 'poll-1' }, (e) => {
        if (e.stage === 'fault' && t0 === 0) {
          t0 = performance.now();
          void writer.set(cancelledKey(queueName, 'poll-1'), 'stopped while you were away');
        }
      });
      const { goneAfterMs, seen } = await goneAndStaysGone(t0);
      expect(goneAfterMs).toBeLessThan(1000);
      expect(seen).toEqual([]);
      expect(findings.results[0]).toMatchObject({ verdict: 'INCONCLUSIVE-env', attempts: 1 });
      expect(findings.results[0].blameReason).toBe('run cancelled: stopped while you were away');
      expect(await jobOf(queueName, 'poll-1')).toMatchObject({ state: 'failed', failedReason: 'cancelled: stopped while you were away' });
    } finally {
      await writer.quit();
      await executor.close();
    }
  }, 40_000);
});

describe('a run cancelled while no worker holds its jobs', () => {
  it('is reported cancelled after the grace, and its jobs are off the queue so no later worker runs them', async () => {
    const queueName = 'stop-unheld';
    const executor = new BullmqExecutor({ redisUrl: redis.url, queueName, cancelGraceMs: 300, noWorkerTimeoutMs: 60_000 });
    const controller = new AbortController();
    const queue = new Queue(queueName, { connection: redisConnection(redis.url, false) });
    try {
      const findings = await executor.run(rig.plan({ phases: PHASES, ratePerSec: 40 }), { runId: 'unheld-1', signal: controller.signal }, (e) => {
        if (e.stage === 'queued') controller.abort(new Error('stopped before any worker came'));
      });
      expect(findings.results[0]).toMatchObject({ verdict: 'INCONCLUSIVE-env', attempts: 1 });
      expect(findings.results[0].blameReason).toBe('run cancelled: stopped before any worker came (no worker confirmed within 300 ms)');
      expect(await queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
    } finally {
      await queue.close();
      await executor.close();
    }
  }, 20_000);
});
