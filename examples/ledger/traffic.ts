/**
 * Representative load for the ledger: a seeded mix of transfers, balance
 * reads, fx quotes and limit reads and writes, so a short warm-up leaves
 * traces across every edge (the statement worker's included). The same seed
 * gives the same sequence of operations (not the same timings).
 */
import { randomUUID } from 'node:crypto';
import { seededRng } from '../../runners/execute/workload/rng.js';
import { FX_PAIRS } from './runtime/accounts.js';

/** Options of driveLedgerTraffic. */
export interface LedgerTrafficOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** Per-request client timeout (default 10 s). */
  timeoutMs?: number;
}

export type LedgerOperation = 'transfer' | 'balance' | 'quote' | 'read-limit' | 'set-limit';

/** What a traffic run did: status counts per operation. */
export interface LedgerTrafficSummary {
  statuses: Record<LedgerOperation, Record<string, number>>;
}

const PAIRS = Object.keys(FX_PAIRS);

/** Drive `requests` operations against bank-api; never throws for a failed request. */
export async function driveLedgerTraffic(bankApiUrl: string, opts: LedgerTrafficOptions): Promise<LedgerTrafficSummary> {
  const rng = seededRng(opts.seed);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const plan = Array.from({ length: opts.requests }, () => {
    const r = rng.next();
    const operation: LedgerOperation = r < 0.35 ? 'transfer' : r < 0.55 ? 'balance' : r < 0.75 ? 'quote' : r < 0.88 ? 'read-limit' : 'set-limit';
    return { operation, from: `acc-${rng.int(1, 25)}`, to: `acc-${rng.int(26, 50)}`, amount: rng.int(100, 5000), pair: PAIRS[rng.int(0, PAIRS.length - 1)], limit: rng.int(1, 1_000_000) };
  });
  const statuses: LedgerTrafficSummary['statuses'] = { transfer: {}, balance: {}, quote: {}, 'read-limit': {}, 'set-limit': {} };
  let next = 0;
  const one = async (step: (typeof plan)[number]) => {
    let url: string;
    let init: RequestInit = {};
    const json = { 'content-type': 'application/json' };
    switch (step.operation) {
      case 'transfer':
        url = `${bankApiUrl}/transfers`;
        init = { method: 'POST', headers: { ...json, 'idempotency-key': randomUUID() }, body: JSON.stringify({ from: step.from, to: step.to, amountCents: step.amount }) };
        break;
      case 'balance': url = `${bankApiUrl}/accounts/${step.from}/balance`; break;
      case 'quote': url = `${bankApiUrl}/quotes/${step.pair}`; break;
      case 'read-limit': url = `${bankApiUrl}/accounts/acc-1/limit`; break;
      default:
        url = `${bankApiUrl}/accounts/acc-1/limit`;
        init = { method: 'PUT', headers: json, body: JSON.stringify({ limitCents: step.limit }) };
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
  };
  const worker = async () => {
    while (next < plan.length) await one(plan[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.requests)) }, worker));
  return { statuses };
}
