import { describe, expect, it } from 'vitest';
import { suggestProxies } from '../../generators/proxy-suggest.js';
import { sampleSnapshot } from './sample-system.js';

describe('proxy suggestions', () => {
  it('suggests one proxy per edge with deterministic names, ports and upstreams from server addresses', () => {
    const s = suggestProxies(sampleSnapshot(), { listenHost: '127.0.0.1', basePort: 25000 });
    expect(s.proxies).toEqual([
      { name: 'api_to_orders', listen: '127.0.0.1:25000', upstream: 'orders:9001', edge: { from: 'api', to: 'orders' } },
      { name: 'api_to_redis', listen: '127.0.0.1:25001', upstream: 'TODO-redis:0', edge: { from: 'api', to: 'redis' } },
      { name: 'orders_to_kafka_order_events', listen: '127.0.0.1:25002', upstream: 'TODO-kafka_order_events:0', edge: { from: 'orders', to: 'kafka:order-events' } },
      { name: 'orders_to_payments', listen: '127.0.0.1:25003', upstream: 'payments:9002', edge: { from: 'orders', to: 'payments' } },
      { name: 'orders_to_postgresql', listen: '127.0.0.1:25004', upstream: 'TODO-postgresql:0', edge: { from: 'orders', to: 'postgresql' } },
    ]);
    expect(s.populate[3]).toEqual({ name: 'orders_to_payments', listen: '127.0.0.1:25003', upstream: 'payments:9002', enabled: true });
    expect(s.todo.map((t) => t.proxy)).toEqual(['api_to_redis', 'orders_to_kafka_order_events', 'orders_to_postgresql']);
    expect(s.todo[0].reason).toContain("set upstream to redis's real host:port");
  });

  it('skips edges that already have a proxy and keeps names unique', () => {
    const snap = sampleSnapshot();
    snap.edges.push({ ...snap.edges[1], id: 'orders->Payments', target: 'Payments' });
    const s = suggestProxies(snap, { skipEdges: new Set(['api->orders', 'api->redis']) });
    expect(s.proxies.map((p) => p.name)).toEqual(['orders_to_payments', 'orders_to_kafka_order_events', 'orders_to_payments_2', 'orders_to_postgresql']);
    expect(s.proxies[0].listen).toBe('127.0.0.1:21000');
  });

  it('is deterministic for the same graph', () => {
    expect(JSON.stringify(suggestProxies(sampleSnapshot()))).toBe(JSON.stringify(suggestProxies(sampleSnapshot())));
  });
});
