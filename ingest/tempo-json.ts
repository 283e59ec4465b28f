/**
 * Grafana Tempo HTTP API JSON: `/api/traces/{id}` v1 (`{batches: [...]}` —
 * gogo jsonpb, so ids are base64 and kinds enum names like
 * `SPAN_KIND_CLIENT`), `/api/v2/traces/{id}` (`{trace: {resourceSpans}}`),
 * and the `/api/search` response, which lists trace ids to fetch.
 */
import { fail } from '../base/errors.js';
import { normaliseId } from './ids.js';
import { describeShape } from './otlp-json.js';
import { collectOtlpSpans } from './otlp-spans.js';
import type { Span } from './span.js';
import { nanosToUs } from './timestamps.js';
import { rootOrphans } from './trace-repair.js';
import type { IngestWarnings } from './warnings.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `resourceSpans`-shaped array of a Tempo trace document (v1 `batches` or v2 `trace.resourceSpans`). */
export function tempoBatches(doc: unknown): unknown[] | undefined {
  if (!isObj(doc)) return undefined;
  if (Array.isArray(doc.batches)) return doc.batches;
  if (isObj(doc.trace)) {
    const rs = doc.trace.resourceSpans ?? doc.trace.batches;
    if (Array.isArray(rs)) return rs;
    if (Object.keys(doc.trace).length === 0) return [];
  }
  return undefined;
}

/**
 * Spans of a Tempo trace-by-id response (v1 or v2). A whole trace, so a span
 * whose parent is missing is kept as a root (warned). Throws TRACE_FORMAT
 * only when the document is neither shape.
 */
export function spansFromTempoTrace(doc: unknown, warnings: IngestWarnings): Span[] {
  const batches = tempoBatches(doc);
  if (batches === undefined) {
    throw fail('TRACE_FORMAT', 'not a Tempo trace: expected {batches: [...]} (v1) or {trace: {resourceSpans}} (v2)', { seen: describeShape(doc) });
  }
  const out: Span[] = [];
  collectOtlpSpans(batches, warnings, out);
  rootOrphans(out, warnings);
  return out;
}

/** One trace found by Tempo search. */
export interface TempoSearchHit {
  /** Lower-case hex as Tempo returned it (Tempo may drop leading zeros). */
  traceId: string;
  /** Root span start, µs since the epoch, when Tempo reported it. */
  startUs?: number;
  rootServiceName?: string;
}

/** True when `doc` looks like a Tempo `/api/search` response. */
export function isTempoSearch(doc: unknown): boolean {
  return isObj(doc) && Array.isArray(doc.traces) && (doc.traces.length === 0 || isObj(doc.traces[0]) && 'traceID' in (doc.traces[0] as Obj));
}

/**
 * Trace ids (and start times) of a Tempo `/api/search` response, in order,
 * without duplicates. Entries without an id are counted and skipped.
 */
export function tempoSearchHits(doc: unknown, warnings: IngestWarnings): TempoSearchHit[] {
  if (!isObj(doc) || !Array.isArray(doc.traces)) {
    throw fail('TRACE_FORMAT', 'not a Tempo search response: expected {traces: [...]}', { seen: describeShape(doc) });
  }
  const seen = new Set<string>();
  const hits: TempoSearchHit[] = [];
  for (const t of doc.traces) {
    const traceId = isObj(t) ? normaliseId(t.traceID) : undefined;
    if (traceId === undefined) {
      warnings.add('skipped search hit: missing trace id');
      continue;
    }
    if (seen.has(traceId)) continue;
    seen.add(traceId);
    const hit: TempoSearchHit = { traceId };
    const startUs = nanosToUs((t as Obj).startTimeUnixNano);
    if (startUs !== undefined) hit.startUs = startUs;
    const root = (t as Obj).rootServiceName;
    if (typeof root === 'string') hit.rootServiceName = root;
    hits.push(hit);
  }
  return hits;
}
