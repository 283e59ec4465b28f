/**
 * The wiring precedence, as one table: CLI flags / API body > manifest or
 * plan > environment > faultline's own proxy and the in-process executor;
 * relative trace files resolve against the document's folder.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chooseWiring, wire, wireWorker, type WiringDocument, type WiringOptions } from '../../src/wiring.js';
import { planContext } from '../../runners/execute/scenario/context.js';
import { loadConfig } from '../../src/config.js';
import { startFaultProxy } from '../../runners/proxy/server.js';
import { toyPlan } from '../runners/execute/toy-plan.js';
import { freePort } from '../support/ports.js';

const FLAG = 'http://flag:8474';
const DOC = 'http://manifest:8474';
const ENV = 'http://env:8474';

type Row = [label: string, options: WiringOptions, doc: Partial<WiringDocument> | undefined, env: Record<string, string>, injector: string, executor: string];

// injector/executor expectations: `<kind> <url?> from <origin>`.
const rows: Row[] = [
  ['nothing set: own proxy, in-process', {}, undefined, {}, 'in-process from default', 'in-process from default'],
  ['environment only', {}, undefined, { TOXIPROXY_URL: ENV, REDIS_URL: 'redis://env:1' }, `toxiproxy ${ENV} from environment`, 'bullmq redis://env:1 from environment'],
  ['manifest beats environment', {}, { kind: 'manifest', toxiproxy: { url: DOC } }, { TOXIPROXY_URL: ENV }, `toxiproxy ${DOC} from manifest`, 'in-process from default'],
  ['plan beats environment', {}, { kind: 'plan', toxiproxy: { url: `${DOC}/` } }, { TOXIPROXY_URL: ENV }, `toxiproxy ${DOC} from plan`, 'in-process from default'],
  ['flag beats plan and environment', { toxiproxyUrl: FLAG }, { kind: 'plan', toxiproxy: { url: DOC } }, { TOXIPROXY_URL: ENV }, `toxiproxy ${FLAG} from option`, 'in-process from default'],
  ['a manifest without url falls through to the environment', {}, { kind: 'manifest', toxiproxy: {} }, { TOXIPROXY_URL: ENV }, `toxiproxy ${ENV} from environment`, 'in-process from default'],
  ['redis option beats REDIS_URL', { redisUrl: 'redis://flag:1' }, undefined, { REDIS_URL: 'redis://env:1' }, 'in-process from default', 'bullmq redis://flag:1 from option'],
  ['--in-process beats REDIS_URL', { inProcess: true }, undefined, { REDIS_URL: 'redis://env:1' }, 'in-process from default', 'in-process from option'],
];

function show(c: { kind: string; url?: string; redisUrl?: string; from: string }): string {
  return [c.kind, c.url ?? c.redisUrl, 'from', c.from].filter(Boolean).join(' ');
}

describe('chooseWiring', () => {
  it.each(rows)('%s', (_label, options, doc, env, injector, executor) => {
    const choice = chooseWiring(options, doc && { baseDir: '/work/x', ...doc } as WiringDocument, loadConfig(env));
    expect(show(choice.injector)).toBe(injector);
    expect(show(choice.executor)).toBe(executor);
  });

  it("resolves relative trace files against the document's folder, and takes a flag's traces as given", () => {
    const base = join('/srv', 'plans');
    const fromDoc = chooseWiring({}, { kind: 'plan', baseDir: base, traces: { type: 'files', paths: ['traces/a.json', '/abs/b.json'] } }, loadConfig({}));
    expect(fromDoc.traces).toEqual({ from: 'plan', spec: { type: 'files', paths: [join(base, 'traces/a.json'), '/abs/b.json'] } });
    const fromFlag = chooseWiring({ traces: { type: 'jaeger', url: 'http://j:16686' } }, { kind: 'manifest', baseDir: base, traces: { type: 'files', paths: ['a.json'] } }, loadConfig({}));
    expect(fromFlag.traces).toEqual({ from: 'option', spec: { type: 'jaeger', url: 'http://j:16686' } });
    expect(chooseWiring({}, undefined, loadConfig({})).traces).toBeUndefined();
  });
});

describe('wire', () => {
  it('starts its own proxy only when no Toxiproxy API is named, and creates the plan proxies on it', async () => {
    const own = await wire({ config: loadConfig({}) });
    try {
      expect(own.proxy?.inProcess).toBe(true);
      const listen = `127.0.0.1:${await freePort()}`;
      await own.proxy!.provision(toyPlan({ frontUrl: 'http://127.0.0.1:1', proxyListen: listen, pricesAddress: '127.0.0.1:2' }).proxies);
      expect((await own.injector!.getProxy('prices'))?.listen).toBe(listen);
    } finally {
      await own.close();
    }
    const outside = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    const named = await wire({ config: loadConfig({ TOXIPROXY_URL: outside.url }) });
    try {
      expect(named.proxy?.inProcess).toBe(false);
      expect(named.injector?.describe).toBe(`toxiproxy ${outside.url}`);
      expect(named.executor.describe).toBe(`in-process (toxiproxy ${outside.url})`);
    } finally {
      await named.close();
      await outside.close();
    }
  });

  it('leaves the injector to the workers when scenarios go to BullMQ, unless asked for one', async () => {
    const queued = await wire({ config: loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }) });
    expect(queued.injector).toBeUndefined();
    expect(queued.executor.describe).toMatch(/^bullmq/);
    await queued.close();
  });
});

describe('wireWorker', () => {
  it("wires each job from its plan: the plan's fault proxy with its proxies created, and the plan's trace source", async () => {
    const outside = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    const worker = await wireWorker({ config: loadConfig({}) });
    try {
      const listen = `127.0.0.1:${await freePort()}`;
      const plan = { ...toyPlan({ frontUrl: 'http://127.0.0.1:1', proxyListen: listen, pricesAddress: '127.0.0.1:2' }), toxiproxy: { url: outside.url }, traces: { type: 'files' as const, paths: ['/srv/traces.json'] } };
      const job = await worker.jobDeps(planContext(plan));
      expect(job.injector.describe).toBe(`toxiproxy ${outside.url}`);
      expect(job.traceSource?.describe).toBe('file /srv/traces.json');
      expect(outside.registry.list().map((p) => [p.name, p.listen])).toEqual([['prices', listen]]);
      // Without a URL in the plan the job runs on the worker's own proxy, and an otlp plan has no spans here.
      const own = await worker.jobDeps(planContext({ ...plan, toxiproxy: undefined, traces: { type: 'otlp' }, proxies: [{ ...plan.proxies[0], listen: '127.0.0.1:0' }] }));
      expect(own.injector).toBe(worker.injector);
      expect(own.traceSource).toBeUndefined();
    } finally {
      await worker.close();
      await outside.close();
    }
  });
});
