/**
 * The one walker over the OTLP trace structure (opentelemetry-proto
 * trace/v1: ResourceSpans → ScopeSpans → Span), shared by OTLP JSON, Jaeger
 * api/v3, Tempo v1/v2 and decoded protobuf messages. The encodings differ
 * only in leaf values, which are accepted in every form:
 * ids hex/base64 strings or bytes, times decimal strings, numbers or Long,
 * enums integers or `SPAN_KIND_*` / `STATUS_CODE_*` names, AnyValue as JSON
 * object or protobufjs oneof.
 */
import { applyRule, attributeRule } from './attributes.js';
import { IdMemo, normaliseAnyId } from './ids.js';
import type { Span, SpanAttributes, SpanKind, SpanLink, SpanStatus } from './span.js';
import { pooled } from './string-pool.js';
import { splitNanos, type NanoParts } from './timestamps.js';
import { DUPLICATE_SPAN, DuplicateGuard } from './trace-repair.js';
import type { IngestWarnings } from './warnings.js';

type Obj = Record<string, unknown>;

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
// Maps, not object literals: a name like "constructor" must not find Object.prototype's.
const KIND_NAMES = new Map<string, SpanKind>([
  ['SPAN_KIND_UNSPECIFIED', 'unspecified'],
  ['SPAN_KIND_INTERNAL', 'internal'],
  ['SPAN_KIND_SERVER', 'server'],
  ['SPAN_KIND_CLIENT', 'client'],
  ['SPAN_KIND_PRODUCER', 'producer'],
  ['SPAN_KIND_CONSUMER', 'consumer'],
]);
const STATUSES: readonly SpanStatus[] = ['unset', 'ok', 'error'];
const STATUS_NAMES = new Map<string, SpanStatus>([
  ['STATUS_CODE_UNSET', 'unset'],
  ['STATUS_CODE_OK', 'ok'],
  ['STATUS_CODE_ERROR', 'error'],
]);

/** The span kind of an OTLP enum number or `SPAN_KIND_*` name; undefined for anything else. */
export function knownKind(raw: unknown): SpanKind | undefined {
  return typeof raw === 'number' ? KINDS[raw] : typeof raw === 'string' ? KIND_NAMES.get(raw) : undefined;
}

/** The status of an OTLP status code number or `STATUS_CODE_*` name; undefined for anything else. */
export function knownStatus(raw: unknown): SpanStatus | undefined {
  return typeof raw === 'number' ? STATUSES[raw] : typeof raw === 'string' ? STATUS_NAMES.get(raw) : undefined;
}

/** Service name used when a resource has no `service.name`. */
export const UNKNOWN_SERVICE = 'unknown_service';

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const NO_ITEMS: readonly unknown[] = [];
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : NO_ITEMS);

/** Primitive of an OTLP AnyValue (JSON object or protobufjs message); composite values → undefined. */
export function anyValuePrimitive(v: unknown): string | number | boolean | undefined {
  if (!isObj(v)) return undefined;
  // Plain JSON first: a non-empty string member can only be set, never a
  // protobufjs default (those are "" on the prototype), so it needs no
  // own-property check.
  const sv = v.stringValue;
  if (typeof sv === 'string' && sv !== '') return sv;
  // Own properties only: protobufjs messages carry defaults for unset oneof
  // members on their prototype, and only the member actually set is an own
  // property (JSON AnyValue objects have just the one key anyway).
  if (hasOwn(v, 'stringValue')) return leaf('stringValue', v.stringValue);
  if (hasOwn(v, 'intValue')) return leaf('intValue', v.intValue);
  if (hasOwn(v, 'boolValue')) return leaf('boolValue', v.boolValue);
  if (hasOwn(v, 'doubleValue')) return leaf('doubleValue', v.doubleValue);
  return undefined;
}

function leaf(which: string, x: unknown): string | number | boolean | undefined {
  switch (which) {
    case 'stringValue':
      return typeof x === 'string' ? x : undefined;
    case 'boolValue':
      return typeof x === 'boolean' ? x : undefined;
    case 'intValue':
    case 'doubleValue':
      if (typeof x === 'number' || typeof x === 'string') return x;
      if (isObj(x) && typeof x.low === 'number' && typeof x.high === 'number') {
        return x.high * 4294967296 + (x.low >>> 0);
      }
      return undefined;
    default:
      return undefined;
  }
}

/** OTLP span kind from its number or `SPAN_KIND_*` name; absent → unspecified, unknown → unspecified and counted. */
export function kindOf(raw: unknown, warnings: IngestWarnings): SpanKind {
  if (raw === undefined || raw === null) return 'unspecified';
  const k = knownKind(raw);
  if (k !== undefined) return k;
  warnings.add('repaired span: unknown kind (unspecified)');
  return 'unspecified';
}

function statusOf(raw: unknown, warnings: IngestWarnings): SpanStatus {
  return isObj(raw) ? statusOfCode(raw.code, warnings) : 'unset';
}

/** OTLP status from its code (number or `STATUS_CODE_*` name); absent → unset, unknown → unset and counted. */
export function statusOfCode(c: unknown, warnings: IngestWarnings): SpanStatus {
  if (c === undefined || c === null) return 'unset';
  const s = knownStatus(c);
  if (s !== undefined) return s;
  warnings.add('repaired span: unknown status code (unset)');
  return 'unset';
}

function serviceOf(resource: unknown): string | undefined {
  if (!isObj(resource)) return undefined;
  for (const kv of arr(resource.attributes)) {
    if (isObj(kv) && kv.key === 'service.name') {
      const v = anyValuePrimitive(kv.value);
      return typeof v === 'string' && v !== '' ? v : undefined;
    }
  }
  return undefined;
}

function attributesOf(raw: unknown): SpanAttributes {
  const attrs: SpanAttributes = {};
  const list = arr(raw);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    if (!isObj(kv)) continue;
    const key = kv.key;
    if (typeof key !== 'string') continue;
    const rule = attributeRule(key);
    if (rule !== undefined) applyRule(attrs, rule, anyValuePrimitive(kv.value));
  }
  return attrs;
}

function linksOf(raw: unknown, warnings: IngestWarnings): SpanLink[] | undefined {
  const list = arr(raw);
  if (list.length === 0) return undefined;
  const links: SpanLink[] = [];
  for (const l of list) {
    const traceId = isObj(l) ? normaliseAnyId(l.traceId) : undefined;
    const spanId = isObj(l) ? normaliseAnyId(l.spanId) : undefined;
    if (traceId === undefined || spanId === undefined) warnings.add('skipped link: missing trace or span id');
    else links.push({ traceId, spanId });
  }
  return links.length > 0 ? links : undefined;
}

/** Per-call scratch for time splitting (no allocation per span). */
const startT: NanoParts = { us: 0, fracNs: 0 };
const endT: NanoParts = { us: 0, fracNs: 0 };

/** Warning counted per span of a resource without `service.name`. */
export const MISSING_SERVICE = `repaired span: missing service.name (${UNKNOWN_SERVICE})`;

/**
 * A span's start (into `start`) and its duration in µs from OTLP start and
 * end nanos (decimal string, number or Long-like), repairs counted: a zero
 * start is kept, a bad or zero end or one before the start gives duration
 * 0. Undefined when the start is unusable (skip the span; counted).
 */
export function spanDuration(rawStart: unknown, rawEnd: unknown, start: NanoParts, warnings: IngestWarnings): number | undefined {
  if (!splitNanos(rawStart, start)) {
    warnings.add('skipped span: invalid start time');
    return undefined;
  }
  if (start.us === 0 && start.fracNs === 0) warnings.add('repaired span: zero or missing start time');
  if (!splitNanos(rawEnd, endT)) {
    warnings.add('repaired span: invalid end time (duration 0)');
    return 0;
  }
  if (endT.us === 0 && endT.fracNs === 0) {
    warnings.add('repaired span: zero or missing end time (duration 0)');
    return 0;
  }
  const durationUs = endT.us - start.us + (endT.fracNs - start.fracNs) / 1000;
  if (durationUs >= 0) return durationUs;
  warnings.add('repaired span: end before start (duration 0)');
  return 0;
}

/**
 * Convert one OTLP span object; undefined (and a counted warning) when it
 * cannot be used.
 */
function convertSpan(s: unknown, service: string, warnings: IngestWarnings, traceIds: IdMemo): Span | undefined {
  if (!isObj(s)) {
    warnings.add('skipped span: not an object');
    return undefined;
  }
  const traceId = traceIds.get(s.traceId);
  if (traceId === undefined) {
    warnings.add('skipped span: missing trace id');
    return undefined;
  }
  const spanId = normaliseAnyId(s.spanId);
  if (spanId === undefined) {
    warnings.add('skipped span: missing span id');
    return undefined;
  }
  // proto3 JSON omits zero values, so an absent time *is* 0: keep the span, count it.
  const durationUs = spanDuration(s.startTimeUnixNano ?? '0', s.endTimeUnixNano ?? '0', startT, warnings);
  if (durationUs === undefined) return undefined;
  let operation = s.name;
  if (typeof operation !== 'string') {
    warnings.add('repaired span: missing name');
    operation = '';
  }
  const span: Span = {
    traceId,
    spanId,
    parentSpanId: normaliseAnyId(s.parentSpanId),
    service,
    operation: pooled(operation as string),
    kind: kindOf(s.kind, warnings),
    startUs: startT.us,
    durationUs,
    status: statusOf(s.status, warnings),
    attributes: attributesOf(s.attributes),
  };
  const links = linksOf(s.links, warnings);
  if (links) span.links = links;
  return span;
}

/**
 * Append the spans of an OTLP `resourceSpans` array to `out`. Bad spans are
 * skipped or repaired and counted; duplicates within the document are
 * dropped (first kept).
 */
export function collectOtlpSpans(resourceSpans: unknown, warnings: IngestWarnings, out: Span[], guard = new DuplicateGuard()): void {
  const traceIds = new IdMemo(normaliseAnyId);
  for (const rs of arr(resourceSpans)) {
    if (!isObj(rs)) {
      warnings.add('skipped resource: not an object');
      continue;
    }
    const named = serviceOf(rs.resource);
    const service = named ?? UNKNOWN_SERVICE;
    // `instrumentationLibrarySpans` is the pre-1.0 name of `scopeSpans` (field 1000).
    for (const scopes of [arr(rs.scopeSpans), arr(rs.instrumentationLibrarySpans)]) {
      for (const ss of scopes) {
        if (!isObj(ss)) {
          warnings.add('skipped scope: not an object');
          continue;
        }
        const spans = arr(ss.spans);
        for (let i = 0; i < spans.length; i++) {
          const span = convertSpan(spans[i], service, warnings, traceIds);
          if (span === undefined) continue;
          if (guard.seen(span.traceId, span.spanId)) {
            warnings.add(DUPLICATE_SPAN);
            continue;
          }
          if (named === undefined) warnings.add(MISSING_SERVICE);
          out.push(span);
        }
      }
    }
  }
}
