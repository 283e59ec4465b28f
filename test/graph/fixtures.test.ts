import { describe, expect, it } from 'vitest';
import { buildGraph, GraphBuilder } from '../../graph/builder.js';
import { graphFromDependencies } from '../../graph/dependency-list.js';
import { rankRisks } from '../../graph/risk.js';
import { toMermaid } from '../../graph/mermaid.js';
import { toDot } from '../../graph/dot.js';
import { UNNAMED_CALLEE_WARNING } from '../../graph/trace-analysis.js';
import { FileTraceSource } from '../../ingest/file-source.js';
import { spansFromJaegerJson } from '../../ingest/jaeger-json.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { readTraceFixture, traceFixture } from '../support/fixtures.js';

const everything = { startUs: -Infinity, endUs: Infinity };

async function fromFixture(name: string) {
  const warnings = new IngestWarnings();
  const progress: number[] = [];
  const snap = await buildGraph(new FileTraceSource([traceFixture(name)]), everything, warnings, (p) => progress.push(p.spans));
  return { snap, warnings, progress };
}

describe('graph from the Kiali/Istio Tempo trace', () => {
  it('finds the 5 bookinfo services and their 4 client→server hops with client-side latency', async () => {
    const { snap, progress } = await fromFixture('tempo-trace-v1.kiali-responseTrace.json');
    expect(snap.spans).toBe(8);
    expect(snap.traces).toBe(1);
    expect(progress.at(-1)).toBe(8);
    expect(snap.nodes.map((n) => [n.id, n.type, n.spans])).toEqual([
      ['details.bookinfo', 'service', 1],
      ['istio-ingressgateway.istio-system', 'service', 1],
      ['productpage.bookinfo', 'service', 3],
      ['ratings.bookinfo', 'service', 1],
      ['reviews.bookinfo', 'service', 2],
    ]);
    const edges = Object.fromEntries(snap.edges.map((e) => [e.id, e]));
    expect(Object.keys(edges)).toEqual([
      'istio-ingressgateway.istio-system->productpage.bookinfo',
      'productpage.bookinfo->details.bookinfo',
      'productpage.bookinfo->reviews.bookinfo',
      'reviews.bookinfo->ratings.bookinfo',
    ]);
    // Client span durations from the fixture: 11.932 ms, 1.334 ms, 2.724 ms, 0.85 ms (±1% sketch error).
    expect(edges['istio-ingressgateway.istio-system->productpage.bookinfo'].latency.p99).toBeCloseTo(11.932, 1);
    expect(edges['productpage.bookinfo->details.bookinfo'].latency.p50).toBeCloseTo(1.334, 1);
    expect(edges['productpage.bookinfo->reviews.bookinfo'].latency.max).toBe(2.724);
    expect(edges['reviews.bookinfo->ratings.bookinfo'].latency.p50).toBeCloseTo(0.85, 1);
    for (const e of snap.edges) expect([e.calls, e.errors, e.mode, e.protocol]).toEqual([1, 0, 'sync', 'http']);
  });

  it('treats the ingress gateway root client span as the entrypoint and records what it crosses', async () => {
    const { snap } = await fromFixture('tempo-trace-v1.kiali-responseTrace.json');
    const ep = 'istio-ingressgateway.istio-system GET /productpage';
    expect(snap.entrypoints.map((e) => [e.id, e.calls, e.errors])).toEqual([[ep, 1, 0]]);
    expect(Object.keys(snap.crossings)).toHaveLength(4);
    for (const byEntry of Object.values(snap.crossings)) expect(byEntry).toEqual({ [ep]: 1 });
    expect(snap.depth).toEqual({
      'details.bookinfo': 0,
      'istio-ingressgateway.istio-system': 3,
      'productpage.bookinfo': 2,
      'ratings.bookinfo': 0,
      'reviews.bookinfo': 1,
    });
  });
});

describe('graph from the jaeger-ui trace-graph test trace', () => {
  it('finds the retried client call, the producer→consumer pair and the db.type=sql call', async () => {
    const { snap, warnings } = await fromFixture('jaeger-trace.tracegraph-testTrace.json');
    expect(snap.spans).toBe(11);
    const edges = Object.fromEntries(snap.edges.map((e) => [e.id, e]));
    expect(Object.keys(edges)).toEqual(['service1->service2', 'service1->unknown', 'service2->sql']);
    // span-3 → span-4 (client→server, 66 ms) and span-6 → span-7 (producer→consumer, FOLLOWS_FROM, 20 ms)
    expect(edges['service1->service2']).toMatchObject({ calls: 2, errors: 0 });
    expect(edges['service1->service2'].latency.max).toBe(66);
    // span-2 (error, 33 ms) and span-2_1 (37 ms): the same op2 twice under span-1
    expect(edges['service1->unknown']).toMatchObject({ calls: 2, errors: 1, errorRate: 0.5 });
    expect(edges['service1->unknown'].retries).toEqual({ retriedParents: 1, extraAttempts: 1, amplification: 2 });
    // span-5 carries db.type=sql and no span.kind
    expect(edges['service2->sql']).toMatchObject({ calls: 1, protocol: 'db' });
    expect(snap.nodes.find((n) => n.id === 'sql')).toMatchObject({ type: 'database', system: 'sql', instrumented: false });
    expect(warnings.toJSON()[UNNAMED_CALLEE_WARNING]).toBe(2);
    expect(snap.entrypoints.map((e) => e.id)).toEqual(['service1 - op1']);
  });

  it('pairs the FOLLOWS_FROM consumer with its producer as an async edge when seen alone', () => {
    const doc = JSON.parse(readTraceFixture('jaeger-trace.tracegraph-testTrace.json').toString('utf8'));
    const spans = spansFromJaegerJson(doc, new IngestWarnings()).filter((s) => s.kind === 'producer' || s.kind === 'consumer' || s.kind === 'server');
    const b = new GraphBuilder();
    b.add(spans);
    const e = b.snapshot().edges;
    expect(e.map((x) => [x.id, x.mode, x.protocol, x.calls])).toEqual([['service1->service2', 'async', 'messaging', 1]]);
  });
});

describe('graph from a Jaeger dependency list', () => {
  const links = JSON.parse(readTraceFixture('jaeger-dependencies.large.json').toString('utf8'));

  it('builds 1,238 services and 4,271 edges carrying ~3.0M calls', () => {
    const snap = graphFromDependencies(links);
    expect(snap.nodes).toHaveLength(1238);
    expect(snap.edges).toHaveLength(4271);
    expect(snap.edges.reduce((a, e) => a + e.calls, 0)).toBe(2_985_281);
    expect(snap.edges.find((e) => e.id === 'Service574->Service1529')!.calls).toBe(54);
    const callers = new Set(snap.edges.map((e) => e.source));
    const leaves = snap.nodes.filter((n) => !callers.has(n.id));
    expect(leaves).toHaveLength(240);
    for (const n of leaves) expect(snap.depth[n.id]).toBe(0);
    expect(Math.max(...Object.values(snap.depth))).toBeGreaterThan(5);
    expect(snap.warnings).toEqual({});
  });

  it('ranks and exports the whole list, the deepest fan-outs first', () => {
    const snap = graphFromDependencies(links);
    const ranking = rankRisks(snap);
    expect(ranking.items).toHaveLength(4271);
    const top = ranking.items[0];
    expect(top.factors.depth + top.factors.fanOut).toBeGreaterThanOrEqual(10);
    expect(ranking.items.at(-1)!.score).toBeLessThanOrEqual(top.score);
    const mermaid = toMermaid(snap, { ranking });
    expect(mermaid.split('\n').filter((l) => l.includes('-->'))).toHaveLength(4271);
    expect(toDot(snap, { ranking }).split('\n').filter((l) => l.includes('color=red'))).toHaveLength(5);
  });

  it('skips malformed links with counted warnings and rejects a non-list', () => {
    const snap = graphFromDependencies({ data: [{ parent: 'a', child: 'b', callCount: 3 }, { parent: 'a' }, { parent: 'a', child: 'c', callCount: -1 }, { parent: 'a', child: 'b', callCount: 2 }] });
    expect(snap.edges.map((e) => [e.id, e.calls])).toEqual([['a->b', 5]]);
    expect(snap.warnings).toEqual({ 'dependency link skipped: parent or child missing': 1, 'dependency link skipped: callCount is not a non-negative number': 1 });
    expect(() => graphFromDependencies('nope')).toThrow(expect.objectContaining({ code: 'TRACE_FORMAT' }));
  });
});
