import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { formatTicketsBugs, parseTicketsBugs, TICKETS_BUGS } from '../../examples/tickets/bugs.js';
import { startTickets, type RunningTickets } from '../../examples/tickets/index.js';
import { ticketsManifest } from '../../examples/tickets/manifest.js';
import { driveTicketsTraffic } from '../../examples/tickets/traffic.js';
import { TICKETS_LINKS, TICKETS_SERVICES, type TicketsService } from '../../examples/tickets/topology.js';
import { startRedis, type PrivateRedis } from '../support/redis.js';
import { eventually, probe, render, sleep, withProxyDown, withToxic } from './example-harness.js';

describe('tickets bug switch', () => {
  it('switches every bug on by default and for "all", none for "none"', () => {
    expect(parseTicketsBugs(undefined)).toEqual([...TICKETS_BUGS]);
    expect(parseTicketsBugs('all')).toEqual([...TICKETS_BUGS]);
    expect(parseTicketsBugs('')).toEqual([...TICKETS_BUGS]);
    expect(parseTicketsBugs('none')).toEqual([]);
    expect(formatTicketsBugs([])).toBe('none');
    expect(formatTicketsBugs(['lock-expiry', 'shared-pool'])).toBe('lock-expiry,shared-pool');
  });

  it('takes a comma list in any order and keeps the canonical order', () => {
    expect(parseTicketsBugs(' shared-pool,lock-expiry ')).toEqual(['lock-expiry', 'shared-pool']);
    expect(parseTicketsBugs(['lost-update'])).toEqual(['lost-update']);
  });

  it('rejects an unknown bug name and lists the known ones', () => {
    expect(() => parseTicketsBugs('lock-expiry,double-charge')).toThrow(/unknown tickets bug "double-charge"; known: lock-expiry, lost-update, ack-before-issue, cache-stampede, shared-pool, or all \/ none/);
  });
});

describe('tickets manifest', () => {
  const services = Object.fromEntries(TICKETS_SERVICES.map((s, i) => [s, `http://127.0.0.1:${41000 + i}`])) as Record<TicketsService, string>;
  const proxies = Object.fromEntries(TICKETS_LINKS.map((l, i) => [l.proxy, { listen: `127.0.0.1:${42000 + i}`, upstream: l.target === 'redis' ? '127.0.0.1:43000' : services[l.target].slice(7) }]));
  const manifest = ticketsManifest({ services, toxiproxyUrl: 'http://127.0.0.1:44000', proxies });

  it('is faultline.yaml as written, validated and pointed at the running ports', () => {
    expect(manifest.system.name).toBe('tickets');
    expect(manifest.toxiproxy.url).toBe('http://127.0.0.1:44000');
    expect(manifest.entrypoints.map((e) => e.name)).toEqual(['order', 'prices', 'availability', 'passes']);
    for (const e of manifest.entrypoints) expect(e.url.startsWith(services['box-office'])).toBe(true);
    expect(manifest.probes.map((p) => (p.type === 'http' ? p.url : ''))).toEqual([`${services['seat-map']}/debug/inventory`, `${services['payments-gw']}/debug/charges`, `${services.fulfilment}/debug/tickets`]);
    expect(manifest.proxies.map((p) => [p.name, p.listen, `${p.edge.from}->${p.edge.to}`])).toEqual(TICKETS_LINKS.map((l, i) => [l.proxy, `127.0.0.1:${42000 + i}`, `${l.caller}->${l.target}`]));
  });

  it('keeps the defaults a new user gets: the halting guard, workload, phases, no hooks', () => {
    expect(manifest.halting).toEqual([{ maxErrorRate: 0.9, windowMs: 5000 }]);
    expect(manifest.workload).toEqual({ ratePerSec: 20, seed: 1 });
    expect(manifest.phases).toEqual({ baselineMs: 5_000, faultMs: 10_000, recoveryMs: 15_000 });
    expect(manifest.hooks.beforeScenario).toEqual([]);
  });

  it('states six claims of four forms', () => {
    expect(manifest.claims).toHaveLength(6);
    expect(new Set(manifest.claims.map((c) => c.check.type))).toEqual(new Set(['conservation', 'no-lost-ack', 'at-most-once', 'latency']));
  });
});

// The system twice, side by side: every planted bug on, and every bug off,
// on one private Redis in different databases.
const BUGGY_DB = 3;
const FIXED_DB = 4;
let redis: PrivateRedis | undefined;
let buggy: RunningTickets | undefined;
let fixed: RunningTickets | undefined;

beforeAll(async () => {
  redis = await startRedis();
  fixed = await startTickets({ bugs: 'none', redisUrl: `${redis.url}/${FIXED_DB}` });
  buggy = await startTickets({ bugs: 'all', redisUrl: `${redis.url}/${BUGGY_DB}` });
}, 300_000);

afterAll(async () => {
  await Promise.all([buggy?.stop(), fixed?.stop()]);
  await redis?.stop();
}, 60_000);

function both(): { buggy: RunningTickets; fixed: RunningTickets } {
  if (!buggy || !fixed) throw new Error('tickets did not start');
  return { buggy, fixed };
}

interface Answer { status: number; body: Record<string, unknown>; key: string }

async function order(sys: RunningTickets, section: string, key: string = randomUUID()): Promise<Answer> {
  const res = await fetch(`${sys.boxOfficeUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ section }), signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, key };
}

interface Inventory { sections: { section: string; units: number }[]; pools: { festival: string; units: number }[] }
const sectionUnits = async (sys: RunningTickets, section: string) => (await probe<Inventory>(sys, 'inventory')).sections.find((s) => s.section === section)?.units;
const poolUnits = async (sys: RunningTickets, festival: string) => (await probe<Inventory>(sys, 'inventory')).pools.find((p) => p.festival === festival)?.units;
const ticketKeys = async (sys: RunningTickets) => new Set((await probe<{ tickets: { orderKey: string }[] }>(sys, 'tickets')).tickets.map((t) => t.orderKey));

describe('tickets example system', () => {
  it('every service answers, warm-up traffic succeeds, every entrypoint answers 2xx and every probe is readable', async () => {
    const { fixed } = both();
    for (const s of TICKETS_SERVICES) expect((await fetch(`${fixed.serviceUrl(s)}/healthz`)).status, s).toBe(200);
    const traffic = await driveTicketsTraffic(fixed.boxOfficeUrl, { requests: 80, concurrency: 4, seed: 7 });
    expect(traffic.statuses.order['201']).toBeGreaterThan(10);
    expect(traffic.statuses.prices['200']).toBeGreaterThan(10);
    expect(traffic.statuses.availability['200']).toBeGreaterThan(5);
    expect(traffic.statuses.passes['201']).toBeGreaterThan(5);
    for (const e of fixed.manifest.entrypoints) {
      const { url, init } = render(fixed.manifest, e.name);
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      expect(res.status, `${e.name}: ${await res.clone().text()}`).toBeGreaterThanOrEqual(200);
      expect(res.status, e.name).toBeLessThan(300);
    }
    for (const p of fixed.manifest.probes) {
      if (p.type !== 'http') throw new Error(`probe ${p.name} is not http`);
      const res = await fetch(p.url);
      expect(res.status, p.name).toBe(200);
      expect(typeof (await res.json()), p.name).toBe('object');
    }
    // Every confirmed order gets its ticket; the accounting holds.
    const tickets = await eventually(() => ticketKeys(fixed), (t) => traffic.confirmedOrders.every((k) => t.has(k)));
    for (const k of traffic.confirmedOrders) expect(tickets.has(k), k).toBe(true);
    const inv = await probe<Inventory & { sections: { capacity: number }[] }>(fixed, 'inventory');
    for (const s of inv.sections) expect(s.units).toBe(s.capacity);
  }, 60_000);

  it('lock-expiry: with payments slower than the 1 s seat hold, the bug sells one seat twice; fixed, the slow buyer loses it and is refunded', async () => {
    const { buggy, fixed } = both();
    const slowPayments = { type: 'latency', stream: 'downstream' as const, attributes: { latency: 1500 } };
    const run = (sys: RunningTickets) => withToxic(sys, 'box-office-payments-gw', slowPayments, async () => {
      const before = await sectionUnits(sys, 'D');
      const first = order(sys, 'D');
      await sleep(1200);
      const second = await order(sys, 'D');
      return { before, first: await first, second, after: await sectionUnits(sys, 'D') };
    });
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(b.first.status).toBe(201);
    expect(b.second.status).toBe(201);
    expect(b.second.body.seat).toBe(b.first.body.seat);
    expect(b.after).toBe((b.before ?? 0) + 1);
    expect(f.first.status).toBe(409);
    expect(f.second.status).toBe(201);
    expect(f.after).toBe(f.before);
    const charges = await probe<{ charges: { orderKey: string; refunded: boolean }[] }>(fixed, 'charges');
    expect(charges.charges.find((c) => c.orderKey === f.first.key)?.refunded).toBe(true);
  }, 30_000);

  it('lost-update: with seat-map\'s Redis slow, the bug sells passes the pool never lost; fixed, the pool adds up', async () => {
    const { buggy, fixed } = both();
    const slowRedis = { type: 'latency', stream: 'downstream' as const, attributes: { latency: 200 } };
    const run = (sys: RunningTickets) => withToxic(sys, 'seat-map-redis', slowRedis, async () => {
      const before = await poolUnits(sys, 'winter');
      const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`${sys.boxOfficeUrl}/passes`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify({ festival: 'winter', qty: 2 }),
      }).then((r) => r.status)));
      return { before, answers, after: await poolUnits(sys, 'winter') };
    });
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(b.answers.every((s) => s === 201)).toBe(true);
    expect(f.answers.every((s) => s === 201)).toBe(true);
    expect(b.after).toBeGreaterThan(b.before ?? 0);
    expect(f.after).toBe(f.before);
  }, 30_000);

  it('ack-before-issue: jobs taken while seat-map is unreachable for fulfilment are lost with the bug; fixed, issued once it is back', async () => {
    const { buggy, fixed } = both();
    const run = async (sys: RunningTickets) => {
      const confirmed = await withProxyDown(sys, 'fulfilment-seat-map', async () => {
        const answers = await Promise.all(['A', 'B', 'C'].map((s) => order(sys, s)));
        await sleep(1500);
        return answers.filter((a) => a.status === 201).map((a) => a.key);
      });
      const tickets = await eventually(() => ticketKeys(sys), (t) => confirmed.every((k) => t.has(k)), 5000);
      return { confirmed, issued: confirmed.filter((k) => tickets.has(k)) };
    };
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(b.confirmed).toHaveLength(3);
    expect(f.confirmed).toHaveLength(3);
    expect(f.issued).toEqual(f.confirmed);
    expect(b.issued).toEqual([]);
  }, 30_000);

  it('cache-stampede: with the price cache down, the bug queues every price read behind pricing; fixed, they stay fast', async () => {
    const { buggy, fixed } = both();
    const events = ['opera', 'derby', 'finals', 'gala', 'comedy'];
    const run = async (sys: RunningTickets) => {
      for (const e of events) expect((await fetch(`${sys.boxOfficeUrl}/events/${e}/prices`)).status).toBe(200);
      return withProxyDown(sys, 'box-office-redis', async () => {
        const timings: Promise<number>[] = [];
        for (let i = 0; i < 40; i++) {
          const started = Date.now();
          timings.push(fetch(`${sys.boxOfficeUrl}/events/${events[i % events.length]}/prices`, { signal: AbortSignal.timeout(10_000) }).then(async (r) => { await r.arrayBuffer(); return Date.now() - started; }));
          await sleep(50);
        }
        const all = (await Promise.all(timings)).sort((a, b) => a - b);
        return all[Math.floor(all.length * 0.9)];
      });
    };
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(f).toBeLessThan(300);
    expect(b).toBeGreaterThan(1000);
  }, 30_000);

  it('shared-pool: with payments-gw slow, the bug makes availability reads wait for a call slot; fixed, they do not', async () => {
    const { buggy, fixed } = both();
    const slowPayments = { type: 'latency', stream: 'downstream' as const, attributes: { latency: 3000 } };
    const run = (sys: RunningTickets) => withToxic(sys, 'box-office-payments-gw', slowPayments, async () => {
      const orders = Array.from({ length: 8 }, (_, i) => order(sys, ['A', 'B', 'C', 'D'][i % 4]));
      await sleep(500);
      const started = Date.now();
      const res = await fetch(`${sys.boxOfficeUrl}/sections/A/availability`, { signal: AbortSignal.timeout(10_000) });
      const took = Date.now() - started;
      await Promise.all(orders);
      return { status: res.status, took };
    });
    const [b, f] = await Promise.all([run(buggy), run(fixed)]);
    expect(f.status).toBe(200);
    expect(f.took).toBeLessThan(300);
    expect(b.took).toBeGreaterThan(1000);
  }, 30_000);
});
