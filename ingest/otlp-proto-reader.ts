/**
 * Binary OTLP ExportTraceServiceRequest → Spans straight from the wire
 * format (opentelemetry-proto collector/trace/v1, trace/v1, resource/v1),
 * without protobufjs message objects: ids hex-encoded from the bytes,
 * attribute values decoded only under a mapped key, the rest only walked.
 *
 * The result is exactly collectOtlpSpans' for the protobufjs decode of the
 * same bytes (spans with their key order and shared trace id strings,
 * warnings), and exactly the bytes protobufjs rejects are a TRACE_FORMAT
 * error (proto-wire.ts mirrors its reader). Like protobufjs, an absent field
 * has its proto3 default and a non-repeated field seen twice keeps the last,
 * a message field too (replaced, not merged as the encoding guide says).
 */
import { fail } from '../base/errors.js';
import { applyRule } from './attributes.js';
import { ByteCache } from './byte-cache.js';
import { KeyValueReader } from './otlp-proto-key-values.js';
import { fieldKind, LIBRARY_SPANS, LINK, OTLP_SCHEMA as SCHEMA, REQUEST, RESOURCE, RESOURCE_SPANS, SCOPE_SPANS, SPAN, STATUS } from './otlp-proto-schema.js';
import { kindOf, MISSING_SERVICE, spanDuration, statusOfCode, UNKNOWN_SERVICE } from './otlp-spans.js';
import { WireFormatError, WireReader } from './proto-wire.js';
import type { Span, SpanAttributes, SpanLink } from './span.js';
import { pooled } from './string-pool.js';
import type { NanoParts } from './timestamps.js';
import { DUPLICATE_SPAN, DuplicateGuard } from './trace-repair.js';
import { IngestWarnings } from './warnings.js';

/**
 * Append the spans of a binary OTLP ExportTraceServiceRequest to `out`,
 * exactly as collectOtlpSpans does for its protobufjs decode: bad spans
 * skipped or repaired and counted in `warnings`, duplicates dropped.
 * Throws TRACE_FORMAT for the bytes protobufjs rejects, leaving `out` and
 * `warnings` untouched.
 */
export function readOtlpProtoSpans(bytes: Uint8Array, warnings: IngestWarnings, out: Span[]): void {
  const local = new IngestWarnings();
  const before = out.length;
  try {
    new OtlpProtoReader(bytes, local, out).request();
  } catch (err) {
    if (!(err instanceof WireFormatError)) throw err;
    out.length = before;
    throw fail('TRACE_FORMAT', `not an OTLP protobuf ExportTraceServiceRequest: ${err.message}`, { bytes: bytes.length }, err);
  }
  warnings.merge(local);
}

const SERVICE_NAME = Buffer.from('service.name');

// Scratch reused span after span (the walk is synchronous): the times as
// the Long-like {low, high} that splitNanos takes, so they go through the
// same arithmetic as the Longs protobufjs hands it.
const startNs = { low: 0, high: 0 };
const endNs = { low: 0, high: 0 };
const startT: NanoParts = { us: 0, fracNs: 0 };
/** Span name bytes → pooled name (as collectOtlpSpans pools it), per document: names repeat. */
const names = new ByteCache<string>(512);

/** One document's walk, with the per-document state of collectOtlpSpans (IdMemo, DuplicateGuard). */
class OtlpProtoReader {
  private readonly r: WireReader;
  private readonly kv: KeyValueReader;
  private readonly guard = new DuplicateGuard();
  /** The previous span's trace id: its bytes and its string (IdMemo). */
  private memoAt = 0;
  private memoLen = 0;
  private memoId: string | undefined = undefined;

  constructor(bytes: Uint8Array, private readonly warnings: IngestWarnings, private readonly out: Span[]) {
    this.r = new WireReader(bytes);
    this.kv = new KeyValueReader(this.r);
    names.reset(this.r.buf);
  }

  request(): void {
    const r = this.r;
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) this.resourceSpans();
      else r.checkField(SCHEMA, fieldKind(REQUEST, tag), tag & 7);
    }
  }

  /**
   * A ResourceSpans: its resource may come after its spans (and the last
   * one counts), so a first pass reads the resources and steps over the
   * span lists, then one pass reads scope_spans and, if any, one the legacy lists.
   */
  private resourceSpans(): void {
    const r = this.r;
    const outer = r.enter();
    const start = r.pos;
    let named: string | undefined;
    let legacy = false;
    for (let pass = 0; pass < (legacy ? 3 : 2); pass++) {
      const wanted = pass === 1 ? 2 : LIBRARY_SPANS;
      r.pos = start;
      while (r.pos < r.end) {
        const tag = r.uint32();
        const n = tag >>> 3;
        if (n === 1 && pass === 0) named = this.resource();
        else if (n === wanted && pass > 0) this.scopeSpans(named);
        else if (n === 1 || n === 2 || n === LIBRARY_SPANS) {
          legacy ||= n === LIBRARY_SPANS;
          r.need(r.uint32()); // checked in the pass that reads it
        } else r.checkField(SCHEMA, fieldKind(RESOURCE_SPANS, tag), tag & 7);
      }
    }
    r.leave(outer);
  }

  /** service.name of a Resource (serviceOf): the first such key decides; a non-string or empty value is none. */
  private resource(): string | undefined {
    const r = this.r;
    const outer = r.enter();
    let decided = false;
    let service: string | undefined;
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag >>> 3 !== 1) {
        r.checkField(SCHEMA, fieldKind(RESOURCE, tag), tag & 7);
        continue;
      }
      this.kv.read();
      if (decided || !this.kv.keyIs(SERVICE_NAME)) continue;
      decided = true;
      const v = this.kv.value();
      service = typeof v === 'string' && v !== '' ? v : undefined;
    }
    r.leave(outer);
    return service;
  }

  private scopeSpans(named: string | undefined): void {
    const r = this.r;
    const outer = r.enter();
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag >>> 3 === 2) this.span(named);
      else r.checkField(SCHEMA, fieldKind(SCOPE_SPANS, tag), tag & 7);
    }
    r.leave(outer);
  }

  /**
   * A Span, converted as convertSpan converts the decoded message (same
   * checks, same warnings in the same order) once all its fields are read.
   */
  private span(named: string | undefined): void {
    const r = this.r;
    const outer = r.enter();
    let kind = 0, code = 0, badLinks = 0;
    let links: SpanLink[] | undefined;
    let traceAt = 0, traceEnd = 0, spanAt = 0, spanEnd = 0, parentAt = 0, parentEnd = 0, nameAt = 0, nameEnd = 0;
    startNs.low = startNs.high = endNs.low = endNs.high = 0;
    const attributes: SpanAttributes = {};
    while (r.pos < r.end) {
      const tag = r.uint32();
      const n = tag >>> 3;
      if (n === 1) {
        traceAt = r.bytes();
        traceEnd = r.pos;
      } else if (n === 2) {
        spanAt = r.bytes();
        spanEnd = r.pos;
      } else if (n === 4) {
        parentAt = r.bytes();
        parentEnd = r.pos;
      } else if (n === 5) {
        nameAt = r.string();
        nameEnd = r.pos;
      } else if (n === 6) kind = r.uint32() | 0; // an enum: protobufjs reads int32
      else if (n === 7 || n === 8) {
        r.fixed64();
        const t = n === 7 ? startNs : endNs;
        t.low = r.lo | 0;
        t.high = r.hi | 0;
      } else if (n === 9) {
        this.kv.read();
        const rule = this.kv.rule();
        if (rule !== undefined) applyRule(attributes, rule, this.kv.value());
      } else if (n === 13) {
        const link = this.link();
        if (link === undefined) badLinks++;
        else (links ??= []).push(link);
      } else if (n === 15) code = this.statusCode();
      else r.checkField(SCHEMA, fieldKind(SPAN, tag), tag & 7);
    }
    r.leave(outer);

    const w = this.warnings;
    const traceId = this.traceId(traceAt, traceEnd);
    if (traceId === undefined) return w.add('skipped span: missing trace id');
    const spanId = r.hex(spanAt, spanEnd);
    if (spanId === undefined) return w.add('skipped span: missing span id');
    const durationUs = spanDuration(startNs, endNs, startT, w);
    if (durationUs === undefined) return;
    const span: Span = {
      traceId,
      spanId,
      parentSpanId: r.hex(parentAt, parentEnd),
      service: named ?? UNKNOWN_SERVICE,
      operation: this.name(nameAt, nameEnd),
      kind: kindOf(kind, w),
      startUs: startT.us,
      durationUs,
      status: statusOfCode(code, w),
      attributes,
    };
    if (badLinks > 0) w.add('skipped link: missing trace or span id', badLinks);
    if (links !== undefined) span.links = links;
    if (this.guard.seen(traceId, spanId)) return w.add(DUPLICATE_SPAN);
    if (named === undefined) w.add(MISSING_SERVICE);
    this.out.push(span);
  }

  /** The trace id, the previous span's string when the bytes are the same (IdMemo: no encoding, one string per run). */
  private traceId(start: number, end: number): string | undefined {
    const len = end - start;
    if (this.memoId !== undefined && len === this.memoLen && this.r.same(start, this.memoAt, len)) return this.memoId;
    this.memoAt = start;
    this.memoLen = len;
    return (this.memoId = this.r.hex(start, end));
  }

  private name(start: number, end: number): string {
    let name = names.get(start, end);
    if (name === undefined) {
      name = pooled(this.r.text(start, end));
      names.set(name);
    }
    return name;
  }

  /** A Link, or undefined when its trace or span id is empty. */
  private link(): SpanLink | undefined {
    const r = this.r;
    const outer = r.enter();
    let traceAt = 0, traceEnd = 0, spanAt = 0, spanEnd = 0;
    while (r.pos < r.end) {
      const tag = r.uint32();
      const n = tag >>> 3;
      if (n === 1) {
        traceAt = r.bytes();
        traceEnd = r.pos;
      } else if (n === 2) {
        spanAt = r.bytes();
        spanEnd = r.pos;
      } else r.checkField(SCHEMA, fieldKind(LINK, tag), tag & 7);
    }
    r.leave(outer);
    const traceId = r.hex(traceAt, traceEnd);
    const spanId = r.hex(spanAt, spanEnd);
    return traceId === undefined || spanId === undefined ? undefined : { traceId, spanId };
  }

  /** Status.code, read as int32 (0 when absent). */
  private statusCode(): number {
    const r = this.r;
    const outer = r.enter();
    let code = 0;
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag >>> 3 === 3) code = r.uint32() | 0;
      else r.checkField(SCHEMA, fieldKind(STATUS, tag), tag & 7);
    }
    r.leave(outer);
    return code;
  }
}
