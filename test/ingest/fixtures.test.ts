import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { spansFromJaegerJson } from '../../ingest/jaeger-json.js';
import { spansFromOtlpJson } from '../../ingest/otlp-json.js';
import { decodeOtlpProto, encodeOtlpProto, spansFromOtlpProto } from '../../ingest/otlp-proto.js';
import { spansFromTempoTrace, tempoSearchHits } from '../../ingest/tempo-json.js';
import { detectFormat, spansFromDocument } from '../../ingest/format.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { isFaultlineError } from '../../base/errors.js';
import { readTraceFixture } from '../support/fixtures.js';

const json = (name: string): unknown => JSON.parse(readTraceFixture(name).toString('utf8'));

describe('OTLP JSON fixtures', () => {
  it('reads the opentelemetry-proto example with upper-case hex ids lower-cased and nanos as µs', () => {
    const w = new IngestWarnings();
    const spans = spansFromOtlpJson(json('otlp-json.otel-proto-example-trace.json'), w);
    expect(spans).toEqual([{
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      service: 'my.service',
      operation: "I'm a server span",
      kind: 'server',
      startUs: 1544712660000000,
      durationUs: 1_000_000,
      status: 'unset',
      attributes: {},
    }]);
    expect(w.total).toBe(0);
  });

  it('drops the duplicated span of the otlp2jaeger input and keeps peer.service', () => {
    const w = new IngestWarnings();
    const spans = spansFromOtlpJson(json('otlp-json.otlp2jaeger-in.json'), w);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      traceId: '83a9efd15c1c98a977e0711cc93ee28b', spanId: 'e127af99e3b3e074', parentSpanId: '909541b92cf05311',
      service: 'telemetrygen', kind: 'server', startUs: 1706678909209712, durationUs: 123,
      attributes: { peerService: 'telemetrygen-client' },
    });
    expect(w.toJSON()).toEqual({ 'skipped span: duplicate span id (first kept)': 1 });
  });

  it('unwraps the Jaeger api/v3 result and counts the missing service name', () => {
    const w = new IngestWarnings();
    const spans = spansFromOtlpJson(json('jaeger-apiv3-gettrace.json'), w);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      traceId: '00000000000000000000000000000001', spanId: '0000000000000002', service: 'unknown_service',
      operation: 'foobar', kind: 'server', status: 'error', parentSpanId: undefined,
    });
    expect(spans[0].startUs).toBe(0);
    expect(w.toJSON()).toEqual({
      'repaired span: zero or missing start time': 1,
      'repaired span: zero or missing end time (duration 0)': 1,
      'repaired span: missing service.name (unknown_service)': 1,
    });
  });
});

describe('OTLP protobuf fixture', () => {
  it('decodes the binary example to exactly the spans of its JSON twin', () => {
    const wj = new IngestWarnings();
    const wp = new IngestWarnings();
    const fromJson = spansFromOtlpJson(json('otlp-json.otel-proto-example-trace.json'), wj);
    const fromProto = spansFromOtlpProto(readTraceFixture('otlp-protobuf.otel-proto-example-trace.protobuf-bin'), wp);
    expect(fromProto).toEqual(fromJson);
    expect(fromProto[0].startUs).toBe(1544712660000000);
    expect(wp.toJSON()).toEqual(wj.toJSON());
  });

  it('re-encodes the JSON example to bytes that decode to the same spans', () => {
    const doc = json('otlp-json.otel-proto-example-trace.json');
    const bytes = encodeOtlpProto(doc);
    expect(spansFromOtlpProto(bytes, new IngestWarnings())).toEqual(spansFromOtlpJson(doc, new IngestWarnings()));
    const decoded = decodeOtlpProto(bytes) as { resourceSpans: unknown[] };
    expect(decoded.resourceSpans).toHaveLength(1);
  });
});

describe('Jaeger JSON fixtures', () => {
  it('reads the legacy /api/traces envelope, dropping the duplicate and rooting the orphan', () => {
    const w = new IngestWarnings();
    const spans = spansFromJaegerJson(json('jaeger-legacy-traces-response.otlp2jaeger-out.json'), w);
    expect(spans).toEqual([{
      traceId: '83a9efd15c1c98a977e0711cc93ee28b', spanId: 'e127af99e3b3e074', parentSpanId: undefined,
      service: 'telemetrygen', operation: 'okey-dokey-0', kind: 'server', startUs: 1706678909209712,
      durationUs: 123, status: 'unset', attributes: { peerService: 'telemetrygen-client' },
    }]);
    expect(w.toJSON()).toEqual({
      'skipped span: duplicate span id (first kept)': 1,
      'repaired span: parent not in trace (kept as root)': 1,
    });
  });

  it('counts every ui_01 edge case as a warning and maps references to parents and links', () => {
    const w = new IngestWarnings();
    const spans = spansFromJaegerJson(json('jaeger-trace.ui_01.json'), w);
    expect(spans.map((s) => s.spanId)).toEqual(['0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005']);
    expect(spans.map((s) => s.service)).toEqual(['service-x', 'service-y', 'service-y', 'service-y']);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.get('0000000000000003')!.parentSpanId).toBe('0000000000000002');
    // Cross-trace CHILD_OF becomes a link; same-trace CHILD_OF is the parent; FOLLOWS_FROM is a link.
    expect(byId.get('0000000000000004')).toMatchObject({
      parentSpanId: '0000000000000002',
      links: [{ traceId: '00000000000000ff', spanId: '00000000000000ff' }, { traceId: '0000000000000001', spanId: '0000000000000002' }],
    });
    expect(byId.get('0000000000000005')!.parentSpanId).toBe('0000000000000004');
    expect(byId.get('0000000000000005')!.durationUs).toBe(4);
    expect(spans[0].startUs).toBe(1485467191639875);
    expect(w.toJSON()).toEqual({
      'backend warning: some span warning': 2,
      'skipped span: duplicate span id (first kept)': 1,
      'backend warning: some trace warning': 1,
    });
  });

  it('reads the tracegraph test trace with kinds, string error tags, db.type and non-hex ids', () => {
    const w = new IngestWarnings();
    const spans = spansFromJaegerJson(json('jaeger-trace.tracegraph-testTrace.json'), w);
    expect(spans).toHaveLength(11);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['service1', 'service2']));
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.get('span-1')).toMatchObject({ traceId: 'trace-123', kind: 'server', parentSpanId: undefined, durationUs: 390000 });
    expect(byId.get('span-2')).toMatchObject({ kind: 'client', status: 'error', parentSpanId: 'span-1' });
    expect(byId.get('span-5')).toMatchObject({ kind: 'unspecified', attributes: { dbSystem: 'sql' }, parentSpanId: 'span-4' });
    expect(byId.get('span-6')!.kind).toBe('producer');
    expect(byId.get('span-7')).toMatchObject({ kind: 'consumer', parentSpanId: undefined, links: [{ traceId: 'trace-123', spanId: 'span-6' }] });
    expect(spans.filter((s) => s.status === 'error')).toHaveLength(1);
    expect(w.total).toBe(0);
  });
});

describe('Tempo fixtures', () => {
  it('reads the v1 trace with base64 ids as hex and enum-name kinds', () => {
    const w = new IngestWarnings();
    const spans = spansFromTempoTrace(json('tempo-trace-v1.kiali-responseTrace.json'), w);
    expect(spans).toHaveLength(8);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(['3ba55609c3cde49649cd77d1f9dcd936']));
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set([
      'istio-ingressgateway.istio-system', 'productpage.bookinfo', 'details.bookinfo', 'reviews.bookinfo', 'ratings.bookinfo',
    ]));
    expect(spans[0]).toEqual({
      traceId: '3ba55609c3cde49649cd77d1f9dcd936', spanId: '49cd77d1f9dcd936', parentSpanId: undefined,
      service: 'istio-ingressgateway.istio-system', operation: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
      kind: 'client', startUs: 1701779876570888, durationUs: 11932, status: 'unset',
      attributes: { serverAddress: '10.244.0.1', httpStatusCode: 200, httpMethod: 'GET', urlPath: '/productpage' },
    });
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    // Four client→server hops, each server's parent is a client span of another service.
    const hops = spans.filter((s) => s.kind === 'server').map((s) => {
      const parent = byId.get(s.parentSpanId!)!;
      return `${parent.service}->${s.service}:${parent.kind}`;
    });
    expect(hops.sort()).toEqual([
      'istio-ingressgateway.istio-system->productpage.bookinfo:client',
      'productpage.bookinfo->details.bookinfo:client',
      'productpage.bookinfo->reviews.bookinfo:client',
      'reviews.bookinfo->ratings.bookinfo:client',
    ]);
    expect(w.total).toBe(0);
  });

  it('reads a v2 trace document as the same spans', () => {
    const v1 = json('tempo-trace-v1.kiali-responseTrace.json') as { batches: unknown[] };
    const v2 = { trace: { resourceSpans: v1.batches } };
    expect(spansFromTempoTrace(v2, new IngestWarnings())).toEqual(spansFromTempoTrace(v1, new IngestWarnings()));
  });

  it('lists the search hit once with its start time in µs', () => {
    const hits = tempoSearchHits(json('tempo-search.kiali-response.json'), new IngestWarnings());
    expect(hits).toEqual([{
      traceId: '100cb753c787ed5657c8d88dafc176ed', startUs: 1701778055570888, rootServiceName: 'istio-ingressgateway.istio-system',
    }]);
  });
});

describe('format detection', () => {
  const cases: [string, string, number][] = [
    ['otlp-json.otel-proto-example-trace.json', 'otlp-json', 1],
    ['otlp-json.otlp2jaeger-in.json', 'otlp-json', 1],
    ['jaeger-apiv3-gettrace.json', 'jaeger-apiv3', 1],
    ['jaeger-legacy-traces-response.otlp2jaeger-out.json', 'jaeger-json', 1],
    ['jaeger-trace.ui_01.json', 'jaeger-trace', 4],
    ['jaeger-trace.tracegraph-testTrace.json', 'jaeger-trace', 11],
    ['tempo-trace-v1.kiali-responseTrace.json', 'tempo-v1', 8],
    ['otlp-protobuf.otel-proto-example-trace.protobuf-bin', 'otlp-protobuf', 1],
  ];
  for (const [file, format, count] of cases) {
    it(`detects ${file} as ${format} from content and reads ${count} spans (also gzipped)`, () => {
      const bytes = readTraceFixture(file);
      expect(detectFormat(bytes)).toBe(format);
      expect(detectFormat(gzipSync(bytes))).toBe(format);
      expect(spansFromDocument(bytes, new IngestWarnings())).toHaveLength(count);
      expect(spansFromDocument(gzipSync(bytes), new IngestWarnings())).toHaveLength(count);
    });
  }

  it('reads a v2 Tempo document and OTLP JSON lines', () => {
    const v1 = json('tempo-trace-v1.kiali-responseTrace.json') as { batches: unknown[] };
    expect(detectFormat(JSON.stringify({ trace: { resourceSpans: v1.batches } }))).toBe('tempo-v2');
    const line = JSON.stringify(json('otlp-json.otel-proto-example-trace.json'));
    const other = line.replace('EEE19B7EC3C1B174', 'EEE19B7EC3C1B175');
    expect(detectFormat(`${line}
${other}
`)).toBe('otlp-jsonl');
    expect(spansFromDocument(`${line}
${other}
`, new IngestWarnings()).map((s) => s.spanId)).toEqual(['eee19b7ec3c1b174', 'eee19b7ec3c1b175']);
  });

  it('names what it saw for documents that hold no spans', () => {
    const err = (input: Uint8Array | string) => {
      try { detectFormat(input); } catch (e) { return e; }
      return undefined;
    };
    const deps = err(readTraceFixture('jaeger-dependencies.large.json'));
    expect(isFaultlineError(deps, 'TRACE_FORMAT')).toBe(true);
    expect((deps as Error).message).toContain('Jaeger /api/dependencies');
    expect((err(readTraceFixture('tempo-search.kiali-response.json')) as Error).message).toContain('Tempo search response');
    expect((err('{"foo": 1}') as Error).message).toContain('object with keys foo');
    expect((err('{"resourceSpans": [') as Error).message).toBe('truncated JSON at byte 19');
    expect((err(new Uint8Array([0xff, 0x00])) as Error).message).toContain('binary data starting 0xff');
    expect((err('') as Error).message).toBe('empty document');
  });
});
