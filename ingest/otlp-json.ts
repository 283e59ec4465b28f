/**
 * OTLP JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * `{resourceSpans: [...]}` — ExportTraceServiceRequest / TracesData — and
 * Jaeger api/v3's `{"result": TracesData}` wrapper around the same thing.
 */
import { fail } from '../base/errors.js';
import { collectOtlpSpans } from './otlp-spans.js';
import type { Span } from './span.js';
import type { IngestWarnings } from './warnings.js';

/** The `resourceSpans` array of an OTLP JSON document (bare or api/v3-wrapped), or undefined. */
export function otlpResourceSpans(doc: unknown): unknown[] | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as { resourceSpans?: unknown; result?: unknown };
  if (Array.isArray(d.resourceSpans)) return d.resourceSpans;
  if (typeof d.result === 'object' && d.result !== null) {
    const r = (d.result as { resourceSpans?: unknown }).resourceSpans;
    if (Array.isArray(r)) return r;
  }
  return undefined;
}

/**
 * Spans of a parsed OTLP JSON document. Throws TRACE_FORMAT only when the
 * document has no `resourceSpans` array at all; bad spans are counted in
 * `warnings`. An empty object (`{}`) or `{"result": {}}` is a valid empty export.
 */
export function spansFromOtlpJson(doc: unknown, warnings: IngestWarnings): Span[] {
  const out: Span[] = [];
  const rs = otlpResourceSpans(doc);
  if (rs !== undefined) {
    collectOtlpSpans(rs, warnings, out);
    return out;
  }
  if (isEmptyExport(doc)) return out;
  throw fail('TRACE_FORMAT', 'not an OTLP JSON document: expected a "resourceSpans" array', { seen: describeShape(doc) });
}

function isEmptyExport(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const keys = Object.keys(doc);
  if (keys.length === 0) return true;
  if (keys.length === 1 && keys[0] === 'result') {
    const r = (doc as { result: unknown }).result;
    return typeof r === 'object' && r !== null && !Array.isArray(r) && Object.keys(r).length === 0;
  }
  return false;
}

/** A short description of what a document looks like, for error messages. */
export function describeShape(doc: unknown): string {
  if (doc === null) return 'null';
  if (Array.isArray(doc)) return `array of ${doc.length}`;
  if (typeof doc === 'object') {
    const keys = Object.keys(doc).slice(0, 6);
    return keys.length === 0 ? 'empty object' : `object with keys ${keys.join(', ')}`;
  }
  return typeof doc;
}
