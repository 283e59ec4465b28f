import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../../generators/plan.js';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { FLAP_TTL_SLACK_MS, injectFault } from '../../../runners/execute/scenario/fault.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import type { FaultInjector } from '../../../runners/faults/fault-injector.js';

let server: RunningFaultProxy;
let injector: ToxiproxyInjector;
beforeAll(async () => {
  server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  injector = new ToxiproxyInjector(server.url);
});
afterAll(async () => {
  await server?.close();
});

/** The two fields the fault step reads. */
const scenarioWith = (proxy: string, toxic: Scenario['fault']['toxic'], attributes: Record<string, number> = toxic === 'latency' ? { latency: 1 } : {}, stream = 'downstream') =>
  ({ target: { proxy }, fault: { toxic, stream, toxicity: 1, attributes } }) as unknown as Scenario;

/** The real injector, with every setEnabled call written down (at, enabled, ttl). */
function recording(inner: FaultInjector) {
  const calls: { at: number; enabled: boolean; ttlMs?: number }[] = [];
  const t0 = performance.now();
  const injector: FaultInjector = Object.create(inner) as FaultInjector;
  injector.setEnabled = async (proxy, enabled, ttlMs) => {
    calls.push({ at: performance.now() - t0, enabled, ttlMs });
    await inner.setEnabled(proxy, enabled, ttlMs);
  };
  return { injector, calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sample the proxy's enabled flag every 20 ms for `ms`. */
async function sampleEnabled(proxy: string, ms: number): Promise<boolean[]> {
  const out: boolean[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    out.push((await injector.getProxy(proxy))?.enabled ?? true);
    await sleep(20);
  }
  return out;
}

/** Number of enabled → disabled edges in a sampled series. */
const downEdges = (series: boolean[]) => series.filter((v, i) => !v && (i === 0 || series[i - 1])).length;

describe('fault step', () => {
  it('ends a down fault by itself after its TTL when its worker dies before removing it', async () => {
    await injector.ensureProxy({ name: 'db', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
    await injectFault(injector, scenarioWith('db', 'down'), 'faultline-dead-s1', 150); // never removed: the worker "died"
    expect((await injector.getProxy('db'))?.enabled).toBe(false);
    await new Promise((r) => setTimeout(r, 450));
    expect((await injector.getProxy('db'))?.enabled).toBe(true);
  });

  it('removes a down fault and a toxic fault when asked, and a second removal is harmless', async () => {
    await injector.ensureProxy({ name: 'cache', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
    const down = await injectFault(injector, scenarioWith('cache', 'down'), 'faultline-w-s2', 60_000);
    await down.remove();
    await down.remove();
    expect((await injector.getProxy('cache'))?.enabled).toBe(true);
    const slow = await injectFault(injector, scenarioWith('cache', 'latency'), 'faultline-w-s3', 60_000);
    expect((await injector.getProxy('cache'))?.toxics.map((t) => [t.name, t.ttlMs])).toEqual([['faultline-w-s3', 60_000]]);
    await slow.remove();
    await slow.remove();
    expect((await injector.getProxy('cache'))?.toxics).toEqual([]);
  });

  it('flaps the proxy down and up for the fault phase, each disable with a TTL, and leaves it enabled with no timer once removed', async () => {
    await injector.ensureProxy({ name: 'flappy', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
    const rec = recording(injector);
    const flap = await injectFault(rec.injector, scenarioWith('flappy', 'flap', { down_ms: 150, up_ms: 150 }), 'faultline-w-s4', 60_000);
    const series = await sampleEnabled('flappy', 1000);
    await flap.remove();
    await flap.remove();
    expect(downEdges(series)).toBeGreaterThanOrEqual(3);
    expect(series.filter((v) => v).length).toBeGreaterThan(series.length / 4);
    expect(series.filter((v) => !v).length).toBeGreaterThan(series.length / 4);
    const disables = rec.calls.filter((c) => !c.enabled);
    expect(disables.length).toBeGreaterThanOrEqual(3);
    expect(disables.every((c) => c.ttlMs === 150 + FLAP_TTL_SLACK_MS)).toBe(true);
    expect((await injector.getProxy('flappy'))?.enabled).toBe(true);

    // No timer survives remove(): nothing toggles any more.
    const calls = rec.calls.length;
    expect(await sampleEnabled('flappy', 450)).not.toContain(false);
    expect(rec.calls.length).toBe(calls);
  });

  it('stops flapping by itself once the fault TTL has passed, even if remove() is never reached', async () => {
    await injector.ensureProxy({ name: 'flaptl', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
    const rec = recording(injector);
    const flap = await injectFault(rec.injector, scenarioWith('flaptl', 'flap', { down_ms: 100, up_ms: 100 }), 'faultline-w-s5', 400);
    await sleep(700);
    const calls = rec.calls.length;
    expect(await sampleEnabled('flaptl', 300)).not.toContain(false);
    expect(rec.calls.length).toBe(calls);
    // No disable asked the server for longer than the fault had left.
    expect(rec.calls.filter((c) => !c.enabled).every((c) => c.at + (c.ttlMs ?? 0) <= 400 + 50)).toBe(true);
    await flap.remove();
  });

  it('puts a per-request toxic on its one stream even when an older plan names the other', async () => {
    await injector.ensureProxy({ name: 'web', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
    const slow = await injectFault(injector, scenarioWith('web', 'http_delay', { latency: 200 }, 'downstream'), 'faultline-w-s6', 60_000);
    expect((await injector.getProxy('web'))?.toxics.map((t) => [t.type, t.stream, t.attributes])).toEqual([['http_delay', 'upstream', { latency: 200, jitter: 0 }]]);
    await slow.remove();
  });
});
