/**
 * The bounded window of traces still being assembled. Spans of one trace
 * may arrive in any order and spread over several batches, so each trace is
 * held until it is evicted (oldest first, once the window holds more than
 * `maxTraces` traces or `maxSpans` spans) or the stream ends. Memory is
 * therefore bounded by the window, never by the length of the stream.
 *
 * A span arriving for a trace that was already finalized is counted as a
 * warning and analysed as a separate fragment; we remember a bounded set of
 * recently finalized ids to tell those apart.
 */
import type { Span } from '../ingest/span.js';

/** Window limits. */
export interface TraceWindowOptions {
  /** Traces assembled at once (default 10,000). */
  maxTraces?: number;
  /** Spans buffered at once across all traces (default 200,000). */
  maxSpans?: number;
}

/** Warning counted when a span arrives for a trace that was already finalized. */
export const LATE_SPAN_WARNING = 'late span for an already finalized trace: analysed as a separate fragment';

/** Insertion-ordered buffer of active traces. */
export class TraceWindow {
  readonly maxTraces: number;
  readonly maxSpans: number;
  private readonly active = new Map<string, Span[]>();
  private readonly finalized = new Set<string>();
  private spans = 0;
  private peak = 0;
  private lastId?: string;
  /** Active trace ids in arrival order; `head` is the oldest still active. */
  private order: string[] = [];
  private head = 0;
  private readonly ring: string[] = [];
  private ringAt = 0;
  private lastTrace?: Span[];

  constructor(
    private readonly onFinalize: (spans: Span[]) => void,
    private readonly onWarning: (reason: string) => void,
    options: TraceWindowOptions = {},
  ) {
    this.maxTraces = Math.max(1, options.maxTraces ?? 10_000);
    this.maxSpans = Math.max(1, options.maxSpans ?? 200_000);
  }

  /** Traces currently held. */
  get activeTraces(): number {
    return this.active.size;
  }

  /** Spans currently held. */
  get bufferedSpans(): number {
    return this.spans;
  }

  /** Most traces ever held at once (for tests of the bound). */
  get peakActiveTraces(): number {
    return this.peak;
  }

  /** Take one span; may finalize the oldest traces. */
  add(span: Span): void {
    // Sources emit a trace's spans together, so the previous span's trace is
    // the likely one: skip the map lookup when it is.
    let trace = span.traceId === this.lastId && this.lastTrace !== undefined ? this.lastTrace : this.active.get(span.traceId);
    if (!trace) {
      if (this.finalized.has(span.traceId)) {
        this.onWarning(LATE_SPAN_WARNING);
        this.finalized.delete(span.traceId);
      }
      // Make room first, so the window never holds more than maxTraces.
      while (this.active.size >= this.maxTraces) this.evictOldest();
      trace = [];
      this.active.set(span.traceId, trace);
      this.order.push(span.traceId);
      if (this.active.size > this.peak) this.peak = this.active.size;
    }
    this.lastId = span.traceId;
    this.lastTrace = trace;
    trace.push(span);
    this.spans += 1;
    while (this.spans > this.maxSpans) this.evictOldest();
  }

  /**
   * True when the window has seen this trace: it is assembling, or it was
   * finalized recently (so more of its spans are late).
   */
  tracks(traceId: string): boolean {
    return this.active.has(traceId) || this.finalized.has(traceId);
  }

  /**
   * Finalize a trace known to be whole (one the window does not track):
   * nothing to wait for, so it never enters the window. Its id is remembered
   * like any finalized trace, so stragglers still count as late.
   */
  finalizeWhole(spans: Span[]): void {
    this.remember(spans[0].traceId);
    this.onFinalize(spans);
  }

  /** Finalize every held trace (end of stream). */
  flush(): void {
    while (this.active.size > 0) this.evictOldest();
  }

  private evictOldest(): void {
    // A FIFO of ids instead of Map iteration: iterating a Map from the front
    // after many deletions walks their tombstones until V8 rehashes.
    if (this.head >= this.order.length) return;
    const id = this.order[this.head++];
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    const spans = this.active.get(id)!;
    this.active.delete(id);
    if (spans === this.lastTrace) this.lastTrace = undefined;
    this.spans -= spans.length;
    this.remember(id);
    this.onFinalize(spans);
  }

  /** Remember a bounded number of finalized ids (oldest forgotten first), in a ring. */
  private remember(id: string): void {
    const cap = 4 * this.maxTraces;
    if (this.ring.length < cap) this.ring.push(id);
    else {
      this.finalized.delete(this.ring[this.ringAt]);
      this.ring[this.ringAt] = id;
      this.ringAt = (this.ringAt + 1) % cap;
    }
    this.finalized.add(id);
  }
}
