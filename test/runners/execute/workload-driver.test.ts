import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { startWorkload } from '../../../runners/execute/workload/driver.js';
import type { ManifestEntrypoint } from '../../../generators/manifest.js';
import { freePort } from '../../support/ports.js';
import { startToyHttp, type ToyHttp } from './toy-http.js';

let toy: ToyHttp;
beforeEach(async () => {
  toy = await startToyHttp();
});
afterEach(async () => {
  await toy.close();
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function clockFrom(): () => number {
  const t0 = performance.now();
  return () => performance.now() - t0;
}

function entry(over: Partial<ManifestEntrypoint> = {}): ManifestEntrypoint {
  return { name: 'orders', method: 'POST', url: `${toy.url}/orders`, body: { key: '{{key}}', qty: '{{int 1 5}}' }, idempotencyHeader: 'idempotency-key', ...over };
}

describe('workload driver', () => {
  it('records ops with rendered bodies, the key in the idempotency header, status and parsed output', async () => {
    const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 100, seed: 3, arrivals: 'fixed', clock: clockFrom() });
    await wait(300);
    const report = await run.stop();
    expect(report.ops.length).toBeGreaterThan(5);
    const op = report.ops[0];
    expect(op).toMatchObject({ id: 0, type: 'orders', ok: true, status: 200, timeout: false, epoch: 'baseline', node: 'toy-1' });
    expect((op.output as { n: number }).n).toBeGreaterThan(0);
    const input = op.input as { key: string; qty: number };
    expect(input.key).toBe(op.key);
    expect(input.qty).toBeGreaterThanOrEqual(1);
    const sent = toy.received.find((r) => r.headers['idempotency-key'] === op.key);
    expect(JSON.parse(sent!.body)).toEqual(input);
    expect(report.generatedKeys).toContain(op.key);
    expect(op.completeMs).toBeGreaterThanOrEqual(op.invokeMs);
  });

  it('records which resource and path each op addressed from its URL placeholders, and no resource for a fixed URL', async () => {
    const eps = [entry({ name: 'byId', url: `${toy.url}/orders/ord-{{int 1 3}}` }), entry()];
    const run = startWorkload({ entrypoints: eps, mix: [{ name: 'byId', weight: 1 }, { name: 'orders', weight: 1 }], ratePerSec: 100, seed: 3, arrivals: 'fixed', clock: clockFrom() });
    await wait(300);
    const report = await run.stop();
    const byId = report.ops.filter((o) => o.type === 'byId');
    expect(byId.length).toBeGreaterThan(0);
    for (const o of byId) {
      expect(['1', '2', '3']).toContain(o.resource);
      expect(o.path).toBe(`/orders/ord-${o.resource}`);
    }
    for (const o of report.ops.filter((x) => x.type === 'orders')) expect(o.resource).toBeUndefined();
  });

  it('sends every op its own sampled W3C traceparent and faultline baggage, and records the trace id', async () => {
    const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 100, seed: 3, arrivals: 'fixed', clock: clockFrom(), scenarioId: 'orders_under_reset' });
    await wait(200);
    const report = await run.stop();
    expect(report.ops.length).toBeGreaterThan(3);
    for (const op of report.ops) {
      const sent = toy.received.find((r) => r.headers['idempotency-key'] === op.key);
      expect(sent?.headers.traceparent).toMatch(new RegExp(`^00-${op.traceId}-[0-9a-f]{16}-01$`));
      expect(sent?.headers.baggage).toBe(`faultline.scenario=orders_under_reset,faultline.request_key=${op.key}`);
    }
    expect(new Set(report.ops.map((o) => o.traceId)).size).toBe(report.ops.length);
  });

  it('keeps a traceparent the entrypoint sets itself', async () => {
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const run = startWorkload({ entrypoints: [entry({ headers: { TraceParent: own } })], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 50, seed: 3, arrivals: 'fixed', clock: clockFrom() });
    await wait(100);
    const report = await run.stop();
    expect(report.ops[0].traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(toy.received[0].headers.traceparent).toBe(own);
  });

  it('records per op how late it was sent: a stalled harness makes exactly the ops due during the stall late', async () => {
    // The harness clock jumps 2 s (a stalled host); the arrivals due in that gap go out late, at once.
    const real = clockFrom();
    let stall = 0;
    const clock = () => real() + stall;
    const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 20, seed: 5, arrivals: 'fixed', clock });
    await wait(200);
    stall = 2000;
    const stalledAt = clock();
    await wait(300);
    const report = await run.stop();
    const late = report.ops.filter((o) => (o.lagMs ?? 0) > 1000);
    // 20/s over the first second of the 2 s gap: about 20 ops more than 1 s late.
    expect(late.length).toBeGreaterThanOrEqual(15);
    expect(late.length).toBeLessThanOrEqual(25);
    expect(late.every((o) => o.invokeMs >= stalledAt - 1 && o.invokeMs < stalledAt + 250)).toBe(true);
    expect(report.ops.filter((o) => o.invokeMs < stalledAt - 1).every((o) => (o.lagMs ?? 0) < 1000)).toBe(true);
    expect(report.ops.every((o) => typeof o.lagMs === 'number' && o.lagMs >= 0)).toBe(true);
  });

  it('generates the same keys and bodies for the same seed', async () => {
    const runOnce = async () => {
      const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 50, seed: 11, clock: clockFrom() });
      await wait(250);
      return (await run.stop()).ops.slice(0, 3).map((o) => [o.key, o.input]);
    };
    const a = await runOnce();
    const b = await runOnce();
    expect(a.length).toBe(3);
    expect(b).toEqual(a);
  });

  it('repeats a re-run workload with fresh request keys, so idempotency does not turn it into a replay', async () => {
    const runOnce = async (attempt: number) => {
      const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 50, seed: 11, attempt, clock: clockFrom() });
      await wait(250);
      return (await run.stop()).ops.slice(0, 3);
    };
    const first = await runOnce(0);
    const rerun = await runOnce(1);
    // Same bodies, except where the body carries the (fresh) request key itself.
    const shape = (o: (typeof first)[number]) => ({ ...(o.input as object), key: (o.input as { key?: string }).key === o.key ? '{{key}}' : 'other' });
    expect(rerun.map(shape)).toEqual(first.map(shape));
    for (const [i, op] of rerun.entries()) {
      expect(op.key).not.toBe(first[i].key);
      expect(op.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('sends another run of the same plan fresh request keys, so a system that kept its state sees no replay', async () => {
    // A weekly sweep or a second `faultline run plan.json` against a long-lived system.
    const runOnce = async (keySalt: number, attempt = 0) => {
      const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 50, seed: 11, attempt, keySalt, clock: clockFrom() });
      await wait(250);
      return (await run.stop()).ops.slice(0, 3);
    };
    const [a, again, b, bRerun] = [await runOnce(7), await runOnce(7), await runOnce(8), await runOnce(8, 1)];
    const shape = (o: (typeof a)[number]) => ({ ...(o.input as object), key: (o.input as { key?: string }).key === o.key ? '{{key}}' : 'other' });
    expect(b.map(shape)).toEqual(a.map(shape));
    expect(again.map((o) => o.key)).toEqual(a.map((o) => o.key));
    const all = [...a, ...b, ...bRerun].map((o) => o.key);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps issuing at the planned rate when the server is slow (open loop)', async () => {
    toy.behaviour.delayMs = 800;
    const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 50, seed: 1, arrivals: 'fixed', clock: clockFrom() });
    await wait(600);
    const issuedWhileSlow = toy.received.length;
    const report = await run.stop();
    // 600 ms at 50/s = 30 arrivals; a closed loop would have issued at most a handful.
    expect(issuedWhileSlow).toBeGreaterThanOrEqual(15);
    expect(report.ops.length).toBe(report.scheduled);
    expect(report.ops.every((o) => o.ok)).toBe(true);
  });

  it('records a request that outlives its timeout as timeout=true with no output, neither success nor failure', async () => {
    toy.behaviour.hang = true;
    const run = startWorkload({ entrypoints: [entry({ timeoutMs: 150 })], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 20, seed: 2, arrivals: 'fixed', clock: clockFrom() });
    await wait(200);
    const report = await run.stop();
    expect(report.ops.length).toBeGreaterThan(0);
    for (const op of report.ops) {
      expect(op.timeout).toBe(true);
      expect(op.ok).toBe(false);
      expect(op.output).toBeUndefined();
      expect(op.error).toBeUndefined();
      expect(op.status).toBeUndefined();
    }
  });

  it('counts arrivals dropped by the in-flight cap as harness errors', async () => {
    toy.behaviour.hang = true;
    const run = startWorkload({
      entrypoints: [entry({ timeoutMs: 400 })],
      mix: [{ name: 'orders', weight: 1 }],
      ratePerSec: 100,
      seed: 2,
      arrivals: 'fixed',
      maxInFlight: 3,
      clock: clockFrom(),
    });
    await wait(300);
    const report = await run.stop();
    expect(report.ops.length).toBe(3);
    expect(report.dropped).toBe(report.scheduled - 3);
    expect(report.dropped).toBeGreaterThan(5);
    expect(report.driverErrors).toBe(report.dropped);
  });

  it('tags ops with the phase they were invoked in and reports its own lag', async () => {
    const run = startWorkload({ entrypoints: [entry()], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 100, seed: 5, arrivals: 'fixed', clock: clockFrom() });
    await wait(150);
    run.setPhase('fault');
    await wait(150);
    const report = await run.stop();
    const epochs = new Set(report.ops.map((o) => o.epoch));
    expect(epochs).toEqual(new Set(['baseline', 'fault']));
    expect(report.lag.arrivalLagMaxMs).toBeGreaterThanOrEqual(0);
    expect(report.lag.eventLoopDelayMaxMs).toBeGreaterThan(0);
  });

  it('re-asks, after the fault, the resources whose requests failed during it, with fresh request keys', async () => {
    const eps = [entry({ name: 'byId', method: 'GET', body: undefined, url: `${toy.url}/orders/ord-{{int 1 1000000}}` })];
    const run = startWorkload({ entrypoints: eps, mix: [{ name: 'byId', weight: 1 }], ratePerSec: 100, seed: 4, arrivals: 'fixed', clock: clockFrom() });
    await wait(100);
    toy.behaviour.status = 503;
    run.setPhase('fault');
    await wait(150);
    toy.behaviour.status = 200;
    run.setPhase('recovery');
    await wait(400);
    const report = await run.stop();
    const failed = report.ops.filter((o) => o.epoch === 'fault' && !o.ok);
    expect(failed.length).toBeGreaterThan(5);
    const recovery = report.ops.filter((o) => o.epoch === 'recovery');
    const revisits = recovery.filter((o) => o.revisitOf !== undefined);
    // About half of the recovery load, never all of it.
    expect(revisits.length).toBeGreaterThan(recovery.length / 5);
    expect(revisits.length).toBeLessThan(recovery.length);
    for (const r of revisits) {
      const of = report.ops[r.revisitOf!];
      expect(of.epoch).toBe('fault');
      expect(of.ok).toBe(false);
      expect(r.resource).toBe(of.resource);
      expect(r.key).not.toBe(of.key);
    }
    // Each failed resource is re-asked once before any is re-asked twice.
    const order = revisits.map((r) => r.resource);
    const firstRound = order.slice(0, new Set(failed.map((o) => o.resource)).size);
    expect(new Set(firstRound).size).toBe(firstRound.length);
    // Nothing is re-asked before the fault ends, and nothing that succeeded is.
    expect(report.ops.filter((o) => o.epoch !== 'recovery' && o.revisitOf !== undefined)).toEqual([]);
  });

  it('records a refused connection as a failed op with the transport error', async () => {
    const port = await freePort();
    const run = startWorkload({ entrypoints: [entry({ url: `http://127.0.0.1:${port}/x` })], mix: [{ name: 'orders', weight: 1 }], ratePerSec: 20, seed: 1, clock: clockFrom() });
    await wait(200);
    const report = await run.stop();
    expect(report.ops.length).toBeGreaterThan(0);
    expect(report.ops[0]).toMatchObject({ ok: false, timeout: false, error: 'ECONNREFUSED' });
  });

  it('rejects a mix naming an entrypoint the plan lacks', () => {
    expect(() => startWorkload({ entrypoints: [entry()], mix: [{ name: 'nope', weight: 1 }], ratePerSec: 1, seed: 1, clock: clockFrom() })).toThrow(/"nope"/);
  });
});
