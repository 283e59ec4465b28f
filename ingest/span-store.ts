/**
 * The bounded in-memory span store the OTLP receiver writes to: a ring
 * buffer of at most `retainSpans` spans and about `retainBytes` bytes
 * (a count alone lets a few huge spans fill memory), oldest evicted first and counted,
 * read back as a TraceSource over a time window (per-phase span pulls
 * during runs, the demo).
 */
import { fail } from '../base/errors.js';
import type { Span } from './span.js';
import { SpanFilter } from './span-filter.js';
import type { TraceQuery, TraceSource } from './trace-source.js';
import type { IngestWarnings } from './warnings.js';
import { markWholeTraces, traceGroups } from './whole-traces.js';
import { approxSpanBytes } from './span-text-cap.js';

/** Spans yielded per batch by `read`. */
const BATCH = 10_000;

/** Warning reason when a read reaches back past spans the store already evicted. */
export const EVICTED_SPANS = 'span store: oldest spans evicted before this read (retainSpans or retainBytes limit)';

/** Default byte bound: 1 GiB of approximate span size. */
export const DEFAULT_RETAIN_BYTES = 1 << 30;

/** Options of the store beyond its span count. */
export interface SpanStoreOptions {
  /** Approximate bytes the store may hold (ingest/span-text-cap.ts approxSpanBytes); oldest spans go first. */
  retainBytes?: number;
}

/** Bounded ring buffer of spans that is also a TraceSource. */
export class SpanStore implements TraceSource {
  readonly describe = 'otlp receiver store';
  private readonly ring: (Span | undefined)[];
  /** Index of the oldest span. */
  private head = 0;
  private count = 0;
  private evictedTotal = 0;
  /** Newest start time among evicted spans: reads starting before it may be incomplete. */
  private evictedUntilUs = -Infinity;
  /** Approximate bytes of the spans held. */
  private held = 0;
  readonly retainBytes: number;

  constructor(readonly retainSpans: number, opts: SpanStoreOptions = {}) {
    if (!Number.isInteger(retainSpans) || retainSpans < 1) {
      throw fail('CONFIG_INVALID', `retainSpans must be a positive integer, got ${retainSpans}`);
    }
    this.retainBytes = opts.retainBytes ?? DEFAULT_RETAIN_BYTES;
    if (!(this.retainBytes > 0)) throw fail('CONFIG_INVALID', `retainBytes must be positive, got ${this.retainBytes}`);
    this.ring = new Array<Span | undefined>(retainSpans);
  }

  /** Approximate bytes of the spans held. */
  get bytes(): number {
    return this.held;
  }

  /** Spans currently held. */
  get size(): number {
    return this.count;
  }

  /** Spans evicted since creation (oldest first). */
  get evicted(): number {
    return this.evictedTotal;
  }

  /** Append spans; when full (by count or bytes), the oldest are evicted and counted. */
  add(spans: Span[]): void {
    const cap = this.retainSpans;
    for (const s of spans) {
      const size = approxSpanBytes(s);
      while (this.count > 0 && (this.count === cap || this.held + size > this.retainBytes)) this.evictOldest();
      this.ring[(this.head + this.count) % cap] = s;
      this.count++;
      this.held += size;
    }
  }

  private evictOldest(): void {
    const old = this.ring[this.head]!;
    if (old.startUs > this.evictedUntilUs) this.evictedUntilUs = old.startUs;
    this.held -= approxSpanBytes(old);
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.retainSpans;
    this.count--;
    this.evictedTotal++;
  }

  /**
   * Resolve once no span has arrived for `quietMs` (exporters batch with a
   * delay, so "the traffic is done" is not "the spans are here"), or after
   * `maxMs` at the latest. Resolves to the number of spans held.
   */
  async whenQuiet(quietMs = 700, maxMs = 15_000): Promise<number> {
    const deadline = Date.now() + maxMs;
    let last = -1;
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      const n = this.size + this.evicted;
      if (n !== last) {
        last = n;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= quietMs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.size;
  }

  /** Drop everything (counters included). */
  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.evictedTotal = 0;
    this.evictedUntilUs = -Infinity;
    this.held = 0;
  }

  /** A snapshot of the spans matching the query, in arrival order. */
  snapshot(query: TraceQuery): Span[] {
    const all: Span[] = [];
    const cap = this.retainSpans;
    for (let i = 0; i < this.count; i++) all.push(this.ring[(this.head + i) % cap]!);
    return new SpanFilter(query).apply(all);
  }

  /**
   * Read the spans whose start lies in the window (a snapshot taken when the
   * read starts, so concurrent ingest does not disturb it), in batches of
   * whole traces: the snapshot holds every span of the read, so grouping it
   * by trace lets the graph builder analyse each trace at once instead of
   * assembling it (ingest/whole-traces.ts). Batches hold at most
   * {@link BATCH} spans unless one trace alone is larger.
   */
  async *read(query: TraceQuery, warnings: IngestWarnings, signal?: AbortSignal): AsyncIterable<Span[]> {
    if (this.evictedTotal > 0 && query.startUs <= this.evictedUntilUs) warnings.add(EVICTED_SPANS, this.evictedTotal);
    let batch: Span[] = [];
    for (const trace of traceGroups(this.snapshot(query))) {
      // Cut batches only between traces.
      if (batch.length > 0 && batch.length + trace.length > BATCH) {
        if (signal?.aborted) return;
        yield markWholeTraces(batch);
        batch = [];
      }
      for (const s of trace) batch.push(s);
    }
    if (batch.length > 0 && !signal?.aborted) yield markWholeTraces(batch);
  }
}
