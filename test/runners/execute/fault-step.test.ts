import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../../generators/plan.js';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { injectFault } from '../../../runners/execute/scenario/fault.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';

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
const scenarioWith = (proxy: string, toxic: Scenario['fault']['toxic']) =>
  ({ target: { proxy }, fault: { toxic, stream: 'downstream', toxicity: 1, attributes: toxic === 'latency' ? { latency: 1 } : {} } }) as unknown as Scenario;

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
});
