import type { Span, TimeWindow } from './span.js';
import type { IngestWarnings } from './warnings.js';
import type { BackendConnectionSpec } from './backend-auth.js';

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
  /** `collectFor`: how long `faultline plan` listens for spans before building the graph (e.g. `60s`). */
  | { type: 'otlp'; collectFor?: string }
  | { type: 'files'; paths: string[] }
  /** Jaeger and Tempo take `headers` and an `auth` block naming env vars for secrets (ingest/backend-auth.ts). */
  | ({ type: 'jaeger'; url: string; service?: string; lookback?: string } & BackendConnectionSpec)
  | ({ type: 'tempo'; url: string; query?: string; lookback?: string } & BackendConnectionSpec);
