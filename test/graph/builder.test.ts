import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import { LATE_SPAN_WARNING } from '../../graph/trace-window.js';
import { hop, root, span } from './span-factory.js';

const fixedClock = () => new Date('2026-01-01T00:00:00Z');

describe('GraphBuilder', () => {
  it('pairs a client span with its server child in another service into one edge', () => {
    const b = new GraphBuilder({ now: fixedClock });
    const r = root('t1', 'orders');
    const [c, s] = hop('t1', 'orders', 'payments', { parent: r.spanId, durationMs: 20, status: 'error' });
    b.add([r, c, s]);
    const snap = b.snapshot();
    expect(snap.edges.map((e) => e.id)).toEqual(['orders->payments']);
    const e = snap.edges[0];
    expect([e.calls, e.errors, e.errorRate, e.mode, e.protocol]).toEqual([1, 1, 1, 'sync', 'http']);
    expect(e.latency.p50).toBeCloseTo(20, 0);
    expect(snap.nodes.map((n) => [n.id, n.type, n.instrumented, n.spans])).toEqual([
      ['orders', 'service', true, 2],
      ['payments', 'service', true, 1],
    ]);
    expect(snap.builtAt).toBe('2026-01-01T00:00:00.000Z');
    expect(snap.traces).toBe(1);
    expect(snap.depth).toEqual({ orders: 1, payments: 0 });
  });

  it('takes the error from the server span when the client span has no status', () => {
    const b = new GraphBuilder();
    const [c, s] = hop('t1', 'a', 'b', { serverStatus: 'error' });
    b.add([c, s]);
    expect(b.snapshot().edges[0].errors).toBe(1);
  });

  it('infers database, cache, queue and external callees from client attributes', () => {
    const b = new GraphBuilder();
    const r = root('t1', 'orders');
    const mk = (attributes: object, kind: 'client' | 'producer' | 'unspecified' = 'client') =>
      span({ traceId: 't1', service: 'orders', kind, parentSpanId: r.spanId, attributes });
    b.add([
      r,
      mk({ dbSystem: 'postgresql', dbName: 'orders' }),
      mk({ dbSystem: 'redis' }),
      mk({ messagingSystem: 'kafka', messagingDestination: 'order-events' }, 'producer'),
      mk({ peerService: 'stripe', serverAddress: 'api.stripe.com', serverPort: 443 }),
      mk({ serverAddress: 'geo.example.org' }),
      mk({ dbSystem: 'sql' }, 'unspecified'),
    ]);
    const snap = b.snapshot();
    const byId = Object.fromEntries(snap.nodes.map((n) => [n.id, n]));
    expect(byId['postgresql:orders']).toMatchObject({ type: 'database', system: 'postgresql', instrumented: false, spans: 1 });
    expect(byId.redis).toMatchObject({ type: 'cache', system: 'redis' });
    expect(byId['kafka:order-events']).toMatchObject({ type: 'queue', system: 'kafka' });
    expect(byId.stripe).toMatchObject({ type: 'external' });
    expect(byId['geo.example.org']).toMatchObject({ type: 'external' });
    expect(byId.sql).toMatchObject({ type: 'database' });
    const edges = Object.fromEntries(snap.edges.map((e) => [e.id, e]));
    expect(edges['orders->kafka:order-events'].mode).toBe('async');
    expect(edges['orders->postgresql:orders'].protocol).toBe('db');
    expect(edges['orders->stripe'].serverAddresses).toEqual(['api.stripe.com:443']);
  });

  it('leaves a consumer\'s blocking reads out of the edge latency, and still counts them as calls', () => {
    const b = new GraphBuilder();
    const spans = [];
    for (let i = 0; i < 40; i++) {
      const r = root(`t${i}`, 'worker');
      const cmd = (operation: string, ms: number) => span({ traceId: `t${i}`, service: 'worker', kind: 'client', parentSpanId: r.spanId, operation, durationUs: ms * 1000, attributes: { dbSystem: 'redis' } });
      // A quiet list: BLPOP waits up to a second for work; the writes take 2 ms.
      spans.push(r, cmd('BLPOP', 900 + i), cmd('blpop jobs', 1000), cmd('SET', 2), cmd('XREADGROUP GROUP g c BLOCK 5000', 5000));
    }
    b.add(spans);
    const e = b.snapshot().edges.find((x) => x.id === 'worker->redis')!;
    expect(e.calls).toBe(160);
    expect(e.latency.count).toBe(40);
    expect(e.latency.p99).toBeLessThan(3);
    expect(e.operations).toContain('BLPOP');
  });

  it('lands a peer.service call on the instrumented service of that name', () => {
    const b = new GraphBuilder();
    b.add([span({ traceId: 't1', service: 'a', kind: 'client', attributes: { peerService: 'b' } })]);
    b.add([span({ traceId: 't2', service: 'b', kind: 'server' })]);
    const snap = b.snapshot();
    expect(snap.nodes.find((n) => n.id === 'b')).toMatchObject({ type: 'service', instrumented: true });
    expect(snap.edges.map((e) => e.id)).toEqual(['a->b']);
  });

  it('pairs a producer with its child consumer and with a linked consumer as async edges', () => {
    const b = new GraphBuilder();
    const p = span({ traceId: 't1', service: 'orders', kind: 'producer', attributes: { messagingSystem: 'kafka' } });
    const child = span({ traceId: 't1', service: 'mailer', kind: 'consumer', parentSpanId: p.spanId });
    const p2 = span({ traceId: 't2', service: 'orders', kind: 'producer' });
    const linked = span({ traceId: 't3', service: 'billing', kind: 'consumer', links: [{ traceId: 't2', spanId: p2.spanId }] });
    b.add([p, child, p2]);
    b.add([linked]);
    const edges = Object.fromEntries(b.snapshot().edges.map((e) => [e.id, e]));
    expect(edges['orders->mailer']).toMatchObject({ mode: 'async', protocol: 'messaging', calls: 1 });
    expect(edges['orders->billing']).toMatchObject({ mode: 'async', calls: 1 });
  });

  it('pairs spans that arrive out of order and across batches within the window', () => {
    const b = new GraphBuilder();
    const r = root('t1', 'gw');
    const [c, s] = hop('t1', 'gw', 'api', { parent: r.spanId });
    b.add([s]);
    b.add([span({ traceId: 't2', service: 'other', kind: 'server' })]);
    b.add([c, r]);
    const snap = b.snapshot();
    expect(snap.edges.map((e) => [e.id, e.calls])).toEqual([['gw->api', 1]]);
    expect(snap.crossings['gw->api']).toEqual({ 'gw POST /checkout': 1 });
    expect(snap.warnings).toEqual({});
  });

  it('counts a late span of an already finalized trace as a warning', () => {
    const b = new GraphBuilder({ maxTraces: 2 });
    const r = root('t1', 'gw');
    const [c, s] = hop('t1', 'gw', 'api', { parent: r.spanId });
    b.add([r, c]);
    b.add([root('t2', 'x'), root('t3', 'y')]); // evicts t1
    b.add([s]);
    const snap = b.snapshot();
    expect(snap.warnings[LATE_SPAN_WARNING]).toBe(1);
    expect(snap.warnings['span parent missing']).toBeUndefined();
    // the late server span's parent is gone: it becomes a root (and counts as such)
    expect(snap.warnings['span parent missing: treated as root']).toBe(1);
  });

  it('treats a server span whose parent never arrives as a root, and counts it', () => {
    const b = new GraphBuilder();
    b.add([
      span({ traceId: 't1', service: 'api', kind: 'server', parentSpanId: 'gone', attributes: { httpMethod: 'GET', urlPath: '/orders/12345?x=1' } }),
      span({ traceId: 't1', service: 'api', kind: 'internal', parentSpanId: 'also-gone' }),
    ]);
    const snap = b.snapshot();
    expect(snap.warnings).toEqual({ 'span parent missing: treated as root': 1, 'span parent missing': 1 });
    expect(snap.entrypoints.map((e) => e.id)).toEqual(['api GET /orders/{id}']);
  });

  it('counts sequential repeated sibling calls to the same callee and operation as retries', () => {
    const b = new GraphBuilder();
    for (let t = 0; t < 10; t++) {
      const r = root(`t${t}`, 'orders');
      const attempts = t < 4 ? 3 : 1; // 4 parents retry twice
      for (let i = 0; i < attempts; i++) b.add(hop(`t${t}`, 'orders', 'payments', { parent: r.spanId, operation: 'charge', atMs: i * 20 }));
      b.add([r]);
    }
    const e = b.snapshot().edges[0];
    expect(e.calls).toBe(18);
    expect(e.retries).toEqual({ retriedParents: 4, extraAttempts: 8, amplification: 18 / 10 });
  });

  it('honours http.request.resend_count without double counting sibling retries', () => {
    const b = new GraphBuilder();
    const r = root('t1', 'a');
    const first = span({ traceId: 't1', service: 'a', kind: 'client', parentSpanId: r.spanId, attributes: { peerService: 'ext' } });
    const again = span({ traceId: 't1', service: 'a', kind: 'client', parentSpanId: r.spanId, attributes: { peerService: 'ext', resendCount: 1 } });
    const lone = span({ traceId: 't2', service: 'a', kind: 'client', attributes: { peerService: 'ext', resendCount: 2 } });
    b.add([r, first, again, lone]);
    expect(b.snapshot().edges[0].retries).toMatchObject({ retriedParents: 2, extraAttempts: 2 });
  });

  it('reports an observed timeout when failed calls pile up at a constant cut-off', () => {
    const b = new GraphBuilder();
    for (let i = 0; i < 200; i++) {
      const timedOut = i % 10 === 0;
      const ms = timedOut ? 1000 + (i % 7) : 20 + (i % 30);
      b.add(hop(`t${i}`, 'api', 'slow', { durationMs: ms, status: timedOut ? 'error' : 'unset' }));
    }
    const e = b.snapshot().edges[0];
    expect(e.timeout.evidence).toBe('observed');
    expect(e.timeout.cutoffMs!).toBeGreaterThan(980);
    expect(e.timeout.cutoffMs!).toBeLessThan(1030);
    expect(e.timeout.hits).toBe(20);
  });

  it('reports no timeout when errors are spread out or fast', () => {
    const b = new GraphBuilder();
    for (let i = 0; i < 200; i++) b.add(hop(`t${i}`, 'api', 'flaky', { durationMs: 5 + i * 3, status: i % 5 === 0 ? 'error' : 'unset' }));
    for (let i = 0; i < 200; i++) b.add(hop(`u${i}`, 'api', 'fast', { durationMs: 2, status: i % 2 === 0 ? 'error' : 'unset' }));
    const edges = Object.fromEntries(b.snapshot().edges.map((e) => [e.id, e.timeout]));
    expect(edges['api->flaky']).toEqual({ evidence: 'none' });
    expect(edges['api->fast']).toEqual({ evidence: 'none' });
  });

  it('groups entrypoints by service, method and route with volume, errors and latency', () => {
    const b = new GraphBuilder();
    for (let i = 0; i < 5; i++) b.add([root(`c${i}`, 'shop', '/checkout', 'POST', i === 0 ? 'error' : 'unset')]);
    for (let i = 0; i < 3; i++) b.add([span({ traceId: `s${i}`, service: 'shop', kind: 'server', operation: 'GET', attributes: { httpMethod: 'get', urlPath: `http://shop/stock/${100 + i}` } })]);
    b.add([span({ traceId: 'x', service: 'shop', kind: 'internal' })]); // not an entrypoint
    const eps = b.snapshot().entrypoints;
    expect(eps.map((e) => [e.id, e.calls, e.errors])).toEqual([
      ['shop POST /checkout', 5, 1],
      ['shop GET /stock/{id}', 3, 0],
    ]);
    expect(eps[0].latency.p50).toBeCloseTo(50, 0);
  });

  it('records which entrypoints cross which edges, once per trace', () => {
    const b = new GraphBuilder();
    for (let t = 0; t < 4; t++) {
      const r = root(`c${t}`, 'shop', '/checkout');
      const [c1, s1] = hop(`c${t}`, 'shop', 'orders', { parent: r.spanId });
      const [c2, s2] = hop(`c${t}`, 'orders', 'payments', { parent: s1.spanId });
      const [c3, s3] = hop(`c${t}`, 'orders', 'payments', { parent: s1.spanId, operation: 'refund' });
      b.add([r, c1, s1, c2, s2, c3, s3]);
    }
    const r = root('b1', 'shop', '/browse', 'GET');
    b.add([r, ...hop('b1', 'shop', 'catalog', { parent: r.spanId })]);
    const snap = b.snapshot();
    expect(snap.crossings).toEqual({
      'orders->payments': { 'shop POST /checkout': 4 },
      'shop->catalog': { 'shop GET /browse': 1 },
      'shop->orders': { 'shop POST /checkout': 4 },
    });
    expect(snap.depth).toMatchObject({ shop: 2, orders: 1, payments: 0, catalog: 0 });
    expect(snap.edges.find((e) => e.id === 'orders->payments')!.operations).toEqual(['GET /x', 'refund']);
  });

  it('keeps its active-trace window bounded while consuming 200k spans', () => {
    const b = new GraphBuilder({ maxTraces: 500 });
    let maxSeen = 0;
    for (let t = 0; t < 20_000; t++) {
      const r = root(`t${t}`, 'gw', '/r');
      const batch = [r];
      let parent = r.spanId;
      for (let h = 0; h < 4; h++) {
        const [c, s] = hop(`t${t}`, `svc${h}`, `svc${h + 1}`, { parent });
        batch.push(c, s);
        parent = s.spanId;
      }
      batch.push(span({ traceId: `t${t}`, service: 'svc4', kind: 'internal', parentSpanId: parent }));
      b.add(batch.reverse()); // children before parents
      maxSeen = Math.max(maxSeen, b.activeTraces);
    }
    expect(b.spans).toBe(200_000);
    expect(maxSeen).toBeLessThanOrEqual(500);
    expect(b.peakActiveTraces).toBe(500);
    const snap = b.snapshot();
    expect(b.activeTraces).toBe(0);
    expect(snap.traces).toBe(20_000);
    expect(snap.edges.map((e) => e.calls)).toEqual([20_000, 20_000, 20_000, 20_000]);
    expect(snap.warnings).toEqual({});
  });
});
