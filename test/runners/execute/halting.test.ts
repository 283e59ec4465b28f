import { describe, expect, it } from 'vitest';
import { HaltingGuard } from '../../../runners/analyse/halting.js';
import type { Op } from '../../../claims/history.js';

let nextId = 0;
function op(completeMs: number, ok: boolean, type = 'checkout', timeout = false): Op {
  return { id: nextId++, process: 0, type, ok, timeout, invokeMs: completeMs - 10, completeMs, epoch: 'fault' };
}

describe('halting guard', () => {
  it('trips when the error rate over a window exceeds the bound, at the op that revealed it', () => {
    const g = new HaltingGuard([{ maxErrorRate: 0.5, windowMs: 1000 }]);
    const seq = [op(100, true), op(200, false), op(300, false), op(400, false), op(500, true)];
    const trips = seq.map((o) => g.observe(o));
    expect(trips.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(trips[4]?.windowEndMs).toBe(500);
    expect(trips[4]?.condition).toBe('error rate 60% > 50% over 1000 ms on all entrypoints (5 ops)');
  });

  it('does not trip on errors spread wider than the window', () => {
    const g = new HaltingGuard([{ maxErrorRate: 0.5, windowMs: 1000 }]);
    for (let i = 0; i < 20; i++) expect(g.observe(op(i * 600, i % 2 === 0 ? false : true))).toBeUndefined();
    expect(g.trip).toBeUndefined();
  });

  it('counts timeouts as errors and only watches its own entrypoint', () => {
    const g = new HaltingGuard([{ entrypoint: 'stock', maxErrorRate: 0.5, windowMs: 1000 }]);
    for (let i = 0; i < 10; i++) expect(g.observe(op(i * 10, false, 'checkout'))).toBeUndefined();
    let trip;
    for (let i = 0; i < 5; i++) trip = g.observe(op(200 + i, false, 'stock', true));
    expect(trip?.condition).toContain('on stock');
  });

  it('reports only the first trip', () => {
    const g = new HaltingGuard([{ maxErrorRate: 0.1, windowMs: 1000 }], 1);
    expect(g.observe(op(1, false))).toBeDefined();
    expect(g.observe(op(2, false))).toBeUndefined();
    expect(g.trip?.windowEndMs).toBe(1);
  });
});
