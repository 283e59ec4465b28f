/**
 * Representative load for the demo: a seeded mix of checkouts, stock reads
 * and order reads, so a short run produces traces across every edge. The
 * same seed gives the same sequence of operations (not the same timings).
 */
import { randomUUID } from 'node:crypto';
import { seededRng } from '../../runners/execute/workload/rng.js';

/** Options of driveTraffic. */
export interface TrafficOptions {
  /** Operations in total. */
  requests: number;
  /** Operations in flight at once. */
  concurrency: number;
  seed: number;
  /** Per-request client timeout (default 10 s). */
  timeoutMs?: number;
}

/** The operations the traffic mixes. */
export type TrafficOperation = 'checkout' | 'stock' | 'order';

/** One completed operation. */
export interface TrafficResult {
  operation: TrafficOperation;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  latencyMs: number;
  /** For checkouts: the Idempotency-Key sent. */
  key?: string;
}

/** What a traffic run did. */
export interface TrafficSummary {
  results: TrafficResult[];
  /** Status counts per operation, e.g. `{checkout: {201: 40, 503: 2}}`. */
  statuses: Record<TrafficOperation, Record<string, number>>;
  /** Idempotency keys of checkouts the shop acknowledged (2xx). */
  acknowledgedKeys: string[];
}

/** A seeded generator's uniform draws, so every run sees the same sequence. */
function rng(seed: number): () => number {
  return seededRng(seed).next;
}

const SKUS = ['sku-1', 'sku-2', 'sku-3', 'sku-4', 'sku-5'];

/** Drive `requests` operations against the gateway; never throws for a failed request. */
export async function driveTraffic(gatewayUrl: string, opts: TrafficOptions): Promise<TrafficSummary> {
  const random = rng(opts.seed);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Draw the whole plan up front so the mix depends on the seed alone, not on response timing.
  const plan = Array.from({ length: opts.requests }, () => {
    const r = random();
    const operation: TrafficOperation = r < 0.45 ? 'checkout' : r < 0.85 ? 'stock' : 'order';
    return { operation, sku: SKUS[Math.floor(random() * SKUS.length)], qty: 1 + Math.floor(random() * 3), pick: random() };
  });
  const orderIds: string[] = [];
  const results: TrafficResult[] = [];
  let next = 0;

  const one = async (step: (typeof plan)[number]): Promise<TrafficResult> => {
    const started = performance.now();
    let url = `${gatewayUrl}/stock/${step.sku}`;
    let init: RequestInit = {};
    let key: string | undefined;
    if (step.operation === 'checkout') {
      key = randomUUID();
      url = `${gatewayUrl}/checkout`;
      init = { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ sku: step.sku, qty: step.qty }) };
    } else if (step.operation === 'order') {
      const id = orderIds.length > 0 ? orderIds[Math.floor(step.pick * orderIds.length)] : 'ord-1';
      url = `${gatewayUrl}/orders/${id}`;
    }
    let status = 0;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      const body = (await res.json().catch(() => undefined)) as { id?: unknown } | undefined;
      if (step.operation === 'checkout' && res.ok && typeof body?.id === 'string') orderIds.push(body.id);
    } catch {
      status = 0;
    }
    return { operation: step.operation, status, latencyMs: performance.now() - started, ...(key ? { key } : {}) };
  };

  const worker = async () => {
    while (next < plan.length) {
      const step = plan[next++];
      results.push(await one(step));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.requests)) }, worker));

  const statuses: TrafficSummary['statuses'] = { checkout: {}, stock: {}, order: {} };
  for (const r of results) statuses[r.operation][r.status] = (statuses[r.operation][r.status] ?? 0) + 1;
  const acknowledgedKeys = results.filter((r) => r.operation === 'checkout' && r.status >= 200 && r.status < 300).map((r) => r.key as string);
  return { results, statuses, acknowledgedKeys };
}
