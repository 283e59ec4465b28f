import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startDemo, type RunningDemo } from '../../examples/demo/index.js';
import { driveTraffic } from '../../examples/demo/traffic.js';
import { GraphBuilder } from '../../graph/builder.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { startRedis, type PrivateRedis } from '../support/redis.js';

// Two demos side by side: every planted bug on, and every bug off. Each one
// starts its own fault proxy and OTLP receiver; they share one private Redis
// but use different databases, so their queues and caches never mix.
let redis: PrivateRedis | undefined;
let buggy: RunningDemo | undefined;
let fixed: RunningDemo | undefined;

beforeAll(async () => {
  redis = await startRedis();
  const [a, b] = await Promise.allSettled([
    startDemo({ bugs: 'all', redisUrl: `${redis.url}/1` }),
    startDemo({ bugs: 'none', redisUrl: `${redis.url}/2` }),
  ]);
  if (a.status === 'fulfilled') buggy = a.value;
  if (b.status === 'fulfilled') fixed = b.value;
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
}, 90_000);

afterAll(async () => {
  await Promise.all([buggy?.stop(), fixed?.stop()]);
  await redis?.stop();
}, 30_000);

function demos(): { buggy: RunningDemo; fixed: RunningDemo } {
  if (!buggy || !fixed) throw new Error('demo did not start');
  return { buggy, fixed };
}

interface Checkout { status: number; ms: number; key: string; body: { id?: string; error?: string } }

async function checkout(demo: RunningDemo, sku = 'sku-1'): Promise<Checkout> {
  const key = randomUUID();
  const started = performance.now();
  const res = await fetch(`${demo.gatewayUrl}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ sku, qty: 1 }),
  });
  const body = (await res.json()) as Checkout['body'];
  return { status: res.status, ms: performance.now() - started, key, body };
}

async function probe<T>(demo: RunningDemo, name: string): Promise<T> {
  const p = demo.manifest.probes.find((x) => x.name === name);
  if (!p || p.type !== 'http') throw new Error(`no http probe ${name}`);
  return (await (await fetch(p.url)).json()) as T;
}

async function chargesFor(demo: RunningDemo, key: string): Promise<number> {
  const { charges } = await probe<{ charges: { orderKey: string }[] }>(demo, 'charges');
  return charges.filter((c) => c.orderKey === key).length;
}

async function emailsFor(demo: RunningDemo, key: string): Promise<number> {
  const { emails } = await probe<{ emails: { orderKey: string }[] }>(demo, 'emails');
  return emails.filter((e) => e.orderKey === key).length;
}

/** Poll until `ok` holds or the deadline passes; returns the last value. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Run `work` with a toxic on a proxy of the demo's fault proxy, through the Toxiproxy HTTP API. */
async function withToxic<T>(demo: RunningDemo, proxyName: string, toxic: { type: 'latency' | 'reset_peer'; stream: 'upstream' | 'downstream'; attributes: Record<string, number> }, work: () => Promise<T>): Promise<T> {
  const proxy = await new Toxiproxy(demo.proxyUrl).get(proxyName);
  const added = await proxy.addToxic({ name: `test-${toxic.type}`, toxicity: 1, ...toxic } as never);
  try {
    return await work();
  } finally {
    await added.remove();
  }
}

/** Run `work` with a proxy disabled (Toxiproxy's "down"), re-enabling it after. */
async function withProxyDown<T>(demo: RunningDemo, proxyName: string, work: () => Promise<T>): Promise<T> {
  const proxy = await new Toxiproxy(demo.proxyUrl).get(proxyName);
  await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  try {
    return await work();
  } finally {
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
  }
}

describe('demo shop', () => {
  it('its traces show every edge of the real topology', async () => {
    const { buggy } = demos();
    const traffic = await driveTraffic(buggy.gatewayUrl, { requests: 60, concurrency: 4, seed: 7 });
    expect(traffic.results).toHaveLength(60);
    expect(traffic.statuses.checkout['201']).toBeGreaterThan(10);
    expect(traffic.statuses.stock['200']).toBeGreaterThan(10);
    expect(traffic.statuses.order['200']).toBeGreaterThan(0);

    const wanted = buggy.topology.map((e) => `${e.from}->${e.to}`).sort();
    expect(wanted).toEqual([
      'gateway->inventory', 'gateway->orders', 'inventory->redis', 'notifications->redis',
      'orders->inventory', 'orders->notifications', 'orders->payments',
    ]);
    const store = buggy.store;
    if (!store) throw new Error('the demo started no receiver');
    const snapshot = await eventually(async () => {
      const builder = new GraphBuilder();
      for await (const batch of store.read({ startUs: 0, endUs: Number.MAX_SAFE_INTEGER }, new IngestWarnings())) builder.add(batch);
      return builder.snapshot();
    }, (s) => wanted.every((id) => s.edges.some((e) => e.id === id)), 15_000);
    const edges = new Map(snapshot.edges.map((e) => [e.id, e]));
    for (const id of wanted) expect(edges.has(id), `edge ${id}`).toBe(true);
    expect(edges.get('orders->notifications')?.mode).toBe('async');
    expect(edges.get('orders->payments')?.protocol).toBe('http');
    expect(edges.get('inventory->redis')?.protocol).toBe('db');
    expect(snapshot.nodes.find((n) => n.id === 'redis')?.type).toBe('cache');
    // Every manifest entrypoint maps onto an entrypoint the traces show.
    const seen = snapshot.entrypoints.map((e) => e.id);
    expect(buggy.manifest.entrypoints.map((e) => e.traceEntrypoint)).toEqual(['gateway POST /checkout', 'gateway GET /stock/{sku}', 'gateway GET /orders/{id}']);
    for (const e of buggy.manifest.entrypoints) expect(seen, e.name).toContain(e.traceEntrypoint);
    // Every proxy in the manifest carries an edge the traces show.
    for (const p of buggy.manifest.proxies) expect(edges.has(`${p.edge.from}->${p.edge.to}`), p.name).toBe(true);
  });

  it('a repeated checkout with the same Idempotency-Key returns the same order and charges once', async () => {
    const { fixed } = demos();
    const send = (key: string) => fetch(`${fixed.gatewayUrl}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ sku: 'sku-2', qty: 2 }),
    });
    const key = randomUUID();
    const first = await send(key);
    const second = await send(key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const [a, b] = [await first.json(), await second.json()] as { id: string; requestKey: string; status: string }[];
    expect(b).toEqual(a);
    expect(a).toMatchObject({ requestKey: key, status: 'confirmed' });
    expect(await chargesFor(fixed, key)).toBe(1);
    expect(await eventually(() => emailsFor(fixed, key), (n) => n === 1)).toBe(1);
    const order = await (await fetch(`${fixed.gatewayUrl}/orders/${a.id}`)).json();
    expect(order).toEqual(a);
  });

  it('no-timeout: with the bug a checkout waits out 2 s of payments latency; fixed it fails fast', async () => {
    const { buggy, fixed } = demos();
    const latency = { type: 'latency' as const, stream: 'downstream' as const, attributes: { latency: 2000, jitter: 0 } };
    const [slow, fast] = await Promise.all([
      withToxic(buggy, 'orders-payments', latency, () => checkout(buggy)),
      withToxic(fixed, 'orders-payments', latency, () => checkout(fixed)),
    ]);
    expect(slow.status).toBe(201);
    expect(slow.ms).toBeGreaterThanOrEqual(2000);
    expect(fast.status).toBe(503);
    expect(fast.ms).toBeLessThan(2000);
  });

  it('double-charge: a lost payments response is charged twice with the bug, once when fixed', async () => {
    const { buggy, fixed } = demos();
    const reset = { type: 'reset_peer' as const, stream: 'downstream' as const, attributes: { timeout: 0 } };
    const [a, b] = await Promise.all([
      withToxic(buggy, 'orders-payments', reset, () => checkout(buggy)),
      withToxic(fixed, 'orders-payments', reset, () => checkout(fixed)),
    ]);
    expect(a.status).toBe(503);
    expect(b.status).toBe(503);
    expect(await chargesFor(buggy, a.key)).toBe(2);
    expect(await chargesFor(fixed, b.key)).toBe(1);
  });

  it('cache-fails-closed: stock reads fail with the cache down when bugged, and are served from the store when fixed', async () => {
    const { buggy, fixed } = demos();
    const read = async (demo: RunningDemo) => {
      const statuses: number[] = [];
      for (const sku of ['sku-1', 'sku-2', 'sku-3', 'sku-4']) statuses.push((await fetch(`${demo.gatewayUrl}/stock/${sku}`)).status);
      return statuses;
    };
    const [bad, good] = await Promise.all([
      withProxyDown(buggy, 'inventory-cache', () => read(buggy)),
      withProxyDown(fixed, 'inventory-cache', () => read(fixed)),
    ]);
    expect(bad).toEqual([500, 500, 500, 500]);
    expect(good).toEqual([200, 200, 200, 200]);
    // Once the cache is back the bugged inventory serves reads again (ioredis reconnects).
    expect(await eventually(async () => (await fetch(`${buggy.gatewayUrl}/stock/sku-1`)).status, (s) => s === 200)).toBe(200);
  });

  it('lost-email: with the queue unreachable the bug acknowledges a checkout whose email never comes; fixed refuses it', async () => {
    const { buggy, fixed } = demos();
    const [lost, refused] = await Promise.all([
      withProxyDown(buggy, 'orders-queue', () => checkout(buggy)),
      withProxyDown(fixed, 'orders-queue', () => checkout(fixed)),
    ]);
    expect(lost.status).toBe(201);
    expect(refused.status).toBe(503);
    // After the queue is back a new checkout's email arrives, yet the acknowledged one stays lost.
    const later = await eventually(() => checkout(buggy), (c) => c.status === 201);
    expect(await eventually(() => emailsFor(buggy, later.key), (n) => n === 1)).toBe(1);
    expect(await emailsFor(buggy, lost.key)).toBe(0);
  });

  it('breaker-stuck: after inventory comes back the bugged breaker stays open; fixed it half-opens and checkout recovers', async () => {
    const { buggy, fixed } = demos();
    const burst = async (demo: RunningDemo) => {
      const out: number[] = [];
      for (let i = 0; i < 4; i++) out.push((await checkout(demo)).status);
      return out;
    };
    const [a, b] = await Promise.all([
      withProxyDown(buggy, 'orders-inventory', () => burst(buggy)),
      withProxyDown(fixed, 'orders-inventory', () => burst(fixed)),
    ]);
    expect(a).toEqual([503, 503, 503, 503]);
    expect(b).toEqual([503, 503, 503, 503]);
    await new Promise((r) => setTimeout(r, 1500));
    const [after, recovered] = await Promise.all([checkout(buggy), checkout(fixed)]);
    expect(after.status).toBe(503);
    expect(after.body.error).toBe('inventory circuit open');
    expect(recovered.status).toBe(201);
    expect((await probe<{ breaker: string }>(buggy, 'orders')).breaker).toBe('open');
    expect((await probe<{ breaker: string }>(fixed, 'orders')).breaker).toBe('closed');
  });
});
