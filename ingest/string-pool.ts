/**
 * A bounded pool of canonical strings for the values spans repeat: operation
 * names and attribute values (`GET`, `postgresql`, `/orders/{id}`). Every
 * parsed document carries its own copy of each such string; a span that
 * keeps its document's copy keeps that copy alive for as long as the span
 * waits in the graph's trace-assembly window, and the garbage collector
 * copies it out of the young generation with the span. Swapping it for the
 * pooled copy lets the document's copy die young, and makes the window's
 * footprint follow the distinct values rather than the spans.
 *
 * Bounded: past {@link MAX_POOLED} distinct strings the pool starts over,
 * so a high-cardinality value (a URL path with ids in it) cannot grow it
 * without limit; the cost of starting over is only the re-pooling.
 */

const MAX_POOLED = 16_384;
/** Longer strings are rarely repeated (full URLs, statements) and not worth hashing. */
const MAX_POOLED_LENGTH = 96;

const pool = new Map<string, string>();

/** The pooled copy of `s` (equal content, shared identity). */
export function pooled(s: string): string {
  if (s.length > MAX_POOLED_LENGTH) return s;
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size >= MAX_POOLED) pool.clear();
  pool.set(s, s);
  return s;
}
