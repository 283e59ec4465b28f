/**
 * Applying a TraceQuery to spans already in hand (files, the in-memory
 * store): the time window on span start, "traces touching a service", and
 * the maxTraces safety valve — stateful across batches of one read.
 */
import type { Span } from './span.js';
import type { TraceQuery } from './trace-source.js';

/** Filter state for one read. */
export class SpanFilter {
  private readonly traces = new Set<string>();
  private readonly startUs: number;
  private readonly endUs: number;

  constructor(private readonly query: TraceQuery) {
    // Non-finite bounds mean "unbounded" (files are read whole by default).
    this.startUs = Number.isFinite(query.startUs) ? query.startUs : -Infinity;
    this.endUs = Number.isFinite(query.endUs) ? query.endUs : Infinity;
  }

  /** True once maxTraces distinct traces have been admitted. */
  get full(): boolean {
    return this.query.maxTraces !== undefined && this.traces.size >= this.query.maxTraces;
  }

  /**
   * True when the query has a time window: it keeps spans by their own start,
   * so it can cut a trace in two. The service and trace-budget filters keep
   * or drop traces whole.
   */
  get cutsTraces(): boolean {
    return this.startUs !== -Infinity || this.endUs !== Infinity;
  }

  /** The spans of `batch` the query admits (window, service's traces, trace budget). */
  apply(batch: Span[]): Span[] {
    const { startUs, endUs } = this;
    const service = this.query.service;
    let touching: Set<string> | undefined;
    if (service !== undefined) {
      touching = new Set();
      for (const s of batch) if (s.service === service) touching.add(s.traceId);
    }
    const max = this.query.maxTraces ?? Infinity;
    const out: Span[] = [];
    for (const s of batch) {
      if (s.startUs < startUs || s.startUs >= endUs) continue;
      if (touching !== undefined && !touching.has(s.traceId)) continue;
      if (!this.traces.has(s.traceId)) {
        if (this.traces.size >= max) continue;
        this.traces.add(s.traceId);
      }
      out.push(s);
    }
    return out;
  }
}
