/**
 * Representative load for the tickets system: a seeded mix of seat orders,
 * price reads, availability reads and festival-pass purchases, so a short
 * warm-up leaves traces across every edge (fulfilment's included). The same
 * seed gives the same sequence of operations (not the same timings).
 */
import { randomUUID } from 'node:crypto';
import { seededRng } from '../../runners/execute/workload/rng.js';
import { EVENTS, FESTIVALS, SECTIONS } from './runtime/venue.js';

/** Options of driveTicketsTraffic. */
export interface TicketsTrafficOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** Per-request client timeout (default 10 s). */
  timeoutMs?: number;
}

export type TicketsOperation = 'order' | 'prices' | 'availability' | 'passes';

/** What a traffic run did: status counts per operation, and the orders confirmed. */
export interface TicketsTrafficSummary {
  statuses: Record<TicketsOperation, Record<string, number>>;
  confirmedOrders: string[];
}

/** Drive `requests` operations against box-office; never throws for a failed request. */
export async function driveTicketsTraffic(boxOfficeUrl: string, opts: TicketsTrafficOptions): Promise<TicketsTrafficSummary> {
  const rng = seededRng(opts.seed);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const plan = Array.from({ length: opts.requests }, () => {
    const r = rng.next();
    const operation: TicketsOperation = r < 0.3 ? 'order' : r < 0.6 ? 'prices' : r < 0.8 ? 'availability' : 'passes';
    return {
      operation,
      section: SECTIONS[rng.int(0, SECTIONS.length - 1)],
      event: EVENTS[rng.int(0, EVENTS.length - 1)],
      festival: FESTIVALS[rng.int(0, FESTIVALS.length - 1)],
      qty: rng.int(1, 4),
    };
  });
  const statuses: TicketsTrafficSummary['statuses'] = { order: {}, prices: {}, availability: {}, passes: {} };
  const confirmedOrders: string[] = [];
  let next = 0;
  const one = async (step: (typeof plan)[number]) => {
    let url: string;
    let init: RequestInit = {};
    const key = randomUUID();
    const json = { 'content-type': 'application/json', 'idempotency-key': key };
    switch (step.operation) {
      case 'order':
        url = `${boxOfficeUrl}/orders`;
        init = { method: 'POST', headers: json, body: JSON.stringify({ section: step.section }) };
        break;
      case 'prices': url = `${boxOfficeUrl}/events/${step.event}/prices`; break;
      case 'availability': url = `${boxOfficeUrl}/sections/${step.section}/availability`; break;
      default:
        url = `${boxOfficeUrl}/passes`;
        init = { method: 'POST', headers: json, body: JSON.stringify({ festival: step.festival, qty: step.qty }) };
    }
    let status = 0;
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    statuses[step.operation][status] = (statuses[step.operation][status] ?? 0) + 1;
    if (step.operation === 'order' && status === 201) confirmedOrders.push(key);
  };
  const worker = async () => {
    while (next < plan.length) await one(plan[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.requests)) }, worker));
  return { statuses, confirmedOrders };
}
