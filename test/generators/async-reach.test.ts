import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphSnapshot } from '../../graph/model.js';
import { claimReach } from '../../generators/claim-reach.js';
import { matchEntrypoints } from '../../generators/entrypoint-match.js';
import { parseManifest } from '../../generators/manifest-loader.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import type { PlanInput } from '../../generators/plan-generator.js';

/**
 * A shop whose orders service pushes emails onto a Redis list that a worker
 * consumes: the traces show the hand-off as the logical edge orders->worker,
 * while the bytes go orders -> redis and worker -> redis. Orders also reads
 * a cache on the same Redis.
 */
const CHECKOUT = 'api POST /checkout';

function edge(source: string, target: string, over: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: `${source}->${target}`, source, target, mode: 'sync', protocol: 'http', calls: 500, errors: 0, errorRate: 0,
    latency: { count: 500, p50: 5, p95: 20, p99: 40, max: 80 }, operations: [], serverAddresses: [],
    retries: { retriedParents: 0, extraAttempts: 0, amplification: 1 }, timeout: { evidence: 'none' }, ...over,
  };
}

function snapshot(withProducerCacheEdge: boolean): GraphSnapshot {
  const edges = [
    edge('api', 'orders'),
    edge('orders', 'worker', { mode: 'async', protocol: 'messaging', serverAddresses: ['redis:6379'] }),
    edge('worker', 'redis', { protocol: 'db', serverAddresses: ['redis:6379'] }),
    edge('worker', 'smtp', { serverAddresses: ['smtp:25'] }),
    edge('api', 'stock'),
    ...(withProducerCacheEdge ? [edge('orders', 'redis', { protocol: 'db', serverAddresses: ['redis:6379'] })] : []),
  ];
  const crossings: GraphSnapshot['crossings'] = Object.fromEntries(edges.filter((e) => e.source !== 'worker' && e.target !== 'stock').map((e) => [e.id, { [CHECKOUT]: 500 }]));
  return {
    schemaVersion: 1, builtAt: '2026-01-01T00:00:00.000Z', spans: 3000, traces: 500, warnings: {},
    nodes: [
      { id: 'api', type: 'service', instrumented: true, spans: 500 },
      { id: 'orders', type: 'service', instrumented: true, spans: 1000 },
      { id: 'worker', type: 'service', instrumented: true, spans: 1000 },
      { id: 'stock', type: 'service', instrumented: true, spans: 100 },
      { id: 'redis', type: 'cache', instrumented: false, system: 'redis', spans: 1000 },
      { id: 'smtp', type: 'external', instrumented: false, spans: 500 },
    ],
    edges,
    entrypoints: [{ id: CHECKOUT, service: 'api', method: 'POST', route: '/checkout', calls: 500, errors: 0, latency: { count: 500, p50: 30, p95: 60, p99: 90, max: 200 } }],
    crossings,
    depth: {},
  };
}

const proxy = (name: string, from: string, to: string, upstream: string, port: number) =>
  `  - { name: ${name}, listen: "127.0.0.1:${port}", upstream: "${upstream}", edge: { from: ${from}, to: ${to} } }\n`;

function manifestText(proxies: string): string {
  return `version: 1
system: { name: shop }
traces: { type: files, paths: [traces.json] }
proxies:
${proxies}entrypoints:
  - { name: checkout, method: POST, url: "http://127.0.0.1:9000/checkout", idempotencyHeader: Idempotency-Key }
probes:
  - { name: emails, type: http, url: "http://127.0.0.1:9003/debug/emails", service: worker }
claims:
  - id: one_email_per_checkout
    text: every acknowledged checkout sends exactly one email
    category: durability
    check: { type: exactly-once, probe: emails, selector: "$.emails[*].orderKey", entrypoint: checkout }
`;
}

const PHYSICAL = proxy('orders_redis', 'orders', 'redis', 'redis:6379', 21001) + proxy('worker_redis', 'worker', 'redis', 'redis:6379', 21002) + proxy('worker_smtp', 'worker', 'smtp', 'smtp:25', 21003);

function input(text: string, snap: GraphSnapshot): PlanInput {
  const manifest = parseManifest(text, { baseDir: '.' });
  return { manifest, snapshot: snap, ranking: { weights: {}, items: [] }, claims: manifest.claims, missing: [], now: new Date(0) };
}

function reach(text: string, snap: GraphSnapshot) {
  const manifest = parseManifest(text, { baseDir: '.' });
  return claimReach(manifest.claims[0], snap, matchEntrypoints(manifest.entrypoints, snap.entrypoints), manifest.probes, manifest.proxies);
}

describe('claims across an asynchronous hop', () => {
  it('follows producer -> broker -> consumer and the consumer\'s own dependencies, for a broker that also serves as a cache', () => {
    const r = reach(manifestText(PHYSICAL), snapshot(true));
    expect([...r.edges.keys()].sort()).toEqual(['orders->redis', 'orders->worker', 'worker->redis', 'worker->smtp']);
    expect(r.physical).toEqual([]);
  });

  it('plans the hop on the edges proxies carry, never on the logical producer->consumer edge', async () => {
    const plan = await new RulePlanGenerator().generate(input(manifestText(PHYSICAL), snapshot(true)));
    const edges = new Set(plan.scenarios.map((s) => s.target.edge));
    expect(edges.has('orders->worker')).toBe(false);
    expect(plan.scenarios.length).toBeGreaterThan(0);
    for (const e of edges) expect(['orders->redis', 'worker->redis', 'worker->smtp']).toContain(e);
    expect(plan.coverage[0].covered).toBe(true);
    expect(plan.residualUncertainty.some((r) => r.startsWith('orders->worker affects one_email_per_checkout'))).toBe(true);
  });

  it('builds the producer -> broker edge from the hop when only a proxy names it', async () => {
    const snap = snapshot(false);
    const r = reach(manifestText(PHYSICAL), snap);
    expect([...r.edges.keys()].sort()).toEqual(['orders->redis', 'orders->worker', 'worker->redis', 'worker->smtp']);
    expect(r.physical).toHaveLength(1);
    expect(r.physical[0]).toMatchObject({ carries: 'orders->worker', edge: { id: 'orders->redis', source: 'orders', target: 'redis', mode: 'async', protocol: 'db', calls: 500 } });
    const plan = await new RulePlanGenerator().generate(input(manifestText(PHYSICAL), snap));
    const producer = plan.scenarios.filter((s) => s.target.edge === 'orders->redis');
    expect(producer.length).toBeGreaterThan(0);
    expect(producer[0].target.proxy).toBe('orders_redis');
    // A Redis client holds one long-lived connection: every fault lands on all of it.
    for (const s of producer) expect(s.fault.toxicity).toBe(1);
  });

  it('does not pull in a third service that uses the same Redis as a cache', () => {
    const snap = snapshot(true);
    snap.edges.push(edge('stock', 'redis', { protocol: 'db', serverAddresses: ['redis:6379'] }));
    expect([...reach(manifestText(PHYSICAL), snap).edges.keys()]).not.toContain('stock->redis');
  });

  it('follows a topic the consumer reads back to every producer of it', () => {
    // Unpaired producer spans: the graph shows orders -> kafka:emails and worker -> kafka:emails, no orders -> worker.
    const snap = snapshot(false);
    snap.nodes.push({ id: 'kafka:emails', type: 'queue', instrumented: false, system: 'kafka', spans: 1000 });
    snap.edges = snap.edges.filter((e) => e.id !== 'orders->worker');
    snap.edges.push(edge('orders', 'kafka:emails', { mode: 'async', protocol: 'messaging' }), edge('worker', 'kafka:emails', { protocol: 'messaging' }));
    expect([...reach(manifestText(PHYSICAL), snap).edges.keys()].sort()).toEqual(['orders->kafka:emails', 'worker->kafka:emails', 'worker->redis', 'worker->smtp']);
  });

  it('tries a consumer that no traced edge leads into (messages without trace context) on its own links first', async () => {
    const snap = snapshot(true);
    snap.edges = snap.edges.filter((e) => e.id !== 'orders->worker');
    const r = reach(manifestText(PHYSICAL), snap);
    expect([...r.edges.keys()].sort()).toEqual(['api->orders', 'orders->redis', 'worker->redis', 'worker->smtp']);
    expect([...(r.secondary ?? [])].sort()).toEqual(['api->orders', 'orders->redis']);
    const plan = await new RulePlanGenerator().generate(input(manifestText(PHYSICAL), snap));
    const order = [...new Set(plan.scenarios.map((s) => s.target.edge))];
    expect(order.slice(0, 2).sort()).toEqual(['worker->redis', 'worker->smtp']);
  });

  it('tries a synchronous effect claim on the edges into its service first, then on its own store', async () => {
    // A non-atomic check-then-act opens its window where the service writes:
    // slowed there, the caller times out and retries while the first write is
    // still in flight. The hop to the worker is not the service's store.
    const text = manifestText(PHYSICAL + proxy('api_orders', 'api', 'orders', 'orders:80', 21004)).replace('service: worker', 'service: orders');
    const r = reach(text, snapshot(true));
    expect([...r.edges.keys()].sort()).toEqual(['api->orders', 'orders->redis']);
    expect([...(r.secondary ?? [])]).toEqual(['orders->redis']);
    const plan = await new RulePlanGenerator().generate(input(text, snapshot(true)));
    const order = [...new Set(plan.scenarios.map((s) => s.target.edge))];
    expect(order).toEqual(['api->orders', 'orders->redis']);
  });
});

describe('a claim scoped to a worker that nothing calls directly', () => {
  const scoped = (text: string) => text.replace(
    /claims:[\s\S]*$/,
    `claims:
  - id: checkout_available_while_worker_down
    text: checkout stays available while the email worker is down
    category: availability
    check: { type: availability, entrypoint: checkout, maxErrorRate: 0.01, phase: fault, degraded: worker }
`,
  );

  it('is tied to the worker\'s own link to its broker, never to the logical hop or the producer\'s link', () => {
    const r = reach(scoped(manifestText(PHYSICAL)), snapshot(true));
    expect([...r.edges.keys()]).toEqual(['worker->redis']);
  });

  it('is tied to the worker\'s own links when no traced edge leads into it at all', () => {
    const snap = snapshot(true);
    snap.edges = snap.edges.filter((e) => e.id !== 'orders->worker');
    expect([...reach(scoped(manifestText(PHYSICAL)), snap).edges.keys()].sort()).toEqual(['worker->redis', 'worker->smtp']);
  });

  it('is planned on the proxy of that link', async () => {
    const plan = await new RulePlanGenerator().generate(input(scoped(manifestText(PHYSICAL)), snapshot(true)));
    expect(plan.scenarios.length).toBeGreaterThan(0);
    for (const s of plan.scenarios) expect(s.target.proxy).toBe('worker_redis');
    expect(plan.coverage[0].covered).toBe(true);
  });
});
