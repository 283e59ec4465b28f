import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { decodeOtlpProto, encodeOtlpProto } from '../../ingest/otlp-proto.js';
import { readOtlpProtoSpans } from '../../ingest/otlp-proto-reader.js';
import { LIBRARY_SPANS, OTLP_SCHEMA, RESOURCE_SPANS, SCOPE_SPANS } from '../../ingest/otlp-proto-schema.js';
import { collectOtlpSpans } from '../../ingest/otlp-spans.js';
import { BYTES, FIXED32, FIXED64, MESSAGE, STRING, UNKNOWN, VARINT32, VARINT64 } from '../../ingest/proto-wire.js';
import type { Span } from '../../ingest/span.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { FaultlineError } from '../../base/errors.js';
import { readTraceFixture } from '../support/fixtures.js';

type Outcome = { ok: true; spans: Span[]; warnings: Record<string, number>; json: string } | { ok: false };

function outcome(convert: (w: IngestWarnings, out: Span[]) => void): Outcome {
  const w = new IngestWarnings();
  const out: Span[] = [];
  try {
    convert(w, out);
  } catch (err) {
    if (err instanceof FaultlineError && err.code === 'TRACE_FORMAT') return { ok: false };
    throw err;
  }
  // The JSON pins key order too (spans and warnings), which toEqual ignores.
  return { ok: true, spans: out, warnings: w.toJSON(), json: JSON.stringify([out, w.toJSON()]) };
}

/** The reader's result. */
const viaReader = (bytes: Uint8Array): Outcome => outcome((w, out) => readOtlpProtoSpans(bytes, w, out));

/** The path the reader replaces: protobufjs decode, then the shared OTLP walker. */
const viaProtobufjs = (bytes: Uint8Array): Outcome =>
  outcome((w, out) => collectOtlpSpans((decodeOtlpProto(bytes) as { resourceSpans: unknown }).resourceSpans, w, out));

function expectSameAsProtobufjs(bytes: Uint8Array): Outcome {
  const expected = viaProtobufjs(bytes);
  const got = viaReader(bytes);
  expect(got).toEqual(expected);
  return got;
}

// ---- random OTLP documents (OTLP JSON, encoded with protobufjs) ----

const MAPPED_KEYS = [
  'service.name', 'peer.service', 'server.address', 'net.peer.name', 'peer.address', 'server.port', 'net.peer.port',
  'http.request.method', 'http.method', 'http.route', 'http.response.status_code', 'http.status_code', 'url.path',
  'http.target', 'url.full', 'http.url', 'http.request.resend_count', 'rpc.system', 'rpc.service', 'rpc.method',
  'db.system.name', 'db.system', 'db.type', 'db.namespace', 'db.name', 'messaging.system',
  'messaging.destination.name', 'messaging.destination', 'error.type',
];

/** Text with ASCII, multi-byte characters, astral characters and lone surrogates (encoded as invalid UTF-8). */
const textArb = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'Z', '/', ':', '?', ' ', '0', '9', 'é', 'ß', '☕', '𝄞', '中'),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
const keyArb = fc.oneof(fc.constantFrom(...MAPPED_KEYS), textArb, fc.constant(''));
const valueText = fc.oneof(textArb, fc.constantFrom('GET', 'http://h:8080/a/b?q=1', '[::1]:80', 'db:5432', '443', '12.7', ''));
const int64Arb = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);

const { anyValue } = fc.letrec<{ anyValue: unknown; keyValue: unknown }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    // Several oneof members at once: protobufjs encodes them all, and decodes them all as own properties.
    fc.record({ stringValue: valueText, boolValue: fc.boolean(), intValue: int64Arb, doubleValue: fc.double() }, { requiredKeys: [] }),
    valueText.map((stringValue) => ({ stringValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    fc.oneof(int64Arb, fc.integer({ min: -1, max: 70000 }).map(String)).map((intValue) => ({ intValue })),
    fc.double().map((doubleValue) => ({ doubleValue })),
    fc.uint8Array({ maxLength: 6 }).map((b) => ({ bytesValue: Buffer.from(b).toString('base64') })),
    fc.array(tie('anyValue'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie('keyValue'), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
    fc.constant({}),
  ),
  keyValue: fc.record({ key: keyArb, value: tie('anyValue') }, { requiredKeys: [] }),
}));
const keyValueArb = fc.record({ key: keyArb, value: anyValue }, { requiredKeys: ['key'] });
const attributesArb = fc.array(keyValueArb, { maxLength: 5 });

/** Ids from small pools so trace ids repeat (shared strings) and span ids collide (duplicates); any case. */
const idArb = (bytes: number, pool: number) =>
  fc.oneof(
    fc.integer({ min: 1, max: pool }).map((i) => i.toString(16).padStart(bytes * 2, '0')),
    fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex')),
    fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => Buffer.from(b).toString('hex')),
    fc.constant(''),
  ).chain((h) => fc.constantFrom(h, h.toUpperCase()));
const nanosArb = fc.oneof(
  fc.constant('0'),
  fc.bigInt({ min: 1_500_000_000_000_000_000n, max: 1_500_000_100_000_000_000n }).map(String),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
);

const spanArb = fc.record(
  {
    traceId: idArb(16, 3),
    spanId: idArb(8, 6),
    parentSpanId: idArb(8, 6),
    traceState: textArb,
    name: textArb,
    kind: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constantFrom('SPAN_KIND_SERVER', 'SPAN_KIND_CONSUMER')),
    startTimeUnixNano: nanosArb,
    endTimeUnixNano: nanosArb,
    attributes: attributesArb,
    droppedAttributesCount: fc.nat(),
    events: fc.array(fc.record({ timeUnixNano: nanosArb, name: textArb, attributes: attributesArb }, { requiredKeys: [] }), { maxLength: 2 }),
    links: fc.array(fc.record({ traceId: idArb(16, 3), spanId: idArb(8, 6), attributes: attributesArb }, { requiredKeys: [] }), { maxLength: 3 }),
    status: fc.record({ code: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant('STATUS_CODE_ERROR')), message: textArb }, { requiredKeys: [] }),
    flags: fc.nat(),
  },
  { requiredKeys: [] },
);

const scopeSpansArb = fc.record(
  { scope: fc.record({ name: textArb, version: textArb, attributes: attributesArb }, { requiredKeys: [] }), spans: fc.array(spanArb, { maxLength: 5 }), schemaUrl: textArb },
  { requiredKeys: [] },
);

const resourceArb = fc.record(
  {
    attributes: fc.array(
      fc.oneof(
        keyValueArb,
        fc.oneof(valueText, fc.constant('')).map((s) => ({ key: 'service.name', value: { stringValue: s } })),
        fc.constantFrom('checkout', 'ünïcode-svc').map((s) => ({ key: 'service.name', value: { stringValue: s } })),
      ),
      { maxLength: 4 },
    ),
    droppedAttributesCount: fc.nat(),
  },
  { requiredKeys: [] },
);

const otlpDocArb = fc.record({
  resourceSpans: fc.array(
    fc.record(
      { resource: resourceArb, scopeSpans: fc.array(scopeSpansArb, { maxLength: 2 }), instrumentationLibrarySpans: fc.array(scopeSpansArb, { maxLength: 2 }), schemaUrl: textArb },
      { requiredKeys: [] },
    ),
    { maxLength: 3 },
  ),
});

// ---- a minimal wire-format encoder and tree, for hand-made and mutated messages ----

function varint(v: bigint | number, pad = 0): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  if (pad === 0) return [...out, Number(x)];
  // Overlong: the same value with `pad` redundant continuation bytes.
  return [...out, Number(x) | 0x80, ...Array<number>(pad - 1).fill(0x80), 0];
}

/** A field: `raw` is the payload as written (varint/fixed bytes, or bytes content); `kids` a nested message or group. */
interface Field {
  n: number;
  wt: number;
  raw?: Uint8Array;
  kids?: Field[];
}

function encode(fields: Field[]): number[] {
  const out: number[] = [];
  for (const f of fields) {
    out.push(...varint(BigInt(f.n) * 8n + BigInt(f.wt)));
    const content = f.kids ? encode(f.kids) : [...(f.raw ?? [])];
    if (f.wt === 2) out.push(...varint(content.length), ...content);
    else if (f.wt === 3) out.push(...content, ...varint(BigInt(f.n) * 8n + 4n));
    else out.push(...content);
  }
  return out;
}
const bytesOf = (fields: Field[]): Buffer => Buffer.from(encode(fields));

/** Parse well-formed bytes into fields; a length-delimited payload that parses as a message becomes `kids`. */
function parseFields(b: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let p = 0;
  const readVarint = (): number | undefined => {
    let v = 0;
    for (let s = 0; p < b.length && s < 35; s += 7) {
      const x = b[p++];
      v += (x & 127) * 2 ** s;
      if (x < 128) return v;
    }
    return undefined;
  };
  while (p < b.length) {
    const tag = readVarint();
    if (tag === undefined) return undefined;
    const n = Math.floor(tag / 8);
    const wt = tag % 8;
    const start = p;
    if (wt === 0) {
      if (readVarint() === undefined) return undefined;
      out.push({ n, wt, raw: b.subarray(start, p) });
    } else if (wt === 1 || wt === 5) {
      p += wt === 1 ? 8 : 4;
      if (p > b.length) return undefined;
      out.push({ n, wt, raw: b.subarray(start, p) });
    } else if (wt === 2) {
      const len = readVarint();
      if (len === undefined || p + len > b.length) return undefined;
      const raw = b.subarray(p, p + len);
      p += len;
      const kids = len > 0 ? parseFields(raw) : undefined;
      out.push(kids ? { n, wt, kids } : { n, wt, raw });
    } else return undefined;
  }
  return out;
}

/** Every field list in the tree (the top level and each nested message or group). */
function lists(fields: Field[], acc: Field[][] = []): Field[][] {
  acc.push(fields);
  for (const f of fields) if (f.kids) lists(f.kids, acc);
  return acc;
}

const junkFieldArb: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ n: fc.constantFrom(0, 1, 2, 3, 5, 6, 7, 9, 13, 15, 98, 99, 1000), wt: fc.constant(0), raw: fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 12 })).map(([v, pad]) => Uint8Array.from(varint(v, pad))) }),
  fc.record({ n: fc.nat(20), wt: fc.constantFrom(1, 5), raw: fc.uint8Array({ minLength: 8, maxLength: 8 }) }).map((f) => ({ ...f, raw: f.wt === 5 ? f.raw.subarray(0, 4) : f.raw })),
  fc.record({ n: fc.oneof(fc.nat(20), fc.constant(1000)), wt: fc.constant(2), raw: fc.uint8Array({ maxLength: 10 }) }),
  fc.record({ n: fc.nat(20), wt: fc.constant(3), kids: fc.array(fc.record({ n: fc.nat(20), wt: fc.constant(0), raw: fc.constant(Uint8Array.of(1)) }), { maxLength: 2 }) }),
  fc.record({ n: fc.nat(20), wt: fc.constantFrom(4, 6, 7), raw: fc.constant(new Uint8Array(0)) }),
);

type Mutation = (list: Field[], at: number, junk: Field, wt: number, all: Field[][]) => void;
const MUTATIONS: Mutation[] = [
  (list, at, junk) => list.splice(at % (list.length + 1), 0, junk), // insert a field (unknown, known, wrong wire type, group…)
  (list, at) => list.length > 0 && list.splice(at % list.length, 1), // drop a field
  (list, at) => list.length > 0 && list.push(list[at % list.length]), // repeat a field (repeated / last one wins)
  (list, at, _junk, wt) => list.length > 0 && (list[at % list.length] = { ...list[at % list.length], wt }), // retag: same payload, another wire type
  (list, at, junk) => list.length > 0 && (list[at % list.length] = { ...list[at % list.length], kids: undefined, raw: junk.raw ?? new Uint8Array(0) }), // replace a payload
  (list) => list.reverse(), // field order
  (list, at, _junk, _wt, all) => { // append a field taken from anywhere (a second status, value, resource…)
    const from = all[at % all.length];
    if (from.length > 0) list.push(structuredClone(from[(at >>> 4) % from.length])); // a copy: the field may hold `list`
  },
];
const mutationArb = fc.tuple(fc.nat(), fc.nat(), fc.nat(MUTATIONS.length - 1), junkFieldArb, fc.constantFrom(0, 1, 2, 5));

// ---- properties ----

describe('OTLP protobuf reader properties', () => {
  it('gives the spans and warnings of protobufjs decode + collectOtlpSpans for random documents', () => {
    fc.assert(fc.property(otlpDocArb, (doc) => {
      const bytes = encodeOtlpProto(doc);
      expect(expectSameAsProtobufjs(bytes).ok).toBe(true);
    }), { numRuns: 400 });
  });

  it('matches protobufjs on mutated encodings: the same spans, or a TRACE_FORMAT rejection exactly when protobufjs rejects', () => {
    fc.assert(fc.property(otlpDocArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (doc, mutations) => {
      const tree = parseFields(encodeOtlpProto(doc))!;
      for (const [which, at, m, junk, wt] of mutations) {
        const all = lists(tree);
        MUTATIONS[m](all[which % all.length], at, junk, wt, all);
      }
      const bytes = bytesOf(tree);
      expectSameAsProtobufjs(bytes);
      // A plain Uint8Array goes through protobufjs' array Reader instead of its BufferReader: accepted or
      // rejected alike. Its strings may differ where the UTF-8 is invalid: that Reader has its own decoder
      // (a stray continuation byte is dropped, not replaced), while the reader decodes as Buffer does.
      expect(viaReader(new Uint8Array(bytes)).ok).toBe(viaProtobufjs(new Uint8Array(bytes)).ok);
    }), { numRuns: 600 });
  });

  it('random bytes and truncated encodings give spans or a TRACE_FORMAT error, exactly when protobufjs does', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (raw) => {
      expectSameAsProtobufjs(Buffer.from(raw));
      expect(viaReader(raw).ok).toBe(viaProtobufjs(raw).ok);
    }), { numRuns: 500 });
    fc.assert(fc.property(otlpDocArb, fc.nat(), (doc, cut) => {
      const bytes = encodeOtlpProto(doc);
      const head = Buffer.from(bytes.subarray(0, cut % (bytes.length + 1)));
      expectSameAsProtobufjs(head);
      expect(viaReader(new Uint8Array(head)).ok).toBe(viaProtobufjs(new Uint8Array(head)).ok);
    }), { numRuns: 300 });
  });
});

// ---- concrete cases ----

const TRACE = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const SPAN = Buffer.from('eee19b7ec3c1b174', 'hex');
const str = (n: number, s: string | Buffer): Field => ({ n, wt: 2, raw: typeof s === 'string' ? Buffer.from(s) : s });
const num = (n: number, v: number | bigint): Field => ({ n, wt: 0, raw: Uint8Array.from(varint(v)) });
const msg = (n: number, kids: Field[]): Field => ({ n, wt: 2, kids });
const fixed64 = (n: number, v: bigint): Field => {
  const raw = Buffer.alloc(8);
  raw.writeBigUInt64LE(v);
  return { n, wt: 1, raw };
};
const attr = (key: string, value: Field): Field => msg(9, [str(1, key), msg(2, [value])]);
/** ExportTraceServiceRequest with one resource (service `svc`) holding `spans`. */
const request = (...spans: Field[][]): Buffer =>
  bytesOf([msg(1, [msg(1, [msg(1, [str(1, 'service.name'), msg(2, [str(1, 'svc')])])]), msg(2, spans.map((s) => msg(2, s)))])]);
const minimalSpan = (...extra: Field[]): Field[] => [
  str(1, TRACE), str(2, SPAN), str(5, 'op'), num(6, 2), fixed64(7, 1_544_712_660_000_000_000n), fixed64(8, 1_544_712_661_000_000_500n), ...extra,
];
const read = (bytes: Uint8Array) => {
  const w = new IngestWarnings();
  const out: Span[] = [];
  readOtlpProtoSpans(bytes, w, out);
  return { spans: out, warnings: w.toJSON() };
};

describe('OTLP protobuf reader', () => {
  it('reads every field as the protobufjs schema of otlp-proto.ts declares it', () => {
    const root = (decodeOtlpProto(new Uint8Array(0)) as { $type: protobuf.Type }).$type.root;
    const types = ['KeyValue', 'AnyValue', 'ArrayValue', 'KeyValueList', 'InstrumentationScope', 'Event', 'Link', 'Status', 'Span', 'ScopeSpans', 'Resource', 'ResourceSpans', 'ExportTraceServiceRequest'];
    const scalar: Record<string, number> = { uint32: VARINT32, int32: VARINT32, bool: VARINT32, int64: VARINT64, fixed32: FIXED32, fixed64: FIXED64, double: FIXED64, bytes: BYTES, string: STRING };
    const kind = (f: protobuf.Field): number => {
      const t = f.resolve().resolvedType;
      if (t instanceof protobuf.Enum) return VARINT32;
      return t instanceof protobuf.Type ? MESSAGE + types.indexOf(t.name === 'InstrumentationLibrarySpans' ? 'ScopeSpans' : t.name) : scalar[f.type];
    };
    types.forEach((name, i) => {
      const want: number[] = [UNKNOWN];
      for (const f of root.lookupType(`otlp.${name}`).fieldsArray) if (f.id !== LIBRARY_SPANS) want[f.id] = kind(f);
      expect([name, OTLP_SCHEMA[i]]).toEqual([name, Array.from(want, (k) => k ?? UNKNOWN)]);
    });
    expect(root.lookupType('otlp.ResourceSpans').fields.instrumentationLibrarySpans.id).toBe(LIBRARY_SPANS);
    expect(OTLP_SCHEMA[RESOURCE_SPANS][2]).toBe(MESSAGE + SCOPE_SPANS);
  });

  it('reads the opentelemetry-proto example to the spans protobufjs gives', () => {
    const bytes = readTraceFixture('otlp-protobuf.otel-proto-example-trace.protobuf-bin');
    const got = expectSameAsProtobufjs(bytes);
    expect(got.ok && got.spans).toMatchObject([{
      traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: 'eee19b7ec3c1b173',
      service: 'my.service', operation: "I'm a server span", kind: 'server', startUs: 1544712660000000, durationUs: 1_000_000,
    }]);
  });

  it('converts a hand-encoded span: hex ids, µs times with a fractional duration, mapped attributes only', () => {
    const bytes = request(minimalSpan(attr('http.request.method', str(1, 'GET')), attr('server.port', num(3, 8080)), attr('thread.name', str(1, 'w-1'))));
    expect(read(bytes)).toEqual({
      spans: [{
        traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: undefined, service: 'svc',
        operation: 'op', kind: 'server', startUs: 1544712660000000, durationUs: 1_000_000.5, status: 'unset',
        attributes: { httpMethod: 'GET', serverPort: 8080 },
      }],
      warnings: {},
    });
    expectSameAsProtobufjs(bytes);
  });

  it('skips unknown fields of a span (a varint 99 and a length-delimited 98)', () => {
    const plain = read(request(minimalSpan()));
    const bytes = request(minimalSpan(num(99, 123456789n), str(98, Buffer.from([0x08, 0xff, 0x01]))));
    expect(read(bytes)).toEqual(plain);
    expectSameAsProtobufjs(bytes);
  });

  it('keeps non-ASCII operation names and service names', () => {
    const name = 'GET /café/☕/𝄞/中文';
    const bytes = bytesOf([msg(1, [msg(1, [msg(1, [str(1, 'service.name'), msg(2, [str(1, 'zahlungsdienst-ü')])])]), msg(2, [msg(2, [...minimalSpan(), str(5, name)])])])]);
    expect(read(bytes).spans[0]).toMatchObject({ operation: name, service: 'zahlungsdienst-ü' });
    expectSameAsProtobufjs(bytes);
  });

  it('decodes invalid UTF-8 with replacement characters instead of throwing', () => {
    const bad = Buffer.from([0xff, 0x41, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]);
    const bytes = request([...minimalSpan(), str(5, bad)]);
    expect(read(bytes).spans[0].operation).toBe(bad.toString('utf8'));
    expect(read(bytes).spans[0].operation).toContain('\ufffd');
    expectSameAsProtobufjs(bytes);
  });

  it('takes the resource that comes last, even after the spans, and reads legacy library spans after scope spans', () => {
    const resource = (name: string) => msg(1, [msg(1, [str(1, 'service.name'), msg(2, [str(1, name)])])]);
    const spanWithId = (id: string) => [str(1, TRACE), str(2, Buffer.from(id, 'hex')), fixed64(7, 1n)];
    const bytes = bytesOf([msg(1, [
      resource('first'),
      msg(1000, [msg(2, spanWithId('0000000000000003'))]),
      msg(2, [msg(2, spanWithId('0000000000000001'))]),
      resource('last'),
      msg(2, [msg(2, spanWithId('0000000000000002'))]),
    ])]);
    const { spans } = read(bytes);
    expect(spans.map((s) => [s.spanId, s.service])).toEqual([['0000000000000001', 'last'], ['0000000000000002', 'last'], ['0000000000000003', 'last']]);
    expectSameAsProtobufjs(bytes);
  });

  it('picks an AnyValue primitive by member (string, int, bool, double), not by wire order', () => {
    const double = (v: number): Field => ({ n: 4, wt: 1, raw: new Uint8Array(new Float64Array([v]).buffer) });
    const cases: [Field[], string][] = [
      [[num(3, 7), str(1, 'svc-b'), num(2, 1), double(2.5)], 'svc-b'],
      [[double(2.5), num(2, 1), num(3, 7)], '7'],
      [[double(2.5), num(2, 1)], 'true'],
      [[double(2.5)], '2.5'],
    ];
    for (const [members, want] of cases) {
      const bytes = request(minimalSpan(msg(9, [str(1, 'peer.service'), msg(2, members)])));
      expect(read(bytes).spans[0].attributes.peerService).toBe(want);
      expectSameAsProtobufjs(bytes);
    }
  });

  it('keeps only the last occurrence of a message field, as protobufjs replaces rather than merges', () => {
    const bytes = request(
      minimalSpan(msg(15, [num(3, 2)]), msg(15, [str(2, 'no code: unset')])),
      [str(1, TRACE), str(2, Buffer.from('0000000000000002', 'hex')), msg(9, [str(1, 'peer.service'), msg(2, [str(1, 'first')]), msg(2, [num(3, 5)])])],
    );
    const { spans } = read(bytes);
    expect(spans[0].status).toBe('unset');
    expect(spans[1].attributes.peerService).toBe('5');
    expectSameAsProtobufjs(bytes);
  });

  it('reads an int64 near the end of its AnyValue like protobufjs: the fourth byte ends it', () => {
    // 0x18 = field 3 (int_value), varint; with four bytes left protobufjs takes 0x81 as the last byte (1 << 21).
    const bytes = request(minimalSpan(msg(9, [str(1, 'server.port'), msg(2, [{ n: 3, wt: 0, raw: Uint8Array.of(0x80, 0x80, 0x80, 0x81) }])])));
    expect(read(bytes).spans[0].attributes.serverPort).toBe(2 ** 21);
    expectSameAsProtobufjs(bytes);
  });

  it('nests messages and groups up to the protobufjs depth limit of 100 and no further', () => {
    // A span attribute's AnyValue is at depth 5; each array_value → values pair adds two.
    const chain = (pairs: number, inner: Field[]) => Array.from({ length: pairs }).reduce<Field[]>((kids) => [msg(5, [msg(1, kids)])], inner);
    const nested = (kids: Field[]) => request(minimalSpan(msg(9, [str(1, 'k'), msg(2, kids)])));
    expect(expectSameAsProtobufjs(nested(chain(47, [msg(5, [])]))).ok).toBe(true); // innermost ArrayValue at depth 100
    expect(expectSameAsProtobufjs(nested(chain(48, []))).ok).toBe(false); // innermost AnyValue at depth 101
    // Groups in a span (depth 3): the field inside k nested groups is skipped at depth 3 + k.
    const groups = (k: number) => Array.from({ length: k }).reduce<Field>((inner) => ({ n: 97, wt: 3, kids: [inner] }), num(1, 1));
    expect(expectSameAsProtobufjs(request(minimalSpan(groups(97)))).ok).toBe(true);
    expect(expectSameAsProtobufjs(request(minimalSpan(groups(98)))).ok).toBe(false);
  });

  it('counts unknown kinds and status codes, zero times and missing ids like the OTLP walker', () => {
    const bytes = request(
      [str(1, TRACE), str(2, SPAN), num(6, 9), msg(15, [num(3, -1)])],
      [str(1, TRACE), str(5, 'no span id')],
      [str(2, SPAN), str(5, 'no trace id')],
      [str(1, TRACE), str(2, SPAN), str(5, 'duplicate')],
    );
    expect(read(bytes).warnings).toEqual({
      'repaired span: zero or missing start time': 2,
      'repaired span: zero or missing end time (duration 0)': 2,
      'repaired span: unknown kind (unspecified)': 1,
      'repaired span: unknown status code (unset)': 1,
      'skipped span: missing span id': 1,
      'skipped span: missing trace id': 1,
      'skipped span: duplicate span id (first kept)': 1,
    });
    expectSameAsProtobufjs(bytes);
  });

  it('shares one trace id string between consecutive spans of a trace', () => {
    const other = Buffer.from('0000000000000009', 'hex');
    const { spans } = read(request(minimalSpan(), [str(1, TRACE), str(2, other)]));
    expect(spans).toHaveLength(2);
    expect(Object.is(spans[0].traceId, spans[1].traceId)).toBe(true);
  });

  it('rejects malformed bytes with TRACE_FORMAT: truncated length, bad wire type, nesting too deep', () => {
    // AnyValue.array_value → ArrayValue.values → AnyValue …: 60 pairs put the innermost message past depth 100.
    const deep = Array.from({ length: 60 }).reduce<Field[]>((kids) => [msg(5, [msg(1, kids)])], []);
    for (const bytes of [
      Buffer.from([0x0a, 0x05, 0x12]), // length past the end
      Buffer.from([0x0f]), // wire type 7
      Buffer.from([0x0c]), // end group without a start
      request(minimalSpan(msg(9, [str(1, 'k'), msg(2, deep)]))),
    ]) {
      expect(() => read(bytes)).toThrow(expect.objectContaining({ code: 'TRACE_FORMAT', message: expect.stringMatching(/^not an OTLP protobuf ExportTraceServiceRequest: /) }));
      expect(viaProtobufjs(bytes).ok).toBe(false);
    }
  });

  it('leaves the caller’s spans and warnings as they were when it rejects the bytes after reading spans', () => {
    const valid = request(minimalSpan(), [str(1, TRACE), str(2, Buffer.from('0000000000000002', 'hex'))]);
    expect(read(valid).spans).toHaveLength(2);
    const w = new IngestWarnings();
    w.add('earlier');
    const earlier = { ...read(valid).spans[0], spanId: 'earlier' };
    const out: Span[] = [earlier];
    expect(() => readOtlpProtoSpans(Buffer.concat([valid, Buffer.from([0x0a, 0x05, 0x12])]), w, out)).toThrow(FaultlineError);
    expect(out).toEqual([earlier]);
    expect(w.toJSON()).toEqual({ earlier: 1 });
  });

  it('follows protobufjs where it is lenient: over-long varints of unknown fields, groups, known fields of another wire type', () => {
    for (const bytes of [
      request(minimalSpan({ n: 99, wt: 0, raw: Uint8Array.from(varint(1, 14)) })),
      request(minimalSpan({ n: 97, wt: 3, kids: [num(1, 1), str(2, 'x')] })),
      // name (field 5) tagged as a varint: protobufjs reads it as its declared string anyway.
      request([...minimalSpan(), { n: 5, wt: 0, raw: Buffer.from([3, 0x61, 0x62, 0x63]) }]),
    ]) expect(expectSameAsProtobufjs(bytes).ok).toBe(true);
    expect((viaReader(request([...minimalSpan(), { n: 5, wt: 0, raw: Buffer.from([3, 0x61, 0x62, 0x63]) }])) as { spans: Span[] }).spans[0].operation).toBe('abc');
  });

  it('clamps a string running past its message for Buffer input and rejects it for a plain Uint8Array, as protobufjs does', () => {
    // KeyValue { key: string of length 9 with only 3 bytes left in the KeyValue }.
    const bytes = request(minimalSpan({ n: 9, wt: 2, raw: Buffer.from([0x0a, 0x09, 0x61, 0x62, 0x63]) }));
    expect(expectSameAsProtobufjs(bytes).ok).toBe(true);
    expect(viaReader(new Uint8Array(bytes)).ok).toBe(false);
    expect(viaProtobufjs(new Uint8Array(bytes)).ok).toBe(false);
  });
});
