import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spansFromDocument } from '../../ingest/format.js';
import { spansFromJaegerJson } from '../../ingest/jaeger-json.js';
import { spansFromOtlpJson } from '../../ingest/otlp-json.js';
import { encodeOtlpProto, spansFromOtlpProto } from '../../ingest/otlp-proto.js';
import { spansFromTempoTrace } from '../../ingest/tempo-json.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { FaultlineError } from '../../base/errors.js';

/** Runs `f`; any exception other than a FaultlineError fails the property. */
function onlyFaultlineErrors(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof FaultlineError)) throw err;
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const traceIdArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(hex);

/** One valid OTLP JSON span; `i` makes span ids unique. */
const otlpSpanArb = (i: number) =>
  fc.record({
    traceId: traceIdArb,
    spanId: fc.constant(i.toString(16).padStart(16, '0')),
    parentSpanId: fc.option(fc.uint8Array({ minLength: 8, maxLength: 8 }).map(hex), { nil: undefined }),
    name: fc.string({ maxLength: 12 }),
    kind: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT')),
    startSec: fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
    startNs: fc.integer({ min: 0, max: 999_999_999 }),
    durNs: fc.integer({ min: 0, max: 5_000_000_000 }),
    status: fc.integer({ min: 0, max: 2 }),
    method: fc.option(fc.constantFrom('GET', 'POST'), { nil: undefined }),
    code: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
  }).map((r) => {
    const start = BigInt(r.startSec) * 1_000_000_000n + BigInt(r.startNs);
    const attributes: unknown[] = [];
    if (r.method) attributes.push({ key: 'http.request.method', value: { stringValue: r.method } });
    if (r.code !== undefined) attributes.push({ key: 'http.response.status_code', value: { intValue: String(r.code) } });
    return {
      traceId: r.traceId, spanId: r.spanId, ...(r.parentSpanId ? { parentSpanId: r.parentSpanId } : {}),
      name: r.name, kind: r.kind, startTimeUnixNano: String(start), endTimeUnixNano: String(start + BigInt(r.durNs)),
      status: { code: r.status }, attributes,
    };
  });

const otlpDocArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => otlpSpanArb(i + 1)), fc.string({ minLength: 1, maxLength: 8 })).map((xs) => {
    const service = xs.pop() as string;
    return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: 's' }, spans: xs }] }] };
  }),
);

/** A Jaeger trace of 1–10 server spans, all children of the first. */
const jaegerDoc = fc.integer({ min: 1, max: 10 }).map((n) => ({
  traceID: 'abc',
  spans: Array.from({ length: n }, (_, i) => ({
    traceID: 'abc', spanID: `s${i}`, operationName: 'op', startTime: 1_700_000_000_000_000 + i, duration: 5,
    references: i === 0 ? [] : [{ refType: 'CHILD_OF', traceID: 'abc', spanID: 's0' }],
    tags: [{ key: 'span.kind', type: 'string', value: 'server' }] as { key: string; type: string; value: unknown }[], processID: 'p1',
  })) as Record<string, unknown>[],
  processes: { p1: { serviceName: 'svc' } },
}));

/** Strings that name no OTLP or Jaeger kind or status, Object.prototype members included. */
const notEnumName = fc.oneof(fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'), fc.string())
  .filter((n) => !/^(SPAN_KIND_|STATUS_CODE_)/.test(n) && !['server', 'client', 'producer', 'consumer', 'internal'].includes(n.toLowerCase()));

type Mutation = (span: Record<string, unknown>) => void;
const mutations: Mutation[] = [
  (s) => { delete s.traceId; },
  (s) => { delete s.spanId; },
  (s) => { s.traceId = 42; },
  (s) => { s.spanId = { nested: true }; },
  (s) => { s.startTimeUnixNano = 'yesterday'; },
];

describe('parser properties', () => {
  it('random JSON never throws anything but FaultlineError from any parser', () => {
    fc.assert(fc.property(fc.jsonValue(), (doc) => {
      const w = new IngestWarnings();
      onlyFaultlineErrors(() => spansFromOtlpJson(doc, w));
      onlyFaultlineErrors(() => spansFromJaegerJson(doc, w));
      onlyFaultlineErrors(() => spansFromTempoTrace(doc, w));
      onlyFaultlineErrors(() => spansFromDocument(JSON.stringify(doc) ?? 'null', w));
    }), { numRuns: 300 });
  });

  it('random shapes inside valid envelopes never throw', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), (a, b) => {
      const w = new IngestWarnings();
      const docs = [
        { resourceSpans: [a, { resource: a, scopeSpans: [b, { spans: [a, b] }] }] },
        { data: [a, { spans: [a, b], processes: b }] },
        { batches: [{ resource: b, instrumentationLibrarySpans: [{ spans: [a] }] }] },
      ];
      for (const d of docs) {
        onlyFaultlineErrors(() => spansFromOtlpJson(d, w));
        onlyFaultlineErrors(() => spansFromJaegerJson(d, w));
        onlyFaultlineErrors(() => spansFromTempoTrace(d, w));
      }
    }), { numRuns: 300 });
  });

  it('random and truncated bytes never throw anything but FaultlineError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      onlyFaultlineErrors(() => spansFromOtlpProto(bytes, new IngestWarnings()));
      onlyFaultlineErrors(() => spansFromDocument(bytes, new IngestWarnings()));
    }), { numRuns: 300 });
    fc.assert(fc.property(otlpDocArb, fc.nat(), (doc, cut) => {
      const json = JSON.stringify(doc);
      const proto = encodeOtlpProto(doc);
      onlyFaultlineErrors(() => spansFromDocument(json.slice(0, cut % json.length), new IngestWarnings()));
      onlyFaultlineErrors(() => spansFromOtlpProto(proto.subarray(0, cut % proto.length), new IngestWarnings()));
    }), { numRuns: 100 });
  });

  it('OTLP JSON and its protobuf encoding yield equal spans', () => {
    fc.assert(fc.property(otlpDocArb, (doc) => {
      const wj = new IngestWarnings();
      const wp = new IngestWarnings();
      const fromJson = spansFromOtlpJson(doc, wj);
      expect(spansFromOtlpProto(encodeOtlpProto(doc), wp)).toEqual(fromJson);
      expect(fromJson).toHaveLength(doc.resourceSpans[0].scopeSpans[0].spans.length);
      expect(wp.toJSON()).toEqual(wj.toJSON());
    }), { numRuns: 150 });
  });

  it('keeps µs exact and sub-µs durations as fractions', () => {
    fc.assert(fc.property(otlpDocArb, (doc) => {
      const spans = spansFromOtlpJson(doc, new IngestWarnings());
      (doc.resourceSpans[0].scopeSpans[0].spans as { startTimeUnixNano: string; endTimeUnixNano: string }[]).forEach((raw, i) => {
        const start = BigInt(raw.startTimeUnixNano);
        const end = BigInt(raw.endTimeUnixNano);
        expect(spans[i].startUs).toBe(Number(start / 1000n));
        expect(spans[i].durationUs).toBeCloseTo(Number(end - start) / 1000, 6);
      });
    }), { numRuns: 100 });
  });

  it('mutated OTLP spans are counted while every untouched span survives', () => {
    fc.assert(fc.property(otlpDocArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: mutations.length - 1 })), { maxLength: 5 }), (doc, picks) => {
      const spans = doc.resourceSpans[0].scopeSpans[0].spans as Record<string, unknown>[];
      const touched = new Set<number>();
      for (const [at, m] of picks) {
        const i = at % spans.length;
        touched.add(i);
        mutations[m](spans[i]);
      }
      const untouched = spans.filter((_, i) => !touched.has(i)).map((s) => s.spanId);
      const w = new IngestWarnings();
      const out = spansFromOtlpJson(doc, w).map((s) => s.spanId);
      for (const id of untouched) expect(out).toContain(id);
      expect(out.length + w.total).toBeGreaterThanOrEqual(spans.length);
    }), { numRuns: 150 });
  });

  it('repairs any kind or status name that is not an OTLP enum name, Object.prototype members included', () => {
    fc.assert(fc.property(otlpDocArb, notEnumName, notEnumName, (doc, kind, code) => {
      const span = doc.resourceSpans[0].scopeSpans[0].spans[0] as Record<string, unknown>;
      span.kind = kind;
      span.status = { code };
      const w = new IngestWarnings();
      const out = spansFromOtlpJson(doc, w).find((s) => s.spanId === span.spanId)!;
      expect([out.kind, out.status]).toEqual(['unspecified', 'unset']);
      expect(w.toJSON()).toMatchObject({ 'repaired span: unknown kind (unspecified)': 1, 'repaired span: unknown status code (unset)': 1 });
    }), { numRuns: 100 });
  });

  it('reads a Jaeger span.kind tag that names no kind as unspecified, Object.prototype members included', () => {
    fc.assert(fc.property(jaegerDoc, notEnumName, (doc, kind) => {
      (doc.spans[0].tags as { value: unknown }[])[0].value = kind;
      const out = spansFromJaegerJson(doc, new IngestWarnings());
      expect(out.find((s) => s.spanId === 's0')!.kind).toBe('unspecified');
    }), { numRuns: 100 });
  });

  it('mutated Jaeger spans are counted while every untouched span survives', () => {
    const jm: Mutation[] = [
      (s) => { delete s.spanID; }, (s) => { s.traceID = null; }, (s) => { s.startTime = 'x'; },
      (s) => { s.tags = 'nope'; }, (s) => { s.references = [{ refType: 'CHILD_OF' }]; }, (s) => { delete s.processID; },
    ];
    fc.assert(fc.property(jaegerDoc, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: jm.length - 1 })), { maxLength: 4 }), (doc, picks) => {
      const touched = new Set<number>();
      for (const [at, m] of picks) {
        const i = at % doc.spans.length;
        touched.add(i);
        jm[m](doc.spans[i]);
      }
      const out = spansFromJaegerJson(doc, new IngestWarnings()).map((s) => s.spanId);
      for (const [i, s] of doc.spans.entries()) if (!touched.has(i)) expect(out).toContain(s.spanID);
    }), { numRuns: 150 });
  });
});
