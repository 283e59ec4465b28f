import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../../runners/proxy/server.js';
import { spawnCli, type CliProcess } from '../../src/cli/cli-process.js';
import { dial, startEcho } from './sockets.js';

let echo: Awaited<ReturnType<typeof startEcho>>;
let proxy: CliProcess | undefined;
beforeAll(async () => {
  echo = await startEcho();
});
afterAll(async () => {
  if (proxy && proxy.child.exitCode === null && proxy.child.signalCode === null) proxy.child.kill('SIGKILL');
  await echo.close();
});

async function api(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method, headers: body === undefined ? undefined : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Bytes the socket receives within `ms`. */
function received(socket: import('node:net').Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    socket.on('data', (b: Buffer) => (got += b.toString()));
    setTimeout(() => resolve(got), ms);
  });
}

describe('the fault proxy shutting down', () => {
  it('`faultline proxy` exits promptly on SIGTERM although a removed 600 s latency toxic still had data in flight', async () => {
    proxy = spawnCli(['proxy', '--port', '0', '--json']);
    const [line] = await proxy.waitFor(/\{"url".*\}/);
    const base = (JSON.parse(line) as { url: string }).url;
    const created = (await (await api(base, 'POST', '/proxies', { name: 'slow', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` })).json()) as { listen: string };
    expect((await api(base, 'POST', '/proxies/slow/toxics', { name: 'hang', type: 'latency', attributes: { latency: 600_000 } })).status).toBe(200);
    const socket = await dial(Number(created.listen.split(':').pop()));
    socket.on('error', () => undefined);
    socket.write('in flight');
    await new Promise((r) => setTimeout(r, 200)); // the echo answered; the answer now waits in the toxic
    expect((await api(base, 'DELETE', '/proxies/slow/toxics/hang')).status).toBe(204);

    proxy.child.kill('SIGTERM');
    // A generous bound: this checks that it exits at all, not how fast.
    const exit = await proxy.exited(5000);
    socket.destroy();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proxy.stderr()).toContain('SIGTERM: closing proxies');
  }, 30_000);

  it('lets data held by a latency toxic go on as soon as the toxic is removed, as Toxiproxy does', async () => {
    const server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    try {
      const p = await server.registry.create({ name: 'held', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      server.registry.addToxic('held', { name: 'hang', type: 'latency', attributes: { latency: 600_000 } });
      const socket = await dial(Number(p.listen.split(':').pop()));
      const got = received(socket, 1500);
      socket.write('held');
      await new Promise((r) => setTimeout(r, 200));
      server.registry.removeToxic('held', 'hang');
      expect(await got).toBe('held');
      socket.destroy();
    } finally {
      await server.close();
    }
  });
});
