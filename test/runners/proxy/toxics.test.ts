import { afterEach, describe, expect, it } from 'vitest';
import { echoProxyRig } from './echo-proxy.js';
import { dial, readFrom, roundTrip } from './sockets.js';

const rig = echoProxyRig();
let seq = 0;

/** A fresh proxy to the echo server with the given toxics; returns its port. */
async function proxyWith(toxics: unknown[] = []): Promise<{ name: string; port: number }> {
  const name = `p${++seq}`;
  const state = await rig.server.registry.create({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${rig.echo.port}` });
  for (const t of toxics) rig.server.registry.addToxic(name, t);
  return { name, port: Number(state.listen.split(':')[1]) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  for (const p of rig.server.registry.list()) await rig.server.registry.remove(p.name);
});

describe('toxic effects on real sockets', () => {
  it('passes bytes untouched with no toxic', async () => {
    const { port } = await proxyWith();
    const s = await dial(port);
    const payload = Buffer.alloc(256 * 1024, 7);
    const rt = await roundTrip(s, payload);
    expect(rt.data.equals(payload)).toBe(true);
    s.destroy();
  });

  it('latency 200 ms adds at least 200 ms and well under a second per round trip', async () => {
    const { port } = await proxyWith([{ type: 'latency', attributes: { latency: 200 } }]);
    const s = await dial(port);
    const rt = await roundTrip(s, Buffer.from('ping'));
    expect(rt.data.toString()).toBe('ping');
    expect(rt.ms).toBeGreaterThanOrEqual(195);
    expect(rt.ms).toBeLessThan(1000);
    s.destroy();
  });

  it('a toxic added while a connection is open affects that connection', async () => {
    const { name, port } = await proxyWith();
    const s = await dial(port);
    expect((await roundTrip(s, Buffer.from('a'))).ms).toBeLessThan(150);
    rig.server.registry.addToxic(name, { type: 'latency', stream: 'upstream', attributes: { latency: 150 } });
    const slow = await roundTrip(s, Buffer.from('b'));
    expect(slow.ms).toBeGreaterThanOrEqual(145);
    rig.server.registry.removeToxic(name, 'latency_upstream');
    s.destroy();
  });

  it('toxicity 0 never applies', async () => {
    const { port } = await proxyWith([{ type: 'reset_peer', toxicity: 0, attributes: { timeout: 0 } }]);
    for (let i = 0; i < 10; i++) {
      const s = await dial(port);
      expect((await roundTrip(s, Buffer.from(`x${i}`))).data.toString()).toBe(`x${i}`);
      s.destroy();
    }
    expect(rig.server.registry.counters(`p${seq}`).toxics.reset_peer_downstream).toEqual({ touched: 0, resets: 0, requests: 0, unparsedBytes: 0 });
  });

  it('reset_peer resets the client connection (ECONNRESET) and counts the reset', async () => {
    const { name, port } = await proxyWith([{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 50 } }]);
    const s = await dial(port);
    s.write('hello');
    const out = await readFrom(s, { timeoutMs: 5000 });
    // The upstream stream resets the server side; the client is torn down too.
    expect(out.end).not.toBe('timeout');
    const down = await proxyWith([{ type: 'reset_peer', attributes: { timeout: 0 } }]);
    const s2 = await dial(down.port);
    s2.write('hello');
    const out2 = await readFrom(s2, { timeoutMs: 5000 });
    expect(out2).toMatchObject({ end: 'error', code: 'ECONNRESET' });
    expect(rig.server.registry.counters(down.name).toxics.reset_peer_downstream).toMatchObject({ touched: 1, resets: 1 });
    expect(rig.server.registry.counters(name).toxics.reset_peer_upstream.resets).toBe(1);
  });

  it('reset_peer removed while it holds the first chunk still resets, never leaves the connection open short of bytes', async () => {
    // A timeout far beyond the read's: only the removal can end the wait in time.
    const { name, port } = await proxyWith([{ name: 'rst', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 60_000 } }]);
    const s = await dial(port);
    const read = readFrom(s, { timeoutMs: 2000 });
    s.write('first');
    while (rig.server.registry.counters(name).bytesUpstream < 5) await sleep(5);
    rig.server.registry.removeToxic(name, 'rst');
    // Had the link stayed open, 'second' would echo back while the answer to 'first' never came.
    s.write('second');
    const out = await read;
    expect(out.end).not.toBe('timeout');
    expect(out.data.length).toBe(0);
    expect(rig.server.registry.counters(name).toxics.rst.resets).toBe(1);
  });

  it('limit_data closes after exactly N bytes', async () => {
    const { port } = await proxyWith([{ type: 'limit_data', attributes: { bytes: 1000 } }]);
    const s = await dial(port);
    const read = readFrom(s, { timeoutMs: 5000 });
    s.write(Buffer.alloc(600, 1));
    await sleep(50);
    s.write(Buffer.alloc(600, 2));
    const out = await read;
    expect(out.end).toBe('eof');
    expect(out.data.length).toBe(1000);
    expect(out.data.subarray(600).every((b) => b === 2)).toBe(true);
  });

  it('timeout 0 holds data until the toxic is removed, then closes the connection', async () => {
    const { name, port } = await proxyWith([{ name: 'hold', type: 'timeout', attributes: { timeout: 0 } }]);
    const s = await dial(port);
    const read = readFrom(s, { timeoutMs: 5000 });
    s.write('anyone there?');
    await sleep(300);
    rig.server.registry.removeToxic(name, 'hold');
    const t0 = performance.now();
    const out = await read;
    expect(out.end).toBe('eof');
    expect(out.data.length).toBe(0);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('timeout with a value closes the connection after that long without data', async () => {
    const { port } = await proxyWith([{ type: 'timeout', attributes: { timeout: 200 } }]);
    const t0 = performance.now();
    const s = await dial(port);
    s.write('x');
    const out = await readFrom(s, { timeoutMs: 5000 });
    expect(out).toMatchObject({ end: 'eof' });
    expect(out.data.length).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('bandwidth limits the rate (20 KB at 50 KB/s takes at least ~0.4 s)', async () => {
    const { port } = await proxyWith([{ type: 'bandwidth', attributes: { rate: 50 } }]);
    const s = await dial(port);
    const payload = Buffer.alloc(20_000, 3);
    const rt = await roundTrip(s, payload);
    expect(rt.data.equals(payload)).toBe(true);
    expect(rt.ms).toBeGreaterThanOrEqual(380);
    expect(rt.ms).toBeLessThan(5000);
    s.destroy();
  });

  it('slicer delivers every byte in several chunks', async () => {
    const { port } = await proxyWith([{ type: 'slicer', attributes: { average_size: 100, size_variation: 20, delay: 2000 } }]);
    const s = await dial(port);
    const payload = Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 251));
    const read = readFrom(s, { count: payload.length });
    s.write(payload);
    const out = await read;
    expect(out.data.equals(payload)).toBe(true);
    expect(out.chunks).toBeGreaterThanOrEqual(5);
    s.destroy();
  });

  it('slow_close delays the close after the upstream ends', async () => {
    const { port } = await proxyWith([{ type: 'slow_close', attributes: { delay: 300 } }]);
    const s = await dial(port);
    const read = readFrom(s, { timeoutMs: 5000 });
    s.end('bye');
    const t0 = performance.now();
    const out = await read;
    expect(out).toMatchObject({ end: 'eof' });
    expect(out.data.toString()).toBe('bye');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('a toxic with ttl_ms removes itself on the server', async () => {
    const { name } = await proxyWith([{ name: 'brief', type: 'latency', ttl_ms: 150, attributes: { latency: 1 } }]);
    expect(rig.server.registry.toxics(name).map((t) => [t.name, t.ttlMs])).toEqual([['brief', 150]]);
    await sleep(400);
    expect(rig.server.registry.toxics(name)).toEqual([]);
  });

  it('counts connections, bytes and the connections a toxic touched', async () => {
    const { name, port } = await proxyWith([{ name: 'n', type: 'noop', toxicity: 1 }]);
    for (let i = 0; i < 3; i++) {
      const s = await dial(port);
      await roundTrip(s, Buffer.from('12345'));
      s.destroy();
    }
    await sleep(50);
    const c = rig.server.registry.counters(name);
    expect(c).toMatchObject({ proxy: name, connections: 3, activeConnections: 0, bytesUpstream: 15, bytesDownstream: 15 });
    expect(c.toxics.n).toEqual({ touched: 3, resets: 0, requests: 0, unparsedBytes: 0 });
  });
});
