import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import type { Span } from '../../ingest/span.js';
import { root, span } from './span-factory.js';

const T0 = 1_800_000_000_000_000;

/** A client call from orders to the uninstrumented `payments` API, at `atMs` for `ms` (generic span name, as many HTTP clients emit). */
function call(traceId: string, parent: string, method: string, url: string, atMs: number, ms: number, status: Span['status'] = 'unset', extra: Partial<Span['attributes']> = {}): Span {
  return span({
    traceId, service: 'orders', kind: 'client', parentSpanId: parent, operation: 'HTTP', startUs: T0 + atMs * 1000, durationUs: ms * 1000, status,
    attributes: { httpMethod: method, urlPath: url, peerService: 'payments', ...extra },
  });
}

function retriesOf(spans: Span[]) {
  const b = new GraphBuilder();
  b.add(spans);
  return b.snapshot().edges.find((e) => e.id === 'orders->payments')!.retries;
}

describe('retry counting', () => {
  it('does not count different operations to the same callee under one parent as retries', () => {
    const r = root('t1', 'orders');
    expect(retriesOf([
      r,
      call('t1', r.spanId, 'GET', 'http://payments/accounts/7', 0, 5),
      call('t1', r.spanId, 'POST', 'http://payments/charges', 6, 5),
      call('t1', r.spanId, 'POST', 'http://payments/receipts', 12, 5),
    ])).toEqual({ retriedParents: 0, extraAttempts: 0, amplification: 1 });
  });

  it('does not count concurrent identical calls (a fan-out) as retries', () => {
    const r = root('t2', 'orders');
    expect(retriesOf([
      r,
      call('t2', r.spanId, 'POST', 'http://payments/charges', 0, 20),
      call('t2', r.spanId, 'POST', 'http://payments/charges', 1, 20),
      call('t2', r.spanId, 'POST', 'http://payments/charges', 2, 20),
    ]).extraAttempts).toBe(0);
  });

  it('does not count the same route for different resources as retries', () => {
    const r = root('t3', 'orders');
    expect(retriesOf([
      r,
      call('t3', r.spanId, 'GET', 'http://payments/accounts/7', 0, 5),
      call('t3', r.spanId, 'GET', 'http://payments/accounts/8', 6, 5),
    ]).extraAttempts).toBe(0);
  });

  it('counts the same request sent again after the previous attempt ended or failed', () => {
    const r = root('t4', 'orders');
    expect(retriesOf([
      r,
      call('t4', r.spanId, 'POST', 'http://payments/charges', 0, 30, 'error'),
      // Starts before the failed attempt's span closed (the client gave up early): still a retry.
      call('t4', r.spanId, 'POST', 'http://payments/charges', 25, 30, 'error'),
      call('t4', r.spanId, 'POST', 'http://payments/charges', 60, 10),
      call('t4', r.spanId, 'GET', 'http://payments/charges', 75, 10),
    ])).toEqual({ retriedParents: 1, extraAttempts: 2, amplification: 4 / 2 });
  });

  it('takes the larger of sibling repeats and resend_count, never both', () => {
    const r = root('t5', 'orders');
    expect(retriesOf([
      r,
      call('t5', r.spanId, 'POST', 'http://payments/charges', 0, 10, 'error'),
      call('t5', r.spanId, 'POST', 'http://payments/charges', 12, 10, 'unset', { resendCount: 1 }),
    ])).toMatchObject({ retriedParents: 1, extraAttempts: 1 });
  });
});
