/**
 * Provenance of a span batch: "every trace in this batch is whole". Query
 * backends answer with complete traces (a Jaeger `/api/traces` trace object
 * or an api/v3 search result holds every span Jaeger has for the trace, a
 * Tempo `/api/traces/{id}` answer is the whole trace), whereas an OTLP
 * export batch holds whatever one process flushed. The graph builder can
 * analyse a whole trace at once instead of holding it in its assembly
 * window waiting for more spans, which is both exact and cheaper.
 *
 * A mark on the array, not a field of it: any step that builds a new array
 * (a filter that drops spans) loses the mark, so the safe default, the
 * assembly window, is what an unmarked batch gets.
 */
import type { Span } from './span.js';

const whole = new WeakSet<readonly Span[]>();

/** Mark `batch` as holding only whole traces; returns it. */
export function markWholeTraces<T extends readonly Span[]>(batch: T): T {
  whole.add(batch);
  return batch;
}

/** True when `batch` was marked by {@link markWholeTraces}. */
export function holdsWholeTraces(batch: readonly Span[]): boolean {
  return whole.has(batch);
}

/** `spans` split by trace: traces in order of first appearance, each trace's spans in arrival order. */
export function traceGroups(spans: readonly Span[]): Span[][] {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    const t = byTrace.get(s.traceId);
    if (t) t.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  return [...byTrace.values()];
}

/**
 * `spans` grouped by trace ({@link traceGroups}, flattened), marked whole.
 * Only for a caller that holds every span of its read: no later batch may
 * add to these traces.
 */
export function groupedByTrace(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const t of traceGroups(spans)) for (const s of t) out.push(s);
  return markWholeTraces(out);
}
