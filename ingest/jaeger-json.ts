/**
 * Jaeger UI JSON (jaeger-query's `/api/traces` envelope
 * `{data: [trace], total, limit, offset, errors}`, `/api/traces/{id}` and a
 * bare trace object `{traceID, spans, processes}`), converted the way
 * jaeger-ui's trace transform reads it: `processID` names the service, tags
 * are typed (int64 may be a string, bool may be `"true"`), `span.kind` is a
 * tag, `error=true` means status error, CHILD_OF in the same trace is the
 * parent and every other reference becomes a link. Times are already µs.
 */
import { fail } from '../base/errors.js';
import { applyRule, attributeRule } from './attributes.js';
import { IdMemo, normaliseHexId } from './ids.js';
import { describeShape } from './otlp-json.js';
import { UNKNOWN_SERVICE } from './otlp-spans.js';
import type { Span, SpanAttributes, SpanKind, SpanLink, SpanStatus } from './span.js';
import { pooled } from './string-pool.js';
import { DUPLICATE_SPAN, DuplicateGuard, rootOrphans } from './trace-repair.js';
import type { IngestWarnings } from './warnings.js';
import { markWholeTraces } from './whole-traces.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// A Map, not an object literal: a tag value like "constructor" must not find Object.prototype's.
const KINDS = new Map<string, SpanKind>([
  ['server', 'server'], ['client', 'client'], ['producer', 'producer'], ['consumer', 'consumer'], ['internal', 'internal'],
]);

/** Backend-provided warning texts are counted under a bounded reason. */
function backendWarning(text: unknown): string {
  return `backend warning: ${String(text).slice(0, 160)}`;
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true' || v === 'TRUE' || v === 'True';
}

interface TagResult {
  kind: SpanKind;
  status: SpanStatus;
  attributes: SpanAttributes;
}

function readTags(tags: unknown): TagResult {
  const res: TagResult = { kind: 'unspecified', status: 'unset', attributes: {} };
  if (!Array.isArray(tags)) return res;
  for (const t of tags) {
    if (!isObj(t) || typeof t.key !== 'string') continue;
    const key = t.key;
    if (key === 'span.kind') res.kind = KINDS.get(String(t.value).toLowerCase()) ?? 'unspecified';
    else if (key === 'error') { if (isTrue(t.value)) res.status = 'error'; }
    else if (key === 'otel.status_code') {
      const v = String(t.value).toUpperCase();
      if (v === 'ERROR') res.status = 'error';
      else if (v === 'OK' && res.status !== 'error') res.status = 'ok';
    } else {
      const rule = attributeRule(key);
      if (rule !== undefined) applyRule(res.attributes, rule, t.value);
    }
  }
  return res;
}

function serviceOf(span: Obj, processes: Obj): string | undefined {
  const proc = isObj(span.process) ? span.process : typeof span.processID === 'string' ? processes[span.processID] : undefined;
  const name = isObj(proc) ? proc.serviceName : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function convertSpan(s: unknown, processes: Obj, warnings: IngestWarnings, traceIds: IdMemo): Span | undefined {
  if (!isObj(s)) {
    warnings.add('skipped span: not an object');
    return undefined;
  }
  const traceId = traceIds.get(s.traceID);
  if (traceId === undefined) {
    warnings.add('skipped span: missing trace id');
    return undefined;
  }
  const spanId = normaliseHexId(s.spanID);
  if (spanId === undefined) {
    warnings.add('skipped span: missing span id');
    return undefined;
  }
  const start = s.startTime;
  if (typeof start !== 'number' || !Number.isFinite(start) || start < 0) {
    warnings.add('skipped span: missing or invalid start time');
    return undefined;
  }
  let duration = s.duration;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
    warnings.add('repaired span: missing or invalid duration (0)');
    duration = 0;
  }
  let operation = s.operationName;
  if (typeof operation !== 'string') {
    warnings.add('repaired span: missing name');
    operation = '';
  }
  let service = serviceOf(s, processes);
  if (service === undefined) {
    warnings.add(`repaired span: missing service name (${UNKNOWN_SERVICE})`);
    service = UNKNOWN_SERVICE;
  }
  let parentSpanId: string | undefined;
  let links: SpanLink[] | undefined;
  if (Array.isArray(s.references)) {
    for (const r of s.references) {
      const rt = isObj(r) ? normaliseHexId(r.traceID) : undefined;
      const rs = isObj(r) ? normaliseHexId(r.spanID) : undefined;
      if (rt === undefined || rs === undefined) {
        warnings.add('skipped reference: missing trace or span id');
        continue;
      }
      // The first CHILD_OF inside the trace is the parent; cross-trace
      // CHILD_OF, FOLLOWS_FROM and extra CHILD_OFs are links.
      if (parentSpanId === undefined && (r as Obj).refType === 'CHILD_OF' && rt === traceId) parentSpanId = rs;
      else (links ??= []).push({ traceId: rt, spanId: rs });
    }
  }
  // Old Jaeger JSON carried the parent as a field instead of a reference.
  if (parentSpanId === undefined && typeof s.parentSpanID === 'string' && !/^0*$/.test(s.parentSpanID)) {
    parentSpanId = normaliseHexId(s.parentSpanID);
  }
  if (Array.isArray(s.warnings)) for (const w of s.warnings) warnings.add(backendWarning(w));
  const tags = readTags(s.tags);
  const span: Span = {
    traceId,
    spanId,
    parentSpanId,
    service,
    operation: pooled(operation as string),
    kind: tags.kind,
    startUs: Math.round(start),
    durationUs: duration as number,
    status: tags.status,
    attributes: tags.attributes,
  };
  if (links) span.links = links;
  return span;
}

/** Append one Jaeger trace object's spans to `out`. */
function collectTrace(trace: unknown, warnings: IngestWarnings, out: Span[]): void {
  if (!isObj(trace) || !Array.isArray(trace.spans)) {
    warnings.add('skipped trace: no spans array');
    return;
  }
  const processes = isObj(trace.processes) ? trace.processes : {};
  const guard = new DuplicateGuard();
  const traceIds = new IdMemo(normaliseHexId);
  const spans: Span[] = [];
  for (const raw of trace.spans) {
    const span = convertSpan(raw, processes, warnings, traceIds);
    if (span === undefined) continue;
    if (guard.seen(span.traceId, span.spanId)) {
      warnings.add(DUPLICATE_SPAN);
      continue;
    }
    spans.push(span);
  }
  if (Array.isArray(trace.warnings)) for (const w of trace.warnings) warnings.add(backendWarning(w));
  rootOrphans(spans, warnings);
  for (const s of spans) out.push(s);
}

/** True when `doc` is the `/api/traces` envelope (`{data: [...]}`). */
export function isJaegerEnvelope(doc: unknown): boolean {
  return isObj(doc) && Array.isArray(doc.data) && !('resourceSpans' in doc);
}

/** True when `doc` is one Jaeger trace object. */
export function isJaegerTrace(doc: unknown): boolean {
  return isObj(doc) && Array.isArray(doc.spans) && ('processes' in doc || 'traceID' in doc);
}

/**
 * Spans of a parsed Jaeger JSON document (envelope or single trace).
 * Envelope `errors` are counted as warnings. Throws TRACE_FORMAT only when
 * the document is neither shape.
 */
export function spansFromJaegerJson(doc: unknown, warnings: IngestWarnings): Span[] {
  const out: Span[] = [];
  if (isJaegerEnvelope(doc)) {
    const env = doc as Obj;
    for (const trace of env.data as unknown[]) collectTrace(trace, warnings, out);
    if (Array.isArray(env.errors)) {
      for (const e of env.errors) warnings.add(`backend error: ${String(isObj(e) ? e.msg ?? e.code : e).slice(0, 160)}`);
    }
    // Each trace object of the UI format holds every span Jaeger has for it.
    return markWholeTraces(out);
  }
  if (isJaegerTrace(doc)) {
    collectTrace(doc, warnings, out);
    return markWholeTraces(out);
  }
  throw fail('TRACE_FORMAT', 'not a Jaeger JSON document: expected {data: [traces]} or {traceID, spans, processes}', { seen: describeShape(doc) });
}
