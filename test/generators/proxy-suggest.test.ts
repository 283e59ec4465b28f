import { describe, expect, it } from 'vitest';
import { suggestProxies } from '../../generators/proxy-suggest.js';
import type { GraphEdge, GraphSnapshot } from '../../graph/model.js';
import { parseManifest } from '../../generators/manifest-loader.js';
import { manifestYaml, sampleSnapshot } from './sample-system.js';

/** Every upstream a suggestion writes: a real host:port, or a placeholder the manifest loader rejects by its TODO. */
const HOST_PORT = /^(?:[A-Za-z0-9.-]+|\[[0-9a-f:]+\]):\d{1,5}$/;

function withEdge(snap: GraphSnapshot, id: string, over: Partial<GraphEdge>): GraphSnapshot {
  const e = snap.edges.find((x) => x.id === id)!;
  Object.assign(e, over);
  return snap;
}

describe('proxy suggestions', () => {
  it('suggests one proxy per edge with deterministic names, ports and upstreams from server addresses', () => {
    const s = suggestProxies(sampleSnapshot(), { listenHost: '127.0.0.1', basePort: 25000 });
    expect(s.proxies.map((p) => [p.name, p.listen, p.edge])).toEqual([
      ['api_to_orders', '127.0.0.1:25000', { from: 'api', to: 'orders' }],
      ['api_to_redis', '127.0.0.1:25001', { from: 'api', to: 'redis' }],
      ['orders_to_kafka_order_events', '127.0.0.1:25002', { from: 'orders', to: 'kafka:order-events' }],
      ['orders_to_payments', '127.0.0.1:25003', { from: 'orders', to: 'payments' }],
      ['orders_to_postgresql', '127.0.0.1:25004', { from: 'orders', to: 'postgresql' }],
    ]);
    expect(s.proxies[0].upstream).toBe('orders:9001');
    expect(s.proxies[1].upstream).toMatch(/^TODO-redis:\d+$/);
    expect(s.proxies[2].upstream).toBe('TODO-kafka_order_events:9092');
    expect(s.proxies[4].upstream).toBe('TODO-postgresql:5432');
    expect(s.populate[3]).toEqual({ name: 'orders_to_payments', listen: '127.0.0.1:25003', upstream: 'payments:9002', enabled: true });
    expect(s.todo.map((t) => t.proxy)).toEqual(['api_to_redis', 'orders_to_kafka_order_events', 'orders_to_postgresql']);
    expect(s.todo[0].reason).toContain("set upstream to redis's real host");
  });

  it('skips edges that already have a proxy and keeps names unique', () => {
    const snap = sampleSnapshot();
    snap.edges.push({ ...snap.edges[1], id: 'orders->Payments', target: 'Payments' });
    const s = suggestProxies(snap, { skipEdges: new Set(['api->orders', 'api->redis']) });
    expect(s.proxies.map((p) => p.name)).toEqual(['orders_to_payments', 'orders_to_kafka_order_events', 'orders_to_payments_2', 'orders_to_postgresql']);
    expect(s.proxies[0].listen).toBe('127.0.0.1:21000');
  });

  it('never proposes a TODO proxy for a logical producer → consumer hop; a known broker address becomes the proxy', () => {
    const snap = sampleSnapshot();
    const logical: GraphEdge = { ...snap.edges[3], id: 'orders->mailer', target: 'mailer', mode: 'async', protocol: 'messaging', serverAddresses: [] };
    snap.edges.push(logical);
    const s = suggestProxies(snap);
    expect(s.proxies.some((p) => p.edge.to === 'mailer')).toBe(false);
    expect(s.logical).toEqual([{ edge: 'orders->mailer', reason: expect.stringContaining('orders → broker and mailer → broker') }]);
    logical.serverAddresses = ['kafka-0.kafka:9092'];
    const withBroker = suggestProxies(snap);
    expect(withBroker.proxies.find((p) => p.edge.to === 'mailer')).toMatchObject({ name: 'orders_to_kafka_0_kafka', upstream: 'kafka-0.kafka:9092' });
    expect(withBroker.logical[0].reason).toContain('proxy orders_to_kafka_0_kafka carries it');
  });

  it('puts the proxies of a logical hop on the broker edges, adding the producer side the graph lacks', () => {
    const snap = sampleSnapshot();
    snap.edges = snap.edges.filter((e) => e.id !== 'orders->kafka:order-events');
    snap.edges.push(
      { ...snap.edges[0], id: 'orders->mailer', source: 'orders', target: 'mailer', mode: 'async', protocol: 'messaging', serverAddresses: [] },
      { ...snap.edges[0], id: 'mailer->kafka:order-events', source: 'mailer', target: 'kafka:order-events', mode: 'sync', protocol: 'messaging', serverAddresses: ['kafka:9092'] },
    );
    const s = suggestProxies(snap);
    expect(s.proxies.filter((p) => p.edge.to === 'kafka:order-events').map((p) => [p.name, p.edge.from, p.upstream])).toEqual([
      ['mailer_to_kafka_order_events', 'mailer', 'kafka:9092'],
      ['orders_to_kafka_order_events', 'orders', 'kafka:9092'],
    ]);
    expect(s.proxies.some((p) => p.edge.to === 'mailer')).toBe(false);
    expect(s.logical).toEqual([{ edge: 'orders->mailer', reason: expect.stringContaining('orders->kafka:order-events, mailer->kafka:order-events') }]);
  });

  it('always writes host:port: the system default port for a bare host, a rejected TODO port for unknown ones', () => {
    const snap = withEdge(withEdge(sampleSnapshot(), 'orders->postgresql', { serverAddresses: ['db.internal'] }), 'orders->payments', { serverAddresses: ['payments'] });
    const s = suggestProxies(snap);
    const up = Object.fromEntries(s.proxies.map((p) => [p.name, p.upstream]));
    expect(up.orders_to_postgresql).toBe('db.internal:5432');
    expect(up.orders_to_payments).toBe('payments:TODO-port');
    expect(s.todo.find((t) => t.proxy === 'orders_to_payments')?.reason).toContain('no port');
    for (const p of s.proxies) expect(p.upstream.includes('TODO') || HOST_PORT.test(p.upstream)).toBe(true);
  });

  it('leaves placeholders the manifest loader rejects by the proxy\'s name', () => {
    const upstream = suggestProxies(sampleSnapshot()).proxies.find((p) => p.name === 'orders_to_postgresql')!.upstream;
    const yaml = manifestYaml.replace('upstream: 127.0.0.1:5432', `upstream: ${upstream}`);
    expect(() => parseManifest(yaml, { baseDir: '.' })).toThrow(/proxies\[1\]\.upstream: proxy "orders_to_postgresql" still has the placeholder "TODO-postgresql:5432"/);
  });

  it('prefers a service DNS name over a pod IP', () => {
    const snap = withEdge(sampleSnapshot(), 'orders->payments', { serverAddresses: ['10.1.2.3:9002', 'payments.shop.svc:9002', '[fd00::7]:9002'] });
    expect(suggestProxies(snap).proxies.find((p) => p.name === 'orders_to_payments')?.upstream).toBe('payments.shop.svc:9002');
  });

  it('never proposes a proxy\'s own address as an upstream when traces were recorded through proxies', () => {
    const snap = withEdge(withEdge(sampleSnapshot(), 'orders->payments', { serverAddresses: ['toxiproxy:21001'] }), 'api->orders', { serverAddresses: ['127.0.0.1:21000'] });
    const s = suggestProxies(snap, { knownProxies: [{ listen: '0.0.0.0:21001', upstream: 'payments:9002' }] });
    const up = Object.fromEntries(s.proxies.map((p) => [p.name, p.upstream]));
    // The known proxy's upstream is the real callee behind the dialled address.
    expect(up.orders_to_payments).toBe('payments:9002');
    // 127.0.0.1:21000 is the listen address this very suggestion gives a proxy: never an upstream.
    expect(up.api_to_orders).toBe('TODO-orders:TODO-port');
    expect(s.todo.find((t) => t.proxy === 'api_to_orders')?.reason).toContain('through a proxy');
  });

  it('is deterministic for the same graph', () => {
    expect(JSON.stringify(suggestProxies(sampleSnapshot()))).toBe(JSON.stringify(suggestProxies(sampleSnapshot())));
  });
});
