import { describe, expect, it } from 'vitest';
import type { Claim } from '../../claims/claim.js';
import { chooseFault } from '../../generators/fault-choice.js';
import { planContext } from '../../generators/plan-context.js';
import { sampleInput } from './plan-input.js';

const availability: Claim = {
  id: 'stock_available',
  text: 'stock reads fail for under 1%',
  category: 'availability',
  source: 'user',
  check: { type: 'availability', entrypoint: 'stock', maxErrorRate: 0.01, phase: 'fault' },
};

describe('fault choice', () => {
  it('faults every connection of a cache edge, whose client holds one long-lived connection', () => {
    const ctx = planContext(sampleInput());
    const fault = chooseFault(ctx, availability, ctx.edges.get('api->redis')!);
    expect(fault.toxic).toBe('timeout');
    expect(fault.toxicity).toBe(1);
    expect(fault.sizing).toContain('all (few, long-lived) connections');
  });

  it('keeps a fraction on an HTTP edge, where calls spread over a pool of connections', () => {
    const ctx = planContext(sampleInput());
    const fault = chooseFault(ctx, availability, ctx.edges.get('orders->payments')!);
    expect(fault.toxicity).toBe(0.5);
  });

  it('resets every connection of a database edge for a conservation claim', () => {
    const ctx = planContext(sampleInput());
    const claim: Claim = { ...availability, id: 'stock_conserved', category: 'safety', check: { type: 'conservation', probe: 'stock', selector: '$.stock[*].qty' } };
    const fault = chooseFault(ctx, claim, ctx.edges.get('orders->postgresql')!);
    expect(fault).toMatchObject({ toxic: 'reset_peer', stream: 'upstream', toxicity: 1 });
  });
});
