import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, timelineOf } from '../../../runners/record/timeline.js';
import { history, spread } from '../../support/history-build.js';

describe('scenario timeline', () => {
  it('shows latency rising, errors appearing and throughput falling in the fault window, second by second', () => {
    const ops = [
      ...spread(100, 0, 10_000), // 10/s at 10 ms
      ...spread(100, 10_000, 20_000, (i, at) => ({ completeMs: at + 400, ok: i % 4 !== 0 })), // 400 ms, 25 % errors
      ...spread(100, 20_000, 30_000),
    ];
    const t = timelineOf(history(ops));
    expect(t).toMatchObject({ stepMs: 1000, faultStartMs: 10_000, faultEndMs: 20_000, endMs: 30_000 });
    expect(t.ops).toHaveLength(30);
    expect(t.ops.every((n) => n === 10)).toBe(true);
    expect(t.p99Ms[5]).toBe(10);
    expect(t.p99Ms[15]).toBe(400);
    expect(t.p99Ms[25]).toBe(10);
    expect(t.errorRate[5]).toBe(0);
    expect(t.errorRate[15]).toBeGreaterThan(0.1);
    expect(t.throughput[5]).toBe(10);
    expect(t.throughput[15]).toBeLessThan(10);
  });

  it('leaves a second without ops empty rather than zero latency', () => {
    const t = timelineOf(history(spread(10, 0, 1000)));
    expect(t.p50Ms[0]).toBe(10);
    expect(t.p50Ms[5]).toBeNull();
    expect(t.errorRate[5]).toBeNull();
    expect(t.throughput[5]).toBe(0);
  });

  it('widens the buckets of a long scenario instead of growing without bound', () => {
    const long = history(spread(10, 0, 1000), { phases: { baseline: { startMs: 0, endMs: 1_000_000 }, fault: { startMs: 1_000_000, endMs: 3_000_000 }, recovery: { startMs: 3_000_000, endMs: 4_000_000 } } });
    const t = timelineOf(long);
    expect(t.ops.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(t.stepMs).toBe(3000);
    expect(t.ops.reduce((a, b) => a + b, 0)).toBe(10);
  });
});
