/**
 * Splitting a time range into query windows for backends that cap results
 * per request (Jaeger `limit`, Tempo `limit`, no pagination): a window that
 * comes back exactly at the cap is halved and re-queried, so nothing is
 * silently truncated.
 */
import type { TimeWindow } from './span.js';
import type { IngestWarnings } from './warnings.js';

/** Smallest window worth halving (1 ms): below it the backend's clock resolution wins. */
const MIN_WINDOW_US = 1000;

/** Chronological windows of at most `windowUs` covering [startUs, endUs). */
export function splitRange(range: TimeWindow, windowUs: number): TimeWindow[] {
  const out: TimeWindow[] = [];
  const step = Math.max(MIN_WINDOW_US, Math.floor(windowUs));
  for (let s = range.startUs; s < range.endUs; s += step) out.push({ startUs: s, endUs: Math.min(range.endUs, s + step) });
  return out;
}

/** What one window's query returned: how many results against what cap. */
export interface WindowResult<T> {
  hits: number;
  value: T;
}

/** Reason counted when a window is still at the cap at the minimum width. */
export const WINDOW_AT_LIMIT = 'query window at the result limit even at its smallest width: some traces may be missing';

/**
 * Query each window in order; a window whose result reached `limit` is
 * halved and both halves queried instead (depth-first, keeping time order)
 * until it is no wider than `minWindowUs` (the backend's time resolution).
 */
export async function* adaptiveWindows<T>(
  range: TimeWindow,
  windowUs: number,
  limit: number,
  query: (w: TimeWindow) => Promise<WindowResult<T>>,
  warnings: IngestWarnings,
  signal?: AbortSignal,
  minWindowUs = MIN_WINDOW_US,
): AsyncGenerator<T> {
  const stack = splitRange(range, windowUs).reverse();
  while (stack.length > 0) {
    if (signal?.aborted) return;
    const w = stack.pop()!;
    const r = await query(w);
    if (r.hits >= limit && w.endUs - w.startUs > minWindowUs) {
      const mid = w.startUs + Math.floor((w.endUs - w.startUs) / 2);
      stack.push({ startUs: mid, endUs: w.endUs }, { startUs: w.startUs, endUs: mid });
      continue;
    }
    if (r.hits >= limit) warnings.add(WINDOW_AT_LIMIT);
    yield r.value;
  }
}

/**
 * Resolve a query window against a default lookback: a non-finite end means
 * "now", a non-finite start means `end - lookbackMs`.
 */
export function resolveWindow(q: TimeWindow, lookbackMs: number, nowMs: number): TimeWindow {
  const endUs = Number.isFinite(q.endUs) ? q.endUs : nowMs * 1000;
  const startUs = Number.isFinite(q.startUs) ? q.startUs : endUs - lookbackMs * 1000;
  return { startUs, endUs };
}
