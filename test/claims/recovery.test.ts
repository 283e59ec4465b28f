import { describe, expect, it } from 'vitest';
import type { RecoverySettings } from '../../claims/claim.js';
import { entrypointMetrics, phaseMetrics } from '../../claims/phase-metrics.js';
import { chanceAllowance, measureRecovery } from '../../claims/recovery.js';
import { history, op } from '../support/history-build.js';
import type { Op } from '../../claims/history.js';

const settings: RecoverySettings = { windowMs: 1000, bandFactor: 2, errorSlack: 0.02, holdMs: 2000 };

/**
 * A system that is fine in baseline (20–40 ms), degraded during the fault,
 * and returns to normal exactly `delayMs` after the fault ends.
 */
function synthetic(ratePerSec: number, delayMs: number, mode: 'latency' | 'errors'): Op[] {
  const ops: Op[] = [];
  const step = 1000 / ratePerSec;
  let k = 0;
  for (let t = 0; t < 30_000; t += step) {
    const jitter = 20 + ((k++ * 7919) % 21);
    const degraded = t >= 10_000 && t < 20_000 + delayMs;
    const lat = degraded && mode === 'latency' ? 400 + jitter : jitter;
    ops.push(op({ invokeMs: t, completeMs: t + lat, ok: !(degraded && mode === 'errors'), ...(degraded && mode === 'errors' ? { status: 503 } : {}) }));
  }
  return ops;
}

describe('measureRecovery accuracy on synthetic histories', () => {
  for (const mode of ['latency', 'errors'] as const) {
    for (const rate of [20, 100, 400]) {
      for (const delay of [0, 1500, 4000, 6500]) {
        it(`measures a ${delay} ms ${mode} recovery at ${rate} ops/s within max(250 ms, 10%)`, () => {
          const res = measureRecovery(history(synthetic(rate, delay, mode)), 'checkout', settings);
          expect(res.recoveredAfterMs).not.toBeNull();
          expect(Math.abs((res.recoveredAfterMs as number) - delay)).toBeLessThanOrEqual(Math.max(250, delay * 0.1));
        });
      }
    }
  }
  it('answers null with a note when the system never recovers', () => {
    const res = measureRecovery(history(synthetic(100, 60_000, 'errors')), 'checkout', settings);
    expect(res).toMatchObject({ recoveredAfterMs: null, note: 'did not recover within 10000 ms', windowMs: 1000, holdMs: 2000 });
  });
  it('does not call a system recovered while the requests the fault broke keep failing, and says so', () => {
    // A cached error: fresh requests succeed after the fault, re-asked ones fail again.
    const ops = synthetic(20, 0, 'errors').map((o, i) => (o.invokeMs >= 20_000 && i % 2 === 0 ? { ...o, ok: false, status: 502, revisitOf: 250 } : o));
    const res = measureRecovery(history(ops), 'checkout', settings);
    expect(res.recoveredAfterMs).toBeNull();
    expect(res.note).toBe('did not recover within 10000 ms; 100 of 100 requests re-asking what failed during the fault failed again (fresh requests: 0 of 100)');
  });
  it('counts a re-asked request refused with a 4xx as answered: what failed during the fault may have taken effect', () => {
    const ops = synthetic(20, 0, 'errors').map((o, i) => (o.invokeMs >= 20_000 && i % 2 === 0 ? { ...o, ok: false, status: 409, revisitOf: 250 } : o));
    expect(measureRecovery(history(ops), 'checkout', settings).recoveredAfterMs).toBe(0);
  });
  it('does not count a recovery whose hold would run past the end of the run', () => {
    const res = measureRecovery(history(synthetic(100, 8000, 'latency')), 'checkout', settings);
    expect(res.recoveredAfterMs).toBeNull();
  });
  it('states the band from the baseline', () => {
    const res = measureRecovery(history(synthetic(100, 0, 'latency')), 'checkout', settings);
    expect(res.band).toBe('p99 ≤ 80 ms and error rate ≤ 2%');
  });
});

describe('phaseMetrics', () => {
  it('reports throughput, errors, timeouts and percentiles per phase', () => {
    const ops = [
      ...Array.from({ length: 100 }, (_, i) => op({ invokeMs: i * 100, completeMs: i * 100 + i + 1 })),
      ...Array.from({ length: 10 }, (_, i) => op({ invokeMs: 10_000 + i * 1000, completeMs: 10_000 + i * 1000 + 5000, ok: false, timeout: i < 5 })),
    ];
    const [base, fault, rec] = phaseMetrics(history(ops));
    expect(base).toEqual({ phase: 'baseline', ops: 100, throughputPerSec: 10, errorRate: 0, timeouts: 0, p50Ms: 50, p95Ms: 95, p99Ms: 99 });
    expect(fault).toMatchObject({ ops: 10, throughputPerSec: 0, errorRate: 1, timeouts: 5, p99Ms: 5000 });
    expect(rec.ops).toBe(0);
    expect(Object.keys(entrypointMetrics(history(ops)))).toEqual(['checkout']);
  });
});

describe('recovery band on few ops', () => {
  /** 5 ops/s at baseline 20–40 ms with 2.5 % routine errors, and the same after the fault. */
  function sparse(afterFault: (i: number) => Partial<Op>): Op[] {
    const ops: Op[] = [];
    for (let i = 0; i < 150; i++) {
      const t = i * 200;
      const routine = i % 40 === 7 ? { ok: false, status: 404 } : {};
      const extra = t >= 20_000 ? afterFault(i) : t >= 10_000 ? { ok: false, status: 503 } : {};
      ops.push(op({ invokeMs: t, completeMs: t + 20 + (i % 21), ...routine, ...extra }));
    }
    return ops;
  }

  it('counts a system back at its baseline as recovered though single windows hold a routine error or a slow op', () => {
    const res = measureRecovery(history(sparse((i) => (i % 9 === 0 ? { completeMs: i * 200 + 500 } : {}))), 'checkout', settings);
    expect(res.recoveredAfterMs).toBe(0);
  });

  it('still sees a system that fails every other request after the fault', () => {
    const res = measureRecovery(history(sparse((i) => (i % 2 === 0 ? { ok: false, status: 503 } : {}))), 'checkout', settings);
    expect(res.recoveredAfterMs).toBeNull();
  });

  it('sees one request in three still failing after the fault, which no single window can tell from routine errors', () => {
    // A cached error answered for every key asked during the outage: 1 or 2 of 5 ops per 1 s window.
    const failing = sparse((i) => (i % 3 === 0 ? { ok: false, status: 503 } : {}));
    const windowsOnly = measureRecovery(history(failing), 'checkout', { ...settings, windowMs: 1000 });
    // Only the last few seconds, too few ops to tell anything apart, could pass for recovered.
    expect(windowsOnly.recoveredAfterMs === null || windowsOnly.recoveredAfterMs > 5000).toBe(true);
  });

  it('tells residual failures that stop soon after the fault from ones that outlast a 5 s bound', () => {
    // 5 ops/s; the fault ends at op 100. Failing one op in three until op 110 (2 s) or op 130 (6 s).
    const until = (last: number) => measureRecovery(history(sparse((i) => (i % 3 === 0 && i < last ? { ok: false, status: 503 } : {}))), 'checkout', settings);
    expect(until(110).recoveredAfterMs).toBe(0);
    expect(until(130).recoveredAfterMs).toBeGreaterThan(5000);
  });

  it('still sees a system that stays slow after the fault', () => {
    const res = measureRecovery(history(sparse((i) => ({ completeMs: i * 200 + 300 }))), 'checkout', settings);
    expect(res.recoveredAfterMs).toBeNull();
  });
});

describe('chanceAllowance', () => {
  it('allows the bad ops a binomial at the band rate gives with probability ≥ 1 %', () => {
    expect(chanceAllowance(5, 0.01)).toBe(1);
    expect(chanceAllowance(10, 0.05)).toBe(3);
    expect(chanceAllowance(100, 0)).toBe(0);
    expect(chanceAllowance(4, 1)).toBe(4);
  });
});
