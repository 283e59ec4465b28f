/**
 * The length cap on span text at ingest: span names, service names, ids and
 * attribute values longer than the cap are cut to it and counted as a
 * warning. An open OTLP port takes text from anyone; without a cap twenty
 * spans with 10 MB names hold 200 MB for as long as the store keeps them.
 */
import type { Span, SpanAttributes } from './span.js';
import type { IngestWarnings } from './warnings.js';

/** Default cap (characters): far above any real span name or semantic-convention value. */
export const DEFAULT_MAX_TEXT_LENGTH = 1024;

/**
 * A copy of the first `max` characters that shares no memory with `s`:
 * V8 represents a plain slice of a long string as a view that keeps the
 * whole original alive, which would defeat the cap.
 */
function cut(s: string, max: number): string {
  return Buffer.from(s.slice(0, max), 'utf8').toString('utf8');
}

/** Cap every text field of `spans` at `max` characters, in place; counts each truncation in `warnings`. */
export function capSpanText(spans: Span[], max: number, warnings: IngestWarnings): void {
  const capped = (s: string, what: string): string => {
    if (s.length <= max) return s;
    warnings.add(`truncated ${what}: longer than ${max} characters`);
    return cut(s, max);
  };
  for (const span of spans) {
    span.operation = capped(span.operation, 'span name');
    span.service = capped(span.service, 'service name');
    span.traceId = capped(span.traceId, 'id');
    span.spanId = capped(span.spanId, 'id');
    if (span.parentSpanId !== undefined) span.parentSpanId = capped(span.parentSpanId, 'id');
    const attrs = span.attributes as Record<keyof SpanAttributes, unknown>;
    for (const key of Object.keys(attrs) as (keyof SpanAttributes)[]) {
      const v = attrs[key];
      if (typeof v === 'string') attrs[key] = capped(v, 'attribute value');
    }
    for (const link of span.links ?? []) {
      link.traceId = capped(link.traceId, 'id');
      link.spanId = capped(link.spanId, 'id');
    }
  }
}

/**
 * Approximate memory a span holds, for the store's byte bound: a fixed
 * object overhead plus two bytes per character of its text (V8 stores
 * non-Latin-1 strings as UTF-16). Pooled strings shared between spans are
 * counted for each, so the estimate errs high.
 */
export function approxSpanBytes(span: Span): number {
  let chars = span.traceId.length + span.spanId.length + (span.parentSpanId?.length ?? 0) + span.service.length + span.operation.length;
  for (const v of Object.values(span.attributes)) if (typeof v === 'string') chars += v.length;
  for (const link of span.links ?? []) chars += link.traceId.length + link.spanId.length + 64;
  return 320 + 2 * chars;
}
