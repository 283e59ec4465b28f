import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import { resolveNode } from '../../graph/node-names.js';
import { matchProxyEdges } from '../../graph/proxy-edges.js';
import type { GraphSnapshot } from '../../graph/model.js';
import { hop, root, span } from './span-factory.js';

/** kitchen → postgresql:kitchen (dialled as postgres:5432), kitchen → redis, kitchen → payments (peer.service payments-api, dialled as 10.0.3.7:8443). */
function restaurant(): GraphSnapshot {
  const b = new GraphBuilder();
  const r = root('t1', 'kitchen', '/orders');
  const db = span({ traceId: 't1', service: 'kitchen', kind: 'client', parentSpanId: r.spanId, attributes: { dbSystem: 'postgresql', dbName: 'kitchen', serverAddress: 'postgres', serverPort: 5432 } });
  const cache = span({ traceId: 't1', service: 'kitchen', kind: 'client', parentSpanId: r.spanId, attributes: { dbSystem: 'redis', serverAddress: 'cache.internal' } });
  const [c, s] = hop('t1', 'kitchen', 'payments', { parent: r.spanId });
  c.attributes = { ...c.attributes, peerService: 'payments-api', serverAddress: '10.0.3.7', serverPort: 8443 };
  b.add([r, db, cache, c, s]);
  return b.snapshot();
}

describe('node aliases in the snapshot', () => {
  it('records the names spans used for a node: db.system, peer.service, host and host:port', () => {
    const snap = restaurant();
    const byId = Object.fromEntries(snap.nodes.map((n) => [n.id, n]));
    expect(byId['postgresql:kitchen'].aliases).toEqual(['postgres', 'postgres:5432', 'postgresql']);
    // The id itself is no alias: `redis` is already how the node is called.
    expect(byId.redis.aliases).toEqual(['cache.internal']);
    expect(byId.payments.aliases).toEqual(['10.0.3.7', '10.0.3.7:8443', 'payments-api']);
    expect(byId.kitchen.aliases).toBeUndefined();
  });
});

describe('resolveNode', () => {
  const snap = restaurant();
  const ids = (name: string) => resolveNode(snap, name).map((m) => `${m.id} (${m.how})`);

  it('matches the node id first, and nothing else when it does', () => {
    expect(ids('postgresql:kitchen')).toEqual(['postgresql:kitchen (id)']);
    expect(ids('kitchen')).toEqual(['kitchen (id)']);
  });

  it('matches database system names and their common spellings', () => {
    for (const name of ['postgresql', 'postgres', 'pg', 'PostgreSQL']) expect(ids(name)).toEqual(['postgresql:kitchen (system)']);
    expect(ids('mysql')).toEqual([]);
  });

  it('matches peer.service and the host or host:port the caller dialled', () => {
    expect(ids('payments-api')).toEqual(['payments (peer-service)']);
    expect(ids('10.0.3.7:8443')).toEqual(['payments (address)']);
    expect(ids('cache.internal')).toEqual(['redis (address)']);
    expect(ids('postgres:5432')).toEqual(['postgresql:kitchen (address)']);
  });

  it('matches a service by its short name and a node type last', () => {
    const k8s: Pick<GraphSnapshot, 'nodes'> = { nodes: [{ id: 'reviews.bookinfo', type: 'service', instrumented: true, spans: 1 }, { id: 'ratings.bookinfo', type: 'service', instrumented: true, spans: 1 }] };
    expect(resolveNode(k8s, 'reviews')).toEqual([{ id: 'reviews.bookinfo', how: 'service' }]);
    expect(ids('database')).toEqual(['postgresql:kitchen (type)']);
    expect(ids('cache')).toEqual(['redis (type)']);
    expect(ids('nowhere')).toEqual([]);
  });
});

describe('matchProxyEdges', () => {
  const snap = restaurant();

  it('matches a proxy written with the names people use to the traced edge', () => {
    const m = matchProxyEdges(snap, { name: 'kitchen-db', listen: '0.0.0.0:21004', upstream: 'postgres:5432', edge: { from: 'kitchen', to: 'postgres' } });
    expect(m.edges).toEqual(['kitchen->postgresql:kitchen']);
  });

  it('matches by the dialled address when the names match nothing (traces recorded through the proxy)', () => {
    const m = matchProxyEdges(snap, { name: 'p', listen: '10.0.3.7:8443', upstream: 'payments.internal:443', edge: { from: 'kitchen', to: 'billing' } });
    expect(m.edges).toEqual(['kitchen->payments']);
  });

  it('says why a proxy matches no traced edge and names the nearest candidates', () => {
    const m = matchProxyEdges(snap, { name: 'p', listen: '127.0.0.1:21009', upstream: 'mongo:27017', edge: { from: 'kitchen', to: 'mongodb' } });
    expect(m.edges).toEqual([]);
    expect(m.reason).toContain('"mongodb" names no node of the traced graph');
    expect(m.candidates).toEqual(['kitchen->payments', 'kitchen->postgresql:kitchen', 'kitchen->redis']);
    const wrongCaller = matchProxyEdges(snap, { name: 'p', listen: '127.0.0.1:21010', upstream: 'x:1', edge: { from: 'waiter', to: 'redis' } });
    expect(wrongCaller.reason).toContain('"waiter" names no node');
    expect(wrongCaller.candidates).toEqual(['kitchen->redis']);
  });
});
