import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { SpanKind as OtelKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { buildReceiverApp } from '../../ingest/otlp-receiver.js';
import { decodeExportResponse, decodeRpcStatus, encodeOtlpProto } from '../../ingest/otlp-proto.js';
import { SpanStore } from '../../ingest/span-store.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { capSpanText } from '../../ingest/span-text-cap.js';
import fc from 'fast-check';
import { readTraceFixture } from '../support/fixtures.js';

const exampleJson = readTraceFixture('otlp-json.otel-proto-example-trace.json');
const exampleProto = readTraceFixture('otlp-protobuf.otel-proto-example-trace.protobuf-bin');

function receiver(overrides: Partial<{ bodyLimitBytes: number; queueCapacity: number; maxTextLength: number }> = {}) {
  const store = new SpanStore(1000);
  const app = buildReceiverApp({ store, bodyLimitBytes: 4096, queueCapacity: 8, ...overrides });
  return { store, app };
}

describe('OTLP/HTTP receiver through inject', () => {
  it('stores protobuf spans and answers an empty protobuf ExportTraceServiceResponse', async () => {
    const { store, app } = receiver();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: exampleProto });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeExportResponse(res.rawPayload)).toEqual({});
    expect(store.snapshot({ startUs: -Infinity, endUs: Infinity }).map((s) => s.spanId)).toEqual(['eee19b7ec3c1b174']);
    await app.close();
  });

  it('stores gzipped JSON spans and answers {}', async () => {
    const { store, app } = receiver();
    const res = await app.inject({
      method: 'POST', url: '/v1/traces',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' },
      payload: gzipSync(exampleJson),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect(store.size).toBe(1);
    await app.close();
  });

  it('reports skipped spans as a partial success in the request encoding', async () => {
    const { store, app } = receiver();
    const doc = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }, scopeSpans: [{ spans: [
      { traceId: 'aa', spanId: 'bb', name: 'ok', startTimeUnixNano: '1000000', endTimeUnixNano: '2000000' },
      { spanId: 'cc', name: 'no trace id', startTimeUnixNano: '1000000', endTimeUnixNano: '2000000' },
    ] }] }] };
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(doc) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: '1× skipped span: missing trace id' } });
    expect(store.size).toBe(1);
    const proto = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from(encodeOtlpProto({
      resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 'cc', name: 'x', startTimeUnixNano: '1000' }] }] }],
    })) });
    expect(decodeExportResponse(proto.rawPayload)).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: '1× skipped span: missing trace id' } });
    await app.close();
  });

  it('answers 400 with a google.rpc.Status for undecodable protobuf and {code,message} for bad JSON', async () => {
    const { store, app } = receiver();
    const bad = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: Buffer.from([0x0a, 0xff, 0xff, 0xff]) });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('application/x-protobuf');
    const status = decodeRpcStatus(bad.rawPayload);
    expect(status.code).toBe(3);
    expect(status.message).toContain('not an OTLP protobuf');
    const badJson = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: '{"resourceSpans": [' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toEqual({ code: 3, message: 'body is not valid JSON' });
    const notOtlp = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: '{"data": []}' });
    expect(notOtlp.statusCode).toBe(400);
    expect(store.size).toBe(0);
    await app.close();
  });

  it('answers 415 for other content types', async () => {
    const { app } = receiver();
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toContain('application/x-protobuf or application/json');
    await app.close();
  });

  it('answers 413 over the limit, compressed or after gunzip (gzip bomb)', async () => {
    const { store, app } = receiver({ bodyLimitBytes: 2048 });
    const big = Buffer.alloc(4096, 0x20);
    const direct = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: big });
    expect(direct.statusCode).toBe(413);
    const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(2048);
    const inflated = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: bomb });
    expect(inflated.statusCode).toBe(413);
    expect(inflated.json().message).toBe('decompressed body exceeds 2048 bytes');
    expect(store.size).toBe(0);
    await app.close();
  });

  it('counts a request against the queue only once its body is read: trickling senders starve no one', async () => {
    const { store, app } = receiver({ queueCapacity: 2 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    // Four requests hold their connections open with half a body each: more than the queue's capacity.
    const http = await import('node:http');
    const held = Array.from({ length: 4 }, () => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/traces', headers: { 'content-type': 'application/json', 'content-length': exampleJson.length } });
      const done = new Promise<number>((resolve) => {
        req.on('response', (r) => { r.resume(); resolve(r.statusCode!); });
        req.on('error', () => resolve(-1));
      });
      req.write(exampleJson.subarray(0, 10));
      return { req, done };
    });
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exampleJson });
      expect(res.status).toBe(200);
    }
    for (const h of held) h.req.end(exampleJson.subarray(10));
    expect(await Promise.all(held.map((h) => h.done))).toEqual([200, 200, 200, 200]);
    expect(store.size).toBe(7);
    await app.close();
  });

  it('cuts off a sender that never finishes its body', async () => {
    const store = new SpanStore(1000);
    const app = buildReceiverApp({ store, bodyLimitBytes: 4096, queueCapacity: 8, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const { connect } = await import('node:net');
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(port, '127.0.0.1', () => socket.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"re'));
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
      setTimeout(() => socket.destroy(), 5000);
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(store.size).toBe(0);
    await app.close();
  });

  it('truncates over-long span names and attribute values at ingest and counts them', async () => {
    const { store, app } = receiver({ bodyLimitBytes: 1 << 20, maxTextLength: 100 });
    const doc = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 's'.repeat(5000) } }] }, scopeSpans: [{ spans: [
      { traceId: 'aa', spanId: 'bb', name: 'n'.repeat(50_000), startTimeUnixNano: '1000000', endTimeUnixNano: '2000000', attributes: [{ key: 'peer.service', value: { stringValue: 'p'.repeat(50_000) } }] },
      { traceId: 'aa', spanId: 'cc', parentSpanId: 'bb', name: 'short', startTimeUnixNano: '1000000', endTimeUnixNano: '2000000' },
    ] }] }] };
    const res = await app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(doc) });
    expect(res.statusCode).toBe(200);
    const [long, short] = store.snapshot({ startUs: -Infinity, endUs: Infinity });
    expect(long.operation).toBe('n'.repeat(100));
    expect(long.attributes.peerService).toBe('p'.repeat(100));
    expect(long.service).toBe('s'.repeat(100));
    expect(short.operation).toBe('short');
    // Truncation is a repair, not a rejection: every span was kept.
    expect(res.json().partialSuccess.rejectedSpans).toBe(0);
    expect(res.json().partialSuccess.errorMessage).toContain('truncated span name');
    expect(res.json().partialSuccess.errorMessage).toContain('truncated attribute value');
    await app.close();
  });
});

describe('OTLP/HTTP receiver with the real OpenTelemetry exporters', () => {
  let app: FastifyInstance;
  let store: SpanStore;
  let url: string;

  beforeAll(async () => {
    store = new SpanStore(1000);
    app = buildReceiverApp({ store, bodyLimitBytes: 1 << 20, queueCapacity: 8 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/traces`;
  });
  afterAll(async () => {
    await app.close();
  });

  async function exportWith(exporter: SpanExporter, service: string) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('faultline-test');
    const parent = tracer.startSpan('GET /checkout', { kind: OtelKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.route': '/checkout' } });
    const ctx = (await import('@opentelemetry/api')).trace.setSpan((await import('@opentelemetry/api')).context.active(), parent);
    const child = tracer.startSpan('SELECT orders', { kind: OtelKind.CLIENT, attributes: { 'db.system': 'postgresql', 'server.port': 5432 } }, ctx);
    child.setStatus({ code: SpanStatusCode.ERROR });
    child.end();
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();
    return { traceId: parent.spanContext().traceId, parentId: parent.spanContext().spanId, childId: child.spanContext().spanId };
  }

  for (const [name, make] of [
    ['http/json', () => new HttpJsonExporter({ url })],
    ['http/protobuf', () => new ProtoExporter({ url })],
  ] as const) {
    it(`receives spans exported over ${name} into the store`, async () => {
      const service = `svc-${name}`;
      const ids = await exportWith(make(), service);
      const spans = store.snapshot({ startUs: -Infinity, endUs: Infinity, service });
      expect(spans).toHaveLength(2);
      const child = spans.find((s) => s.spanId === ids.childId)!;
      const parent = spans.find((s) => s.spanId === ids.parentId)!;
      expect(parent).toMatchObject({ traceId: ids.traceId, kind: 'server', operation: 'GET /checkout', attributes: { httpMethod: 'GET', httpRoute: '/checkout' } });
      expect(child).toMatchObject({ traceId: ids.traceId, parentSpanId: ids.parentId, kind: 'client', status: 'error', service, attributes: { dbSystem: 'postgresql', serverPort: 5432 } });
      expect(Number.isInteger(child.startUs)).toBe(true);
      expect(Math.abs(child.startUs / 1000 - Date.now())).toBeLessThan(600_000);
      const w = new IngestWarnings();
      const read: string[] = [];
      for await (const batch of store.read({ startUs: child.startUs, endUs: child.startUs + 1, service }, w)) for (const s of batch) read.push(s.spanId);
      expect(read).toContain(ids.childId);
    });
  }
});

describe('the span store bound in bytes', () => {
  const span = (i: number, name: string) => ({ traceId: `t${i}`, spanId: `s${i}`, service: 'svc', operation: name, kind: 'server' as const, startUs: i, durationUs: 1, status: 'unset' as const, attributes: {} });

  it('evicts the oldest spans once their approximate size passes retainBytes, and counts them', () => {
    const store = new SpanStore(1000, { retainBytes: 4_000_000 });
    for (let i = 0; i < 20; i++) store.add([span(i, 'x'.repeat(1_000_000))]);
    expect(store.bytes).toBeLessThanOrEqual(4_000_000);
    expect(store.size).toBeLessThan(20);
    expect(store.size + store.evicted).toBe(20);
    const kept = store.snapshot({ startUs: -Infinity, endUs: Infinity }).map((s) => s.spanId);
    expect(kept.at(-1)).toBe('s19');
  });

  it('keeps small spans up to the span count as before', () => {
    const store = new SpanStore(10, { retainBytes: 4_000_000 });
    for (let i = 0; i < 25; i++) store.add([span(i, 'GET /x')]);
    expect(store.size).toBe(10);
    expect(store.evicted).toBe(15);
  });
});

describe('the text cap at ingest', () => {
  it('leaves no text field longer than the cap, keeps shorter ones as they were, and counts each cut', () => {
    const text = fc.string({ maxLength: 40 });
    fc.assert(fc.property(fc.array(fc.record({ operation: text, service: text, traceId: text, spanId: text, peerService: text, urlPath: text }), { maxLength: 5 }), fc.integer({ min: 1, max: 30 }), (rows, max) => {
      const spans = rows.map((r) => ({ traceId: r.traceId, spanId: r.spanId, service: r.service, operation: r.operation, kind: 'server' as const, startUs: 0, durationUs: 1, status: 'unset' as const, attributes: { peerService: r.peerService, urlPath: r.urlPath } }));
      const before = JSON.parse(JSON.stringify(spans)) as typeof spans;
      const w = new IngestWarnings();
      capSpanText(spans, max, w);
      let cuts = 0;
      spans.forEach((s, i) => {
        const pairs: [string, string][] = [[s.operation, before[i].operation], [s.service, before[i].service], [s.traceId, before[i].traceId], [s.spanId, before[i].spanId], [s.attributes.peerService!, before[i].attributes.peerService!], [s.attributes.urlPath!, before[i].attributes.urlPath!]];
        for (const [after, orig] of pairs) {
          expect(after.length).toBeLessThanOrEqual(max);
          if (orig.length <= max) expect(after).toBe(orig);
          else {
            cuts++;
            expect(orig.startsWith(after) || after.includes('\uFFFD')).toBe(true);
          }
        }
      });
      expect(w.total).toBe(cuts);
    }), { numRuns: 300 });
  });
});
