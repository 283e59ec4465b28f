import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QuantileSketch } from '../../graph/sketch.js';

const values = fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 });
const q = fc.double({ min: 0, max: 1, noNaN: true });

function exact(sorted: number[], quantile: number): number {
  return sorted[Math.floor(quantile * (sorted.length - 1))];
}

describe('QuantileSketch', () => {
  it('answers every quantile within 1% relative error of the exact sorted-sample quantile', () => {
    fc.assert(
      fc.property(values, q, (xs, quantile) => {
        const s = new QuantileSketch();
        for (const x of xs) s.add(x);
        const want = exact([...xs].sort((a, b) => a - b), quantile);
        expect(Math.abs(s.quantile(quantile) - want)).toBeLessThanOrEqual(want * 0.01 + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('merging two sketches equals adding all values to one', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const sa = new QuantileSketch();
        const sb = new QuantileSketch();
        const all = new QuantileSketch();
        for (const x of a) { sa.add(x); all.add(x); }
        for (const x of b) { sb.add(x); all.add(x); }
        sa.merge(sb);
        expect(sa.toJSON()).toEqual(all.toJSON());
        expect(sa.quantile(0.99)).toBe(all.quantile(0.99));
      }),
    );
  });

  it('round-trips through JSON with the same answers', () => {
    fc.assert(
      fc.property(values, q, (xs, quantile) => {
        const s = new QuantileSketch();
        for (const x of xs) s.add(x);
        const back = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(s)));
        expect(back.quantile(quantile)).toBe(s.quantile(quantile));
        expect(back.count).toBe(xs.length);
        expect(back.max).toBe(Math.max(...xs));
      }),
    );
  });

  it('keeps the exact count and max, and zero for an empty sketch', () => {
    const s = new QuantileSketch();
    expect([s.count, s.max, s.quantile(0.5)]).toEqual([0, 0, 0]);
    for (const v of [0, 5, 10, 250]) s.add(v);
    expect(s.count).toBe(4);
    expect(s.max).toBe(250);
    expect(s.quantile(0)).toBe(0);
  });

  it('bounds its bucket count by collapsing the lowest buckets, keeping the tail accurate', () => {
    const s = new QuantileSketch(0.01, 64);
    for (let i = 0; i < 1000; i++) s.add(Math.pow(1.1, i % 200));
    expect(s.toJSON().counts.length).toBeLessThanOrEqual(64);
    const top = Math.pow(1.1, 199);
    expect(Math.abs(s.quantile(1) - top) / top).toBeLessThanOrEqual(0.01);
    expect(s.count).toBe(1000);
  });
});
