import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../../base/errors.js';
import { startFaultProxy } from '../../../runners/proxy/server.js';
import { ToxiproxyInjector } from '../../../runners/faults/toxiproxy-injector.js';
import { freePort } from '../../support/ports.js';
import { faultInjectorContract } from './fault-injector.contract.js';

faultInjectorContract('ToxiproxyInjector → faultline proxy', async () => {
  const server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  return { injector: new ToxiproxyInjector(server.url), close: () => server.close() };
});

describe('ToxiproxyInjector specifics', () => {
  it('throws PROXY_UNAVAILABLE when nothing listens at the URL', async () => {
    const port = await freePort();
    const err = await new ToxiproxyInjector(`http://127.0.0.1:${port}`).version().catch((e: unknown) => e);
    expect(isFaultlineError(err, 'PROXY_UNAVAILABLE')).toBe(true);
  });

  it('sends ttl_ms so the faultline proxy removes the toxic itself', async () => {
    const server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    try {
      const inj = new ToxiproxyInjector(server.url);
      await inj.ensureProxy({ name: 'ttl', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
      await inj.addToxic('ttl', { name: 'short', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 1 }, ttlMs: 100 });
      expect((await inj.getProxy('ttl'))?.toxics.map((t) => [t.name, t.ttlMs])).toEqual([['short', 100]]);
      await new Promise((r) => setTimeout(r, 350));
      expect((await inj.getProxy('ttl'))?.toxics).toEqual([]);
      expect(await inj.counters('nope')).toBeUndefined();
      expect(await inj.version()).toBe('2.12.0+faultline');
    } finally {
      await server.close();
    }
  });

  it('takes a proxy down with ttl_ms so the faultline proxy brings it back itself (a down fault whose worker died)', async () => {
    const server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    try {
      const inj = new ToxiproxyInjector(server.url);
      await inj.ensureProxy({ name: 'down', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
      await inj.setEnabled('down', false, 100);
      expect((await inj.getProxy('down'))?.enabled).toBe(false);
      await new Promise((r) => setTimeout(r, 350));
      expect((await inj.getProxy('down'))?.enabled).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('ensureProxy moves an existing proxy to a new upstream', async () => {
    const server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    try {
      const inj = new ToxiproxyInjector(server.url);
      await inj.ensureProxy({ name: 'mv', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
      const moved = await inj.ensureProxy({ name: 'mv', listen: '127.0.0.1:0', upstream: '127.0.0.1:10' });
      expect(moved.upstream).toBe('127.0.0.1:10');
    } finally {
      await server.close();
    }
  });
});
