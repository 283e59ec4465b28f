/**
 * Repairs shared by the converters, modelled on jaeger-ui's trace transform:
 * a messy trace is kept and its problems are counted, never thrown.
 */
import type { Span } from './span.js';
import type { IngestWarnings } from './warnings.js';

/** Up to this many spans, lists are scanned rather than hashed: comparing a few ids beats hashing each one. */
const SCAN_LIMIT = 32;

/**
 * Remembers (traceId, spanId) pairs of one document so duplicates can be
 * dropped (first one wins, as in jaeger-ui's `deduplicateSpans`). The first
 * few pairs are scanned (a Jaeger trace object is usually that small); past
 * that, pairs are keyed by span id with the trace id as value, so the common
 * case allocates no key strings; the rare span-id collision across traces
 * falls back to a set.
 */
export class DuplicateGuard {
  private readonly traces: string[] = [];
  private readonly spans: string[] = [];
  private bySpan?: Map<string, string>;
  private crossTrace?: Set<string>;

  /** True when this pair was already seen (and should be skipped). */
  seen(traceId: string, spanId: string): boolean {
    if (this.bySpan === undefined) {
      const spans = this.spans;
      for (let i = 0; i < spans.length; i++) if (spans[i] === spanId && this.traces[i] === traceId) return true;
      if (spans.length < SCAN_LIMIT) {
        spans.push(spanId);
        this.traces.push(traceId);
        return false;
      }
      this.bySpan = new Map();
      for (let i = 0; i < spans.length; i++) this.mapped(this.bySpan, this.traces[i], spans[i]);
    }
    return this.mapped(this.bySpan, traceId, spanId);
  }

  private mapped(bySpan: Map<string, string>, traceId: string, spanId: string): boolean {
    const t = bySpan.get(spanId);
    if (t === undefined) {
      bySpan.set(spanId, traceId);
      return false;
    }
    if (t === traceId) return true;
    const key = `${traceId}\u0000${spanId}`;
    this.crossTrace ??= new Set();
    if (this.crossTrace.has(key)) return true;
    this.crossTrace.add(key);
    return false;
  }
}

/** Warning reason for a duplicated span (kept: the first). */
export const DUPLICATE_SPAN = 'skipped span: duplicate span id (first kept)';
/** Warning reason for an orphan span turned into a root. */
export const ORPHAN_SPAN = 'repaired span: parent not in trace (kept as root)';

/**
 * For documents that hold whole traces (Jaeger, Tempo by id): a span whose
 * parent is not in its trace becomes a root and is counted. Not applied to
 * OTLP export batches, where a parent legitimately arrives in another batch.
 */
export function rootOrphans(spans: Span[], warnings: IngestWarnings): void {
  if (spans.length <= SCAN_LIMIT) {
    for (const s of spans) {
      if (s.parentSpanId === undefined || hasSpan(spans, s.traceId, s.parentSpanId)) continue;
      s.parentSpanId = undefined;
      warnings.add(ORPHAN_SPAN);
    }
    return;
  }
  const present = new Map<string, Set<string>>();
  for (const s of spans) {
    let ids = present.get(s.traceId);
    if (!ids) present.set(s.traceId, (ids = new Set()));
    ids.add(s.spanId);
  }
  for (const s of spans) {
    if (s.parentSpanId !== undefined && !present.get(s.traceId)!.has(s.parentSpanId)) {
      s.parentSpanId = undefined;
      warnings.add(ORPHAN_SPAN);
    }
  }
}

function hasSpan(spans: Span[], traceId: string, spanId: string): boolean {
  for (const s of spans) if (s.spanId === spanId && s.traceId === traceId) return true;
  return false;
}
