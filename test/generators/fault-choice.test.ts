import { describe, expect, it } from 'vitest';
import type { Claim } from '../../claims/claim.js';
import { candidateFaults, chooseFault, scheduledFaults } from '../../generators/fault-choice.js';
import { planContext } from '../../generators/plan-context.js';
import { sampleInput } from './plan-input.js';
import { manifestYaml } from './sample-system.js';

const availability: Claim = {
  id: 'stock_available',
  text: 'stock reads fail for under 1%',
  category: 'availability',
  source: 'user',
  check: { type: 'availability', entrypoint: 'stock', maxErrorRate: 0.01, phase: 'fault' },
};
const atMostOnce: Claim = {
  id: 'charged_once',
  text: 'a checkout is charged at most once',
  category: 'idempotency',
  source: 'user',
  check: { type: 'at-most-once', probe: 'orders', selector: '$.orders[*].requestKey', entrypoint: 'checkout' },
};

describe('fault choice', () => {
  it('faults every connection of a cache edge, whose client holds one long-lived connection', () => {
    const ctx = planContext(sampleInput());
    const faults = candidateFaults(ctx, availability, ctx.edges.get('api->redis')!);
    expect(faults.length).toBeGreaterThan(2);
    for (const c of faults) expect(c.fault.toxicity).toBe(1);
    const reset = faults.find((c) => c.family === 'connection-reset')!;
    expect(reset.fault.sizing).toContain('toxicity 1: a cache client holds few long-lived connections');
  });

  it('faults every connection of a pooled HTTP edge, since a per-connection fraction may never reach a keep-alive pool', () => {
    const ctx = planContext(sampleInput());
    const faults = candidateFaults(ctx, atMostOnce, ctx.edges.get('orders->payments')!);
    const by = new Map(faults.map((c) => [c.family, c.fault]));
    expect(by.get('response-lost')).toMatchObject({ toxic: 'limit_data', toxicity: 1, attributes: { bytes: 1 } });
    expect(by.get('slow-beyond-timeout')?.toxicity).toBe(1);
    const outage = candidateFaults(ctx, { ...availability, check: { type: 'recovery', entrypoint: 'checkout', withinMs: 5000 } }, ctx.edges.get('orders->payments')!)
      .find((c) => c.family === 'outage')!;
    expect(outage.fault).toMatchObject({ toxic: 'down', toxicity: 1 });
  });

  it('for a conservation claim on a database edge with a known deadline, answers past it and then resets every connection', () => {
    const ctx = planContext(sampleInput());
    const claim: Claim = { ...availability, id: 'stock_conserved', category: 'safety', check: { type: 'conservation', probe: 'stock', selector: '$.stock[*].qty' } };
    const [first, second] = scheduledFaults(ctx, claim, ctx.edges.get('orders->postgresql')!, true);
    expect(first.fault).toMatchObject({ toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1500 }, family: 'slow-beyond-timeout' });
    expect(second.fault).toMatchObject({ toxic: 'reset_peer', stream: 'upstream', toxicity: 1, family: 'connection-reset' });
  });

  it('lets a database connection carry several commands before the reset, and resets an HTTP request while it is in flight', () => {
    const ctx = planContext(sampleInput());
    const claim: Claim = { ...availability, id: 'stock_conserved', category: 'safety', check: { type: 'conservation', probe: 'stock', selector: '$.stock[*].qty' } };
    const reset = (edgeId: string) => candidateFaults(ctx, claim, ctx.edges.get(edgeId)!).find((c) => c.family === 'connection-reset')!.fault;
    const db = ctx.edges.get('orders->postgresql')!;
    const dbAfter = reset('orders->postgresql').attributes.timeout;
    expect(dbAfter).toBe(Math.min(1000, Math.max(100, db.latency.p99 * 10)));
    expect(dbAfter).toBeGreaterThan(db.latency.p50);
    const http = ctx.edges.get('orders->payments')!;
    expect(reset('orders->payments').attributes.timeout).toBe(http.latency.p50);
  });

  it('sizes slow-beyond-timeout from the caller\'s observed timeout, and ranks it first for at-most-once when the edge shows timeouts and retries', () => {
    const input = sampleInput();
    const payments = input.snapshot.edges.find((e) => e.id === 'orders->payments')!;
    payments.timeout = { evidence: 'observed', cutoffMs: 300, hits: 40 };
    const ctx = planContext(input);
    const [top] = candidateFaults(ctx, atMostOnce, payments);
    expect(top.family).toBe('slow-beyond-timeout');
    expect(top.fault).toMatchObject({ toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 450, jitter: 0 } });
    expect(top.fault.sizing).toContain("the caller's observed timeout 300 ms (40 calls on orders->payments cut off there) × 1.5 = 450 ms");
    expect(top.because).toEqual(['timeout evidence ×1.5', 'retries ×1.3']);
  });

  it('falls back to the lost answer for at-most-once when no timeout is seen, and adds the slow callee as a second failure mode', () => {
    const ctx = planContext(sampleInput());
    const edge = ctx.edges.get('orders->payments')!;
    const picked = scheduledFaults(ctx, atMostOnce, edge, true);
    expect(picked.map((c) => c.family)).toEqual(['response-lost', 'slow-beyond-timeout']);
    // No deadline seen: the delays spread across the guess (5000 ms), so some calls give up and some succeed late.
    expect(picked[1].fault.attributes).toEqual({ latency: 4250, jitter: 3250 });
    expect(picked[1].fault.sizing).toContain("delays spread over 1000–7500 ms (0.2 to 1.5 × no timeout evidence on orders->payments: the entrypoint's client timeoutMs 5000 ms");
    expect(scheduledFaults(ctx, atMostOnce, edge, false).map((c) => c.family)).toEqual(['response-lost']);
  });

  it('sizes latency for a p99 claim from the claim threshold, not only from warm-up percentiles, and stays under a known timeout', () => {
    // A noisy warm-up: the edge looked fast, so p99 × 3 would be far too little to cross 1000 ms.
    const input = sampleInput(manifestYaml.replace('thresholdMs: 800', 'thresholdMs: 1000'));
    const ctx = planContext(input);
    const latency = input.claims.find((c) => c.check.type === 'latency' && c.source === 'user')!;
    const db = ctx.edges.get('orders->postgresql')!;
    const slow = candidateFaults(ctx, latency, db).find((c) => c.family === 'slow-under-timeout')!;
    // 1000 × 1.2 − checkout p50 90 ms = 1110 ms, but the database edge times out at 1000 ms: capped at 0.8 × 1000.
    expect(slow.fault.attributes.latency).toBe(800);
    expect(slow.fault.sizing).toContain('claim threshold 1000 ms × 1.2 − entrypoint p50 90 ms = 1110 ms, capped below the timeout');
    const payments = candidateFaults(ctx, latency, ctx.edges.get('orders->payments')!).find((c) => c.family === 'slow-under-timeout')!;
    expect(payments.fault.attributes).toEqual({ latency: 1110, jitter: 120 });
  });

  it('lengthens the fault phase of an outage beyond the retry budget the traces show', () => {
    const input = sampleInput();
    const payments = input.snapshot.edges.find((e) => e.id === 'orders->payments')!;
    payments.latency = { ...payments.latency, p99: 2000 };
    const ctx = planContext(input);
    const recovery: Claim = { ...availability, id: 'r', check: { type: 'recovery', entrypoint: 'checkout', withinMs: 5000 } };
    const outage = candidateFaults(ctx, recovery, payments).find((c) => c.family === 'outage')!;
    // 100 extra attempts over 80 retried parents → 3 attempts per call; 5 × 3 × 2000 ms = 30 s > the 20 s fault phase.
    expect(outage.minFaultMs).toBe(30_000);
    expect(outage.fault.sizing).toContain('max(the manifest\'s fault phase 10000 ms, 5 failed calls to open a breaker × 3 attempt(s) per call');
  });
});
