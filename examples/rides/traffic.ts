/**
 * Representative load for the rides system: a seeded mix of ride requests,
 * fare quotes and balance reads, so a short warm-up leaves traces across
 * every edge. The same seed gives the same sequence of operations (not the
 * same timings).
 */
import { randomUUID } from 'node:crypto';
import { seededRng } from '../../runners/execute/workload/rng.js';
import { ZONE_NAMES } from './zones.js';

/** Options of driveRidesTraffic. */
export interface RidesTrafficOptions {
  /** Operations in total. */
  requests: number;
  /** Operations in flight at once. */
  concurrency: number;
  seed: number;
  /** Per-request client timeout (default 10 s). */
  timeoutMs?: number;
}

/** The operations the traffic mixes. */
export type RidesOperation = 'ride' | 'quote' | 'balance';

/** One completed operation. */
export interface RidesResult {
  operation: RidesOperation;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  latencyMs: number;
  /** For ride requests: the Idempotency-Key sent. */
  key?: string;
}

/** What a traffic run did. */
export interface RidesTrafficSummary {
  results: RidesResult[];
  /** Status counts per operation, e.g. `{ride: {202: 40, 503: 2}}`. */
  statuses: Record<RidesOperation, Record<string, number>>;
  /** Keys of ride requests the system accepted (2xx). */
  acceptedKeys: string[];
}

/** Drive `requests` operations against rider-api; never throws for a failed request. */
export async function driveRidesTraffic(riderApiUrl: string, opts: RidesTrafficOptions): Promise<RidesTrafficSummary> {
  const rng = seededRng(opts.seed);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // The whole plan is drawn up front so the mix depends on the seed alone.
  const plan = Array.from({ length: opts.requests }, () => {
    const r = rng.next();
    const operation: RidesOperation = r < 0.4 ? 'ride' : r < 0.75 ? 'quote' : 'balance';
    return { operation, zone: ZONE_NAMES[rng.int(0, ZONE_NAMES.length - 1)], rider: `r-${rng.int(10, 99)}` };
  });
  const results: RidesResult[] = [];
  let next = 0;

  const one = async (step: (typeof plan)[number]): Promise<RidesResult> => {
    const started = performance.now();
    let url: string;
    let init: RequestInit = {};
    let key: string | undefined;
    if (step.operation === 'ride') {
      key = randomUUID();
      url = `${riderApiUrl}/rides`;
      init = { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ riderId: step.rider, zone: step.zone }) };
    } else if (step.operation === 'quote') {
      url = `${riderApiUrl}/quotes/${step.zone}`;
    } else {
      url = `${riderApiUrl}/riders/${step.rider}/balance`;
    }
    let status = 0;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    return { operation: step.operation, status, latencyMs: performance.now() - started, ...(key ? { key } : {}) };
  };

  const worker = async () => {
    while (next < plan.length) results.push(await one(plan[next++]));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.requests)) }, worker));

  const statuses: RidesTrafficSummary['statuses'] = { ride: {}, quote: {}, balance: {} };
  for (const r of results) statuses[r.operation][r.status] = (statuses[r.operation][r.status] ?? 0) + 1;
  const acceptedKeys = results.filter((r) => r.operation === 'ride' && r.status >= 200 && r.status < 300).map((r) => r.key as string);
  return { results, statuses, acceptedKeys };
}
