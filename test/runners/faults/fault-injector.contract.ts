/**
 * The FaultInjector contract: every injector (ToxiproxyInjector against
 * faultline's proxy, or against a real Toxiproxy when one is at hand) must
 * pass it. `counters` may answer undefined (a real Toxiproxy); when it
 * answers, the counts must be right.
 */
import { createServer, connect, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../../base/errors.js';
import type { FaultInjector } from '../../../runners/faults/fault-injector.js';

/** What a contract run needs: a fresh injector and a way to tear its server down. */
export interface InjectorHarness {
  injector: FaultInjector;
  close(): Promise<void>;
}

function echoServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ port: (server.address() as { port: number }).port, server })));
}

function echoOnce(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      if (got.length >= text.length) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
  });
}

/** Run the FaultInjector contract against injectors made by `make`. */
export function faultInjectorContract(label: string, make: () => Promise<InjectorHarness>): void {
  describe(`FaultInjector contract: ${label}`, () => {
    let h: InjectorHarness;
    let echo: { port: number; server: Server };
    let n = 0;
    const name = () => `contract_${++n}`;

    beforeAll(async () => {
      h = await make();
      echo = await echoServer();
    });
    afterAll(async () => {
      await h.injector.reset();
      await h.close();
      await new Promise((r) => echo.server.close(r));
    });

    it('reports a non-empty version and a description', async () => {
      expect((await h.injector.version()).length).toBeGreaterThan(0);
      expect(h.injector.describe.length).toBeGreaterThan(0);
    });

    it('ensureProxy creates a proxy that forwards, and is idempotent', async () => {
      const p = name();
      const state = await h.injector.ensureProxy({ name: p, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      expect(state).toMatchObject({ name: p, upstream: `127.0.0.1:${echo.port}`, enabled: true, toxics: [] });
      const port = Number(state.listen.split(':').pop());
      expect(port).toBeGreaterThan(0);
      expect(await echoOnce(port, 'hi')).toBe('hi');
      const again = await h.injector.ensureProxy({ name: p, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      expect(again.listen).toBe(state.listen);
      expect((await h.injector.listProxies()).map((x) => x.name)).toContain(p);
    });

    it('getProxy answers undefined for a missing proxy', async () => {
      expect(await h.injector.getProxy('contract_missing')).toBeUndefined();
    });

    it('adds and removes toxics; removing a missing toxic is not an error', async () => {
      const p = name();
      await h.injector.ensureProxy({ name: p, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      await h.injector.addToxic(p, { name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 5, jitter: 0 } });
      expect((await h.injector.getProxy(p))?.toxics).toEqual([
        { name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 5, jitter: 0 } },
      ]);
      await h.injector.removeToxic(p, 'lat');
      await h.injector.removeToxic(p, 'lat');
      expect((await h.injector.getProxy(p))?.toxics).toEqual([]);
    });

    it('adding a toxic to a missing proxy fails with NOT_FOUND', async () => {
      const err = await h.injector
        .addToxic('contract_missing', { name: 'x', type: 'noop', stream: 'upstream', toxicity: 1, attributes: {} })
        .catch((e: unknown) => e);
      expect(isFaultlineError(err, 'NOT_FOUND')).toBe(true);
    });

    it('setEnabled takes a proxy down and reset brings it back without toxics', async () => {
      const p = name();
      const st = await h.injector.ensureProxy({ name: p, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      await h.injector.addToxic(p, { name: 'n', type: 'noop', stream: 'upstream', toxicity: 1, attributes: {} });
      await h.injector.setEnabled(p, false);
      expect((await h.injector.getProxy(p))?.enabled).toBe(false);
      await h.injector.reset();
      const after = await h.injector.getProxy(p);
      expect(after).toMatchObject({ enabled: true, toxics: [] });
      expect(await echoOnce(Number(st.listen.split(':').pop()), 'up')).toBe('up');
    });

    it('counters, when available, count connections and touched connections', async () => {
      const p = name();
      const st = await h.injector.ensureProxy({ name: p, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      await h.injector.addToxic(p, { name: 'touch', type: 'noop', stream: 'downstream', toxicity: 1, attributes: {} });
      await echoOnce(Number(st.listen.split(':').pop()), 'abc');
      const c = await h.injector.counters(p);
      if (c === undefined) return; // a real Toxiproxy has no counters
      expect(c).toMatchObject({ proxy: p, connections: 1, bytesUpstream: 3 });
      expect(c.toxics.touch.touched).toBe(1);
    });
  });
}
