import type { Span, TimeWindow } from './span.js';
import type { IngestWarnings } from './warnings.js';

/** What to read from a trace source. */
export interface TraceQuery extends TimeWindow {
  /** Restrict to traces touching this service (Jaeger `service`, Tempo tag). */
  service?: string;
  /** Backend-specific query, e.g. TraceQL for Tempo. */
  query?: string;
  /** Upper bound on traces fetched overall (safety valve). */
  maxTraces?: number;
}

/**
 * A source of spans (the seam for Jaeger, Tempo, files and faultline's own
 * OTLP receiver). Spans are streamed in batches so callers never hold all of
 * them; repaired or skipped input is counted in `warnings`, and only an
 * unusable source (unreachable backend, unreadable file) throws a
 * FaultlineError.
 */
export interface TraceSource {
  /** Short human name: `jaeger http://…`, `file traces.json`. */
  readonly describe: string;
  read(query: TraceQuery, warnings: IngestWarnings, signal?: AbortSignal): AsyncIterable<Span[]>;
}

/** Where traces come from. */
export type TraceSourceSpec =
  | { type: 'otlp' }
  | { type: 'files'; paths: string[] }
  | { type: 'jaeger'; url: string; service?: string; lookback?: string }
  | { type: 'tempo'; url: string; query?: string; lookback?: string };
