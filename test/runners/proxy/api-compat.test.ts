import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { dial, readFrom, roundTrip, startEcho } from './sockets.js';

let server: RunningFaultProxy;
let echo: Awaited<ReturnType<typeof startEcho>>;
let client: Toxiproxy;

async function raw(method: string, path: string, body?: unknown, rawBody?: string) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, text, json: isJson && text ? (JSON.parse(text) as any) : undefined };
}

beforeAll(async () => {
  server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  echo = await startEcho();
  client = new Toxiproxy(server.url);
});
afterAll(async () => {
  await server.close();
  await echo.close();
});
afterEach(async () => {
  for (const p of server.registry.list()) await server.registry.remove(p.name);
});

describe('Toxiproxy API compatibility', () => {
  it('creates a proxy with 201 and reports the bound listen address for port 0', async () => {
    const r = await raw('POST', '/proxies', { name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ name: 'db', upstream: `127.0.0.1:${echo.port}`, enabled: true, toxics: [] });
    expect(r.json.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(r.json.listen).not.toBe('127.0.0.1:0');
    const port = Number(r.json.listen.split(':')[1]);
    const s = await dial(port);
    const rt = await roundTrip(s, Buffer.from('hello'));
    expect(rt.data.toString()).toBe('hello');
    s.destroy();
  });

  it('answers the real error shapes: 404 proxy not found, 409 proxy already exists, 400 missing field', async () => {
    expect(await raw('GET', '/proxies/nope')).toMatchObject({ status: 404, json: { error: 'proxy not found', status: 404 } });
    await raw('POST', '/proxies', { name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    expect(await raw('POST', '/proxies', { name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` })).toMatchObject({
      status: 409,
      json: { error: 'proxy already exists', status: 409 },
    });
    expect(await raw('POST', '/proxies', { name: 'b', listen: '127.0.0.1:0' })).toMatchObject({
      status: 400,
      json: { error: 'missing required field: upstream', status: 400 },
    });
    const bad = await raw('POST', '/proxies', undefined, '{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^bad request body: /);
  });

  it('answers toxic errors with the real messages', async () => {
    await raw('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    expect(await raw('POST', '/proxies/p/toxics', { type: 'nonsense' })).toMatchObject({
      status: 400,
      json: { error: 'invalid toxic type', status: 400 },
    });
    expect(await raw('POST', '/proxies/p/toxics', { type: 'latency', stream: 'sideways' })).toMatchObject({
      status: 400,
      json: { error: 'stream was invalid, can be either upstream or downstream' },
    });
    const added = await raw('POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 10 } });
    expect(added.status).toBe(200);
    expect(added.json).toEqual({
      attributes: { latency: 10, jitter: 0 },
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
    });
    expect(await raw('POST', '/proxies/p/toxics', { type: 'latency' })).toMatchObject({
      status: 409,
      json: { error: 'toxic already exists', status: 409 },
    });
    expect(await raw('GET', '/proxies/p/toxics/missing')).toMatchObject({ status: 404, json: { error: 'toxic not found' } });
    expect(await raw('POST', '/proxies/nope/toxics', { type: 'latency' })).toMatchObject({ status: 404, json: { error: 'proxy not found' } });
  });

  it('updates toxics by POST and PATCH and deletes them with 204 and an empty body', async () => {
    await raw('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    await raw('POST', '/proxies/p/toxics', { name: 'slow', type: 'latency', attributes: { latency: 10 } });
    expect((await raw('POST', '/proxies/p/toxics/slow', { attributes: { jitter: 5 } })).json.attributes).toEqual({ latency: 10, jitter: 5 });
    const patched = await raw('PATCH', '/proxies/p/toxics/slow', { toxicity: 0.5 });
    expect(patched.json).toMatchObject({ name: 'slow', toxicity: 0.5, attributes: { latency: 10, jitter: 5 } });
    expect((await raw('GET', '/proxies/p/toxics')).json).toHaveLength(1);
    const del = await raw('DELETE', '/proxies/p/toxics/slow');
    expect(del).toMatchObject({ status: 204, text: '' });
    expect((await raw('GET', '/proxies/p/toxics')).json).toEqual([]);
  });

  it('populates with 201 {proxies:[…]}, replaces changed proxies, and survives an empty list through the client', async () => {
    const r = await raw('POST', '/populate', [
      { name: 'one', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` },
      { name: 'two', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}`, enabled: false },
    ]);
    expect(r.status).toBe(201);
    expect(r.json.proxies.map((p: any) => [p.name, p.enabled])).toEqual([
      ['one', true],
      ['two', false],
    ]);
    expect(await client.populate([])).toEqual({});
    expect((await raw('POST', '/populate', [])).json).toEqual({ proxies: [] });
    const viaClient = await client.populate([{ name: 'three', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` }]);
    expect(Object.keys(viaClient)).toEqual(['three']);
    expect(Object.keys(await client.getAll()).sort()).toEqual(['one', 'three', 'two']);
  });

  it('drives create, get, update, toxics, reset and version through toxiproxy-node-client', async () => {
    const proxy = await client.createProxy({ name: 'c', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    expect(proxy.enabled).toBe(true);
    const fetched = await client.get('c');
    expect(fetched.listen).toBe(proxy.listen);
    const toxic = await proxy.addToxic({ name: 'bw', type: 'bandwidth', stream: 'upstream', toxicity: 1, attributes: { rate: 100 } });
    expect(toxic.toJson()).toEqual({ attributes: { rate: 100 }, name: 'bw', stream: 'upstream', toxicity: 1, type: 'bandwidth' });
    const updated = await toxic.update({ attributes: { rate: 200 }, toxicity: 1 } as never);
    expect(updated.attributes).toEqual({ rate: 200 });
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    await client.reset();
    const after = await raw('GET', '/proxies/c');
    expect(after.json).toMatchObject({ enabled: true, toxics: [] });
    expect(JSON.parse(await client.getVersion())).toEqual({ version: '2.12.0+faultline' });
    expect((await raw('POST', '/reset')).status).toBe(204);
    await proxy.remove();
    expect((await raw('GET', '/proxies/c')).status).toBe(404);
  });

  it('disabling closes open connections and refuses new ones; enabling brings the same port back', async () => {
    const created = await raw('POST', '/proxies', { name: 'd', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    const port = Number(created.json.listen.split(':')[1]);
    const s = await dial(port);
    const closed = readFrom(s, { timeoutMs: 5000 });
    const r = await raw('PATCH', '/proxies/d', { enabled: false });
    expect(r.json.enabled).toBe(false);
    expect((await closed).end).not.toBe('timeout');
    await expect(dial(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const again = await raw('POST', '/proxies/d', { enabled: true });
    expect(again.json).toMatchObject({ enabled: true, listen: `127.0.0.1:${port}` });
    const s2 = await dial(port);
    expect((await roundTrip(s2, Buffer.from('back'))).data.toString()).toBe('back');
    s2.destroy();
  });

  it('a proxy disabled with ttl_ms comes back on the same port by itself; an update before then cancels that', async () => {
    const created = await raw('POST', '/proxies', { name: 'brief', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    const port = Number(created.json.listen.split(':')[1]);
    expect((await raw('POST', '/proxies/brief', { enabled: false, ttl_ms: 150 })).json.enabled).toBe(false);
    await expect(dial(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 400));
    expect(server.registry.proxy('brief').enabled).toBe(true);
    const s = await dial(port);
    expect((await roundTrip(s, Buffer.from('up'))).data.toString()).toBe('up');
    s.destroy();

    await raw('POST', '/proxies/brief', { enabled: false, ttl_ms: 150 });
    await raw('POST', '/proxies/brief', { enabled: false }); // taken down again, this time for good
    await new Promise((r) => setTimeout(r, 400));
    expect(server.registry.proxy('brief').enabled).toBe(false);
    expect((await raw('POST', '/proxies/brief', { enabled: false, ttl_ms: 'soon' })).status).toBe(400);
  });

  it('lists proxies as a map keyed by name with their toxics', async () => {
    await raw('POST', '/proxies', { name: 'm', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    await raw('POST', '/proxies/m/toxics', { name: 'n', type: 'noop' });
    const all = await raw('GET', '/proxies');
    expect(Object.keys(all.json)).toEqual(['m']);
    expect(all.json.m.toxics).toEqual([{ attributes: {}, name: 'n', type: 'noop', stream: 'downstream', toxicity: 1 }]);
  });

  it('deletes a missing proxy with 404 and an unknown path with 404', async () => {
    expect((await raw('DELETE', '/proxies/ghost')).json).toEqual({ error: 'proxy not found', status: 404 });
    expect((await raw('GET', '/nothing-here')).status).toBe(404);
    expect((await raw('PUT', '/proxies')).status).toBe(405);
  });
});
