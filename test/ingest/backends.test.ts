import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { JaegerTraceSource } from '../../ingest/jaeger-client.js';
import { TempoTraceSource } from '../../ingest/tempo-client.js';
import type { Span } from '../../ingest/span.js';
import type { TraceSource, TraceQuery } from '../../ingest/trace-source.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { isFaultlineError } from '../../base/errors.js';
import { freePort } from '../support/ports.js';
import { readTraceFixture } from '../support/fixtures.js';
import { holdsWholeTraces } from '../../ingest/whole-traces.js';

type Handler = (url: URL, res: ServerResponse, req: IncomingMessage) => void;
const servers: Server[] = [];

/** A loopback HTTP server answering with `handler`; records every path+query it saw. */
async function serve(handler: Handler): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const srv = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(url.pathname + url.search);
    handler(url, res, req);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  servers.push(srv);
  return { base: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, seen };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const send = (res: ServerResponse, status: number, body?: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

async function readAll(src: TraceSource, q: TraceQuery, w = new IngestWarnings()): Promise<Span[]> {
  const out: Span[] = [];
  for await (const batch of src.read(q, w)) {
    // Query backends answer with whole traces: every batch must say so, so
    // the graph builder can skip its assembly window (ingest/whole-traces.ts).
    expect(holdsWholeTraces(batch)).toBe(true);
    out.push(...batch);
  }
  return out;
}

const T0_US = 1_700_000_000_000_000;
const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');

/** Synthetic traces: i-th starts at T0 + i s, frontend server → backend server. */
function traceSet(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: hex(i + 1, 32), startUs: T0_US + i * 1_000_000 }));
}

function otlpTraces(traces: { id: string; startUs: number }[]) {
  const span = (t: { id: string; startUs: number }, sid: string, parent?: string) => ({
    traceId: t.id, spanId: sid, parentSpanId: parent ?? '', name: 'op', kind: 2,
    startTimeUnixNano: `${t.startUs}000`, endTimeUnixNano: `${t.startUs + 500}000`,
  });
  const res = (svc: string, spans: unknown[]) => ({ resource: { attributes: [{ key: 'service.name', value: { stringValue: svc } }] }, scopeSpans: [{ spans }] });
  return {
    resourceSpans: [
      res('frontend', traces.map((t) => span(t, `${t.id.slice(16)}`))),
      res('backend', traces.map((t) => span(t, `b${t.id.slice(17)}`, t.id.slice(16)))),
    ],
  };
}

function jaegerTrace(t: { id: string; startUs: number }) {
  return {
    traceID: t.id,
    spans: [
      { traceID: t.id, spanID: t.id.slice(16), operationName: 'op', references: [], startTime: t.startUs, duration: 500, tags: [], processID: 'p1' },
      { traceID: t.id, spanID: `b${t.id.slice(17)}`, operationName: 'op', references: [{ refType: 'CHILD_OF', traceID: t.id, spanID: t.id.slice(16) }], startTime: t.startUs, duration: 500, tags: [], processID: 'p2' },
    ],
    processes: { p1: { serviceName: 'frontend' }, p2: { serviceName: 'backend' } },
  };
}

const window30 = { startUs: T0_US, endUs: T0_US + 30_000_000 };

describe('JaegerTraceSource', () => {
  it('reads api/v3, splitting a window that hits the limit and de-duplicating across services', async () => {
    const traces = traceSet(30);
    const { base, seen } = await serve((url, res) => {
      if (url.pathname === '/api/v3/services') return send(res, 200, { services: ['frontend', 'backend'] });
      if (url.pathname === '/api/v3/traces') {
        const min = Date.parse(url.searchParams.get('query.start_time_min')!) * 1000 + Number(url.searchParams.get('query.start_time_min')!.slice(23, 26));
        const max = Date.parse(url.searchParams.get('query.start_time_max')!) * 1000 + Number(url.searchParams.get('query.start_time_max')!.slice(23, 26));
        const depth = Number(url.searchParams.get('query.search_depth'));
        const hits = traces.filter((t) => t.startUs >= min && t.startUs < max).slice(0, depth);
        return hits.length === 0 ? send(res, 404, { error: { message: 'trace not found' } }) : send(res, 200, { result: otlpTraces(hits) });
      }
      send(res, 404);
    });
    const src = new JaegerTraceSource({ url: base, pageLimit: 10, windowMs: 3_600_000, retryDelayMs: 1 });
    const w = new IngestWarnings();
    const spans = await readAll(src, window30, w);
    expect(spans).toHaveLength(60);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(30);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['frontend', 'backend']));
    // The first 1 h window came back full (10) and was split, for both services.
    const searches = seen.filter((p) => p.startsWith('/api/v3/traces?'));
    expect(searches.length).toBeGreaterThan(4);
    expect(searches[0]).toContain('query.service_name=frontend');
    expect(searches[0]).toContain('query.search_depth=10');
    expect(w.total).toBe(0);
  });

  it('falls back to the legacy API when /api/v3/services is 404 and serves the fixture trace', async () => {
    const fixture = JSON.parse(readTraceFixture('jaeger-trace.tracegraph-testTrace.json').toString('utf8'));
    const { base, seen } = await serve((url, res) => {
      if (url.pathname === '/api/services') return send(res, 200, { data: ['service1', 'service2'] });
      if (url.pathname === '/api/traces') return send(res, 200, { data: [fixture], total: 1, limit: 0, offset: 0, errors: null });
      if (url.pathname === '/api/traces/trace-123') return send(res, 200, { data: [fixture] });
      send(res, 404);
    });
    const src = new JaegerTraceSource({ url: base, pageLimit: 20, retryDelayMs: 1 });
    const spans = await readAll(src, { startUs: 1542666452000000, endUs: 1542666460000000 });
    expect(spans).toHaveLength(11);
    expect(seen[0]).toBe('/api/v3/services');
    const legacy = seen.filter((p) => p.startsWith('/api/traces?'));
    expect(legacy).toHaveLength(2);
    expect(legacy[0]).toBe('/api/traces?service=service1&start=1542666452000000&end=1542666460000000&limit=20');
    expect(await src.trace('trace-123', new IngestWarnings())).toHaveLength(11);
  });

  it('splits legacy windows that return exactly the limit', async () => {
    const traces = traceSet(30);
    const { base } = await serve((url, res) => {
      if (url.pathname === '/api/v3/services') return send(res, 404);
      if (url.pathname === '/api/traces') {
        const start = Number(url.searchParams.get('start'));
        const end = Number(url.searchParams.get('end'));
        const limit = Number(url.searchParams.get('limit'));
        const hits = traces.filter((t) => t.startUs >= start && t.startUs < end).slice(0, limit);
        return send(res, 200, { data: hits.map(jaegerTrace), total: hits.length, limit, offset: 0, errors: null });
      }
      send(res, 404);
    });
    const src = new JaegerTraceSource({ url: base, service: 'frontend', pageLimit: 7, retryDelayMs: 1 });
    const spans = await readAll(src, window30);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(30);
    expect(spans).toHaveLength(60);
  });

  it('treats a 404 search as no traces', async () => {
    const { base } = await serve((url, res) => {
      if (url.pathname === '/api/v3/services') return send(res, 200, { services: ['frontend'] });
      send(res, 404, { error: { message: 'trace not found' } });
    });
    const w = new IngestWarnings();
    expect(await readAll(new JaegerTraceSource({ url: base, retryDelayMs: 1 }), window30, w)).toEqual([]);
    expect(w.total).toBe(0);
  });

  it('retries a 5xx and then succeeds', async () => {
    let calls = 0;
    const { base } = await serve((url, res) => {
      if (url.pathname === '/api/v3/services' && ++calls <= 2) return send(res, 503);
      if (url.pathname === '/api/v3/services') return send(res, 200, { services: ['frontend'] });
      send(res, 200, { result: otlpTraces(traceSet(1)) });
    });
    const spans = await readAll(new JaegerTraceSource({ url: base, retryDelayMs: 1 }), window30);
    expect(spans).toHaveLength(2);
    expect(calls).toBe(3);
  });

  it('gives BACKEND_RESPONSE naming the URL and status after repeated 5xx', async () => {
    const { base, seen } = await serve((_url, res) => send(res, 502));
    const err = await readAll(new JaegerTraceSource({ url: base, retries: 2, retryDelayMs: 1 }), window30).catch((e: unknown) => e);
    expect(isFaultlineError(err, 'BACKEND_RESPONSE')).toBe(true);
    expect((err as Error).message).toBe(`${base}/api/v3/services answered 502 after 3 attempts`);
    expect(seen).toHaveLength(3);
  });

  it('gives BACKEND_UNAVAILABLE when nothing listens', async () => {
    const port = await freePort();
    const err = await readAll(new JaegerTraceSource({ url: `http://127.0.0.1:${port}`, retries: 0 }), window30).catch((e: unknown) => e);
    expect(isFaultlineError(err, 'BACKEND_UNAVAILABLE')).toBe(true);
    expect((err as Error).message).toContain(`127.0.0.1:${port}/api/v3/services`);
  });
});

describe('TempoTraceSource', () => {
  it('searches, then falls back from /api/v2/traces to /api/traces for the fixture trace', async () => {
    const search = JSON.parse(readTraceFixture('tempo-search.kiali-response.json').toString('utf8'));
    const trace = JSON.parse(readTraceFixture('tempo-trace-v1.kiali-responseTrace.json').toString('utf8'));
    const { base, seen } = await serve((url, res) => {
      if (url.pathname === '/api/search') return send(res, 200, search);
      if (url.pathname === '/api/traces/100cb753c787ed5657c8d88dafc176ed') return send(res, 200, trace);
      send(res, 404);
    });
    const src = new TempoTraceSource({ url: base, query: '{ resource.service.name = "productpage.bookinfo" }', retryDelayMs: 1 });
    const spans = await readAll(src, { startUs: 1701778000000000, endUs: 1701779000000000 });
    expect(spans).toHaveLength(8);
    expect(spans[0].traceId).toBe('3ba55609c3cde49649cd77d1f9dcd936');
    expect(seen[0]).toBe(`/api/search?${new URLSearchParams({ q: '{ resource.service.name = "productpage.bookinfo" }', start: '1701778000', end: '1701779000', limit: '20' })}`);
    expect(seen.slice(1)).toEqual(['/api/v2/traces/100cb753c787ed5657c8d88dafc176ed', '/api/traces/100cb753c787ed5657c8d88dafc176ed']);
  });

  it('windows a range whose search hits the limit and fetches each trace once via v2', async () => {
    const traces = traceSet(30);
    const { base, seen } = await serve((url, res) => {
      if (url.pathname === '/api/search') {
        const start = Number(url.searchParams.get('start')) * 1e6;
        const end = Number(url.searchParams.get('end')) * 1e6;
        const limit = Number(url.searchParams.get('limit'));
        const hits = traces.filter((t) => t.startUs >= start && t.startUs <= end).slice(0, limit);
        return send(res, 200, { traces: hits.map((t) => ({ traceID: t.id, rootServiceName: 'frontend', startTimeUnixNano: `${t.startUs}000` })), metrics: {} });
      }
      const m = /^\/api\/v2\/traces\/([0-9a-f]+)$/.exec(url.pathname);
      const t = m && traces.find((x) => x.id === m[1]);
      if (t) return send(res, 200, { trace: otlpTraces([t]) });
      send(res, 404);
    });
    const src = new TempoTraceSource({ url: base, limit: 8, retryDelayMs: 1 });
    const spans = await readAll(src, window30);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(30);
    expect(spans).toHaveLength(60);
    const fetched = seen.filter((p) => p.startsWith('/api/v2/traces/'));
    expect(fetched).toHaveLength(30);
    expect(seen.filter((p) => p.startsWith('/api/traces/'))).toHaveLength(0);
  });

  it('gives BACKEND_RESPONSE after repeated 5xx', async () => {
    const { base } = await serve((_url, res) => send(res, 500));
    const err = await readAll(new TempoTraceSource({ url: base, retries: 1, retryDelayMs: 1 }), window30).catch((e: unknown) => e);
    expect(isFaultlineError(err, 'BACKEND_RESPONSE')).toBe(true);
    expect((err as Error).message).toMatch(/\/api\/search\?.* answered 500 after 2 attempts$/);
  });
});
