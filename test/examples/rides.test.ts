import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startRides, type RunningRides } from '../../examples/rides/index.js';
import { driveRidesTraffic } from '../../examples/rides/traffic.js';
import { RIDES_SERVICES, RIDES_TRACE_EDGES } from '../../examples/rides/topology.js';
import { matchEntrypoints } from '../../generators/entrypoint-match.js';
import { GraphBuilder } from '../../graph/builder.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { startRedis, type PrivateRedis } from '../support/redis.js';

// The rides system twice, side by side: every planted bug on, and every bug
// off. Each has its own fault proxy and OTLP receiver; they share one
// private Redis in different databases, so queues and leases never mix.
const BUGGY_DB = 5;
const FIXED_DB = 6;
let redis: PrivateRedis | undefined;
let buggy: RunningRides | undefined;
let fixed: RunningRides | undefined;

beforeAll(async () => {
  redis = await startRedis();
  // One after the other: ten tsx compiles at once starve a small machine.
  buggy = await startRides({ bugs: 'all', redisUrl: `${redis.url}/${BUGGY_DB}` });
  fixed = await startRides({ bugs: 'none', redisUrl: `${redis.url}/${FIXED_DB}` });
}, 300_000);

afterAll(async () => {
  await Promise.all([buggy?.stop(), fixed?.stop()]);
  await redis?.stop();
}, 60_000);

function both(): { buggy: RunningRides; fixed: RunningRides } {
  if (!buggy || !fixed) throw new Error('rides did not start');
  return { buggy, fixed };
}

interface Answer { status: number; body: Record<string, unknown> }

async function call(sys: RunningRides, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${sys.riderApiUrl}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function requestRide(sys: RunningRides, key: string = randomUUID(), zone = 'north'): Promise<Answer & { key: string }> {
  return call(sys, '/rides', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ riderId: 'r-42', zone }) }).then((a) => ({ ...a, key }));
}

async function probe<T>(sys: RunningRides, name: string): Promise<T> {
  const p = sys.manifest.probes.find((x) => x.name === name);
  if (!p || p.type !== 'http') throw new Error(`no http probe ${name}`);
  return (await (await fetch(p.url)).json()) as T;
}

const holdsFor = async (sys: RunningRides, key: string) => (await probe<{ holds: { rideKey: string }[] }>(sys, 'holds')).holds.filter((h) => h.rideKey === key).length;
const assigned = async (sys: RunningRides, key: string) => (await probe<{ assignments: { rideKey: string }[] }>(sys, 'assignments')).assignments.some((a) => a.rideKey === key);
const resetClients = async (sys: RunningRides) => expect((await fetch(sys.manifest.hooks.beforeScenario[0].url, { method: 'POST' })).status).toBe(200);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `ok` holds or the deadline passes; returns the last value. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(200);
  }
}

type Toxic = { type: 'latency' | 'reset_peer'; stream: 'upstream' | 'downstream'; attributes: Record<string, number> };

/** Run `work` with a toxic on one proxy, through the Toxiproxy HTTP API. */
async function withToxic<T>(sys: RunningRides, proxyName: string, toxic: Toxic, work: () => Promise<T>): Promise<T> {
  const proxy = await new Toxiproxy(sys.proxyUrl).get(proxyName);
  const added = await proxy.addToxic({ name: `test-${toxic.type}`, toxicity: 1, ...toxic } as never);
  try {
    return await work();
  } finally {
    await added.remove();
  }
}

/** Run `work` with a proxy disabled (Toxiproxy's "down"), re-enabling it after. */
async function withProxyDown<T>(sys: RunningRides, proxyName: string, work: () => Promise<T>): Promise<T> {
  const proxy = await new Toxiproxy(sys.proxyUrl).get(proxyName);
  await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
  try {
    return await work();
  } finally {
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
  }
}

describe('rides example system', () => {
  it('every service answers, warm-up traffic succeeds, and the traces show every edge of the topology', async () => {
    const { buggy } = both();
    for (const s of RIDES_SERVICES) expect((await fetch(`${buggy.serviceUrl(s)}/healthz`)).status, s).toBe(200);
    const traffic = await driveRidesTraffic(buggy.riderApiUrl, { requests: 80, concurrency: 4, seed: 7 });
    expect(traffic.statuses.ride['202']).toBeGreaterThan(10);
    expect(traffic.statuses.quote['200']).toBeGreaterThan(10);
    expect(traffic.statuses.balance['200']).toBeGreaterThan(5);

    const store = buggy.store;
    if (!store) throw new Error('no receiver');
    const snapshot = await eventually(async () => {
      const builder = new GraphBuilder();
      for await (const batch of store.read({ startUs: 0, endUs: Number.MAX_SAFE_INTEGER }, new IngestWarnings())) builder.add(batch);
      return builder.snapshot();
    }, (s) => RIDES_TRACE_EDGES.every((id) => s.edges.some((e) => e.id === id)));
    const edges = new Map(snapshot.edges.map((e) => [e.id, e]));
    for (const id of RIDES_TRACE_EDGES) expect(edges.has(id), `edge ${id}`).toBe(true);
    expect(edges.get('rider-api->dispatch')?.mode).toBe('async');
    expect(edges.get('rider-api->wallet')?.protocol).toBe('http');
    expect(edges.get('dispatch->redis')?.protocol).toBe('db');
    expect(snapshot.nodes.find((n) => n.id === 'redis')?.type).toBe('cache');
    // Every manifest entrypoint, written without traceEntrypoint, maps onto one route the traces show.
    // (pricing and wallet serve the same routes one hop down: a span of theirs whose
    // parent had not arrived yet shows as an entrypoint of its own and matches too.)
    const map = matchEntrypoints(buggy.manifest.entrypoints, snapshot.entrypoints);
    expect(map.get('request_ride')).toEqual(['rider-api POST /rides']);
    expect(map.get('quote')).toContain('rider-api GET /quotes/{zone}');
    expect(map.get('balance')).toContain('rider-api GET /riders/{riderId}/balance');
  }, 60_000);

  it('every ride the fixed system accepted reaches a driver', async () => {
    const { fixed } = both();
    const traffic = await driveRidesTraffic(fixed.riderApiUrl, { requests: 40, concurrency: 4, seed: 11 });
    expect(traffic.acceptedKeys.length).toBeGreaterThan(5);
    await eventually(() => probe<{ assignments: { rideKey: string }[] }>(fixed, 'assignments'), (p) => traffic.acceptedKeys.every((k) => p.assignments.some((a) => a.rideKey === k)));
    for (const k of traffic.acceptedKeys) expect(await assigned(fixed, k), k).toBe(true);
  });

  it('a repeated ride request with the same Idempotency-Key is one ride with one hold', async () => {
    const { fixed } = both();
    const first = await requestRide(fixed);
    const again = await requestRide(fixed, first.key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await holdsFor(fixed, first.key)).toBe(1);
  });

  it('duplicate-hold: with wallet merely slow, the bug holds the fare twice; fixed, once', async () => {
    const { buggy, fixed } = both();
    const slow: Toxic = { type: 'latency', stream: 'downstream', attributes: { latency: 400 } };
    const [b, f] = await Promise.all([
      withToxic(buggy, 'rider-api-wallet', slow, () => requestRide(buggy)),
      withToxic(fixed, 'rider-api-wallet', slow, () => requestRide(fixed)),
    ]);
    // Both gave up on the slow wallet and said so ...
    expect(b.status).toBe(503);
    expect(f.status).toBe(503);
    // ... but only the bug placed the hold twice.
    await sleep(300);
    expect(await holdsFor(buggy, b.key)).toBe(2);
    expect(await holdsFor(fixed, f.key)).toBe(1);
    await Promise.all([resetClients(buggy), resetClients(fixed)]);
  });

  it('pool-leak: after wallet was unreachable the bug answers 503 for good; fixed it serves again', async () => {
    const { buggy, fixed } = both();
    const balance = (sys: RunningRides) => call(sys, '/riders/r-17/balance');
    await Promise.all([buggy, fixed].map((sys) => withProxyDown(sys, 'rider-api-wallet', async () => {
      for (let i = 0; i < 6; i++) expect((await balance(sys)).status).toBe(503);
    })));
    await sleep(500);
    const [b, f] = [await balance(buggy), await balance(fixed)];
    expect(f.status).toBe(200);
    expect(b.status).toBe(503);
    expect(b.body.error).toMatch(/no pooled connection free/);
    await sleep(1000);
    expect((await balance(buggy)).status).toBe(503);
    // What a restart does.
    await resetClients(buggy);
    expect((await balance(buggy)).status).toBe(200);
  });

  it('no-reconnect: after a Redis outage the bug never queues a ride again; fixed it reconnects', async () => {
    const { buggy, fixed } = both();
    await Promise.all([buggy, fixed].map((sys) => withProxyDown(sys, 'rider-api-redis', async () => {
      await sleep(2500);
      expect((await requestRide(sys)).status).toBe(503);
    })));
    const [b, f] = await Promise.all([
      eventually(() => requestRide(buggy), (a) => a.status === 202, 3000),
      eventually(() => requestRide(fixed), (a) => a.status === 202, 3000),
    ]);
    expect(f.status).toBe(202);
    expect(b.status).toBe(503);
    expect(String(b.body.error)).toMatch(/could not queue the ride/);
    await resetClients(buggy);
    expect((await requestRide(buggy)).status).toBe(202);
  });

  it('dropped-dispatch: a ride whose handling fails after the pop is lost with the bug; fixed it is handled once it can be', async () => {
    const { buggy, fixed } = both();
    if (!redis) throw new Error('no redis');
    // Every driver leased elsewhere: dispatch cannot assign, so handling fails after the pop.
    const direct = [new Redis(`${redis.url}/${BUGGY_DB}`), new Redis(`${redis.url}/${FIXED_DB}`)];
    const drivers = Array.from({ length: 20 }, (_, i) => `driver-lease:d-${i + 1}`);
    try {
      await Promise.all(direct.map((r) => Promise.all(drivers.map((k) => r.set(k, 'test', 'PX', 60_000)))));
      const [b, f] = await Promise.all([requestRide(buggy), requestRide(fixed)]);
      expect(b.status).toBe(202);
      expect(f.status).toBe(202);
      await sleep(1500);
      expect(await assigned(buggy, b.key)).toBe(false);
      expect(await assigned(fixed, f.key)).toBe(false);
      await Promise.all(direct.map((r) => r.del(...drivers)));
      expect(await eventually(() => assigned(fixed, f.key), (v) => v)).toBe(true);
      await sleep(1500);
      expect(await assigned(buggy, b.key)).toBe(false);
      expect(await direct[1].llen('ride-requests:processing')).toBe(0);
    } finally {
      await Promise.all(direct.map(async (r) => { await r.del(...drivers); r.disconnect(); }));
    }
  });

  it('crash-on-reset: a reset maps connection kills the bugged pricing process (the supervisor restarts it); fixed pricing quotes from its fallback', async () => {
    const { buggy, fixed } = both();
    const pid = buggy.processes.pricing.pid;
    const crashesBefore = buggy.processes.pricing.crashes;
    const reset: Toxic = { type: 'reset_peer', stream: 'downstream', attributes: { timeout: 0 } };
    const [b, f] = await Promise.all([
      withToxic(buggy, 'pricing-maps', reset, () => call(buggy, '/quotes/east')),
      withToxic(fixed, 'pricing-maps', reset, () => call(fixed, '/quotes/east')),
    ]);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ zone: 'east', etaSource: 'fallback' });
    expect(fixed.processes.pricing.crashes).toBe(0);
    expect(b.status).toBe(502);
    expect(buggy.processes.pricing.crashes).toBe(crashesBefore + 1);
    // Back after the supervisor's restart, as a new process.
    const back = await eventually(() => call(buggy, '/quotes/east'), (a) => a.status === 200, 30_000);
    expect(back.status).toBe(200);
    expect(buggy.processes.pricing.pid).not.toBe(pid);
  }, 45_000);
});
