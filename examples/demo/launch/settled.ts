/**
 * Start steps run side by side (Redis, the proxy, the receiver): wait for
 * all of them, so none is left half-started, then fail with the first
 * error, so the launcher can unwind what did start.
 */

/** `Promise.allSettled` results for a tuple of promises. */
export type Settled<T extends readonly unknown[]> = { [K in keyof T]: PromiseSettledResult<T[K]> };

/** The values of settled promises, or the first rejection's reason thrown. */
export function settledOrThrow<T extends readonly unknown[]>(results: Settled<T>): T {
  for (const r of results as readonly PromiseSettledResult<unknown>[]) if (r.status === 'rejected') throw r.reason;
  return (results as readonly PromiseSettledResult<unknown>[]).map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
