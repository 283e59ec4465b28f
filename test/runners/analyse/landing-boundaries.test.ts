import { describe, expect, it } from 'vitest';
import type { Span } from '../../../ingest/span.js';
import { boundaryMetrics, tracesCrossing } from '../../../runners/analyse/boundaries.js';
import { movedBoundaries } from '../../../runners/record/boundary-moves.js';
import { judgeLanding } from '../../../runners/analyse/landing.js';
import type { BoundaryMetrics } from '../../../runners/record/result.js';
import type { PhaseMetrics } from '../../../claims/check-result.js';

let n = 0;
const span = (s: Partial<Span> & Pick<Span, 'service' | 'kind'>): Span => ({ traceId: 't1', spanId: `s${++n}`, operation: 'op', startUs: 0, durationUs: 10_000, status: 'unset', attributes: {}, ...s });

/** `calls` traces of checkout→payments plus a redis call from payments, with a latency and error pattern. */
function traffic(calls: number, latencyMs: number, errorEvery = 0): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < calls; i++) {
    const traceId = `t${i}`;
    const client = span({ traceId, service: 'checkout', kind: 'client', durationUs: latencyMs * 1000, status: errorEvery && i % errorEvery === 0 ? 'error' : 'unset' });
    out.push(client, span({ traceId, service: 'payments', kind: 'server', parentSpanId: client.spanId }));
    out.push(span({ traceId, service: 'payments', kind: 'client', attributes: { dbSystem: 'redis' }, durationUs: 1000 }));
  }
  return out;
}

const pm = (phase: PhaseMetrics['phase'], p99Ms: number, errorRate = 0, timeouts = 0): PhaseMetrics => ({ phase, ops: 100, throughputPerSec: 10, errorRate, timeouts, p50Ms: p99Ms / 2, p95Ms: p99Ms, p99Ms });

describe('boundaryMetrics', () => {
  it('names boundaries by the child server span or the inferred dependency and counts per phase', () => {
    const b = boundaryMetrics({ baseline: traffic(100, 40), fault: traffic(100, 600, 4) });
    expect(b.map((x) => `${x.phase} ${x.edge}`)).toEqual(['baseline checkout->payments', 'baseline payments->redis', 'fault checkout->payments', 'fault payments->redis']);
    expect(b[2]).toEqual({ edge: 'checkout->payments', phase: 'fault', calls: 100, errorRate: 0.25, p99Ms: 600, retries: 0 });
    expect(movedBoundaries(b)).toEqual(['checkout->payments']);
  });
  it('counts repeated calls under one parent and resend counts as retries', () => {
    const parent = span({ service: 'checkout', kind: 'server' });
    const tries = [1, 2, 3].map(() => span({ service: 'checkout', kind: 'client', parentSpanId: parent.spanId, attributes: { peerService: 'stripe' } }));
    const resent = span({ service: 'checkout', kind: 'client', attributes: { peerService: 'stripe', resendCount: 2 } });
    const [b] = boundaryMetrics({ fault: [parent, ...tries, resent] });
    expect(b).toMatchObject({ edge: 'checkout->stripe', calls: 4, retries: 4 });
  });
});

describe('judgeLanding', () => {
  const signal = { kind: 'proxy-counters' as const, expectation: 'payments p99 rises by ~600 ms' };
  const counters = (touched: number) => ({ proxy: 'payments', connections: 10, activeConnections: 0, bytesUpstream: 0, bytesDownstream: 0, toxics: { t: { touched, resets: 0 } } });
  const quiet: BoundaryMetrics[] = [
    { edge: 'checkout->payments', phase: 'baseline', calls: 100, errorRate: 0, p99Ms: 40, retries: 0 },
    { edge: 'checkout->payments', phase: 'fault', calls: 100, errorRate: 0, p99Ms: 41, retries: 0 },
  ];
  const input = { signal, toxicName: 't', boundaries: quiet, targetEdge: 'checkout->payments', metrics: [pm('baseline', 50), pm('fault', 52)] };
  it('proves landing from proxy counters', () => {
    expect(judgeLanding({ ...input, countersBefore: counters(10), countersAfter: counters(222) })).toEqual({ proven: true, source: 'proxy-counters', evidence: ['toxic t touched 212 connections'] });
  });
  it('treats a toxic that touched nothing as not landed', () => {
    expect(judgeLanding({ ...input, countersBefore: counters(5), countersAfter: counters(5) }).proven).toBe(false);
  });
  it('falls back to the target edge moving in the traces', () => {
    const moved = [quiet[0], { ...quiet[1], p99Ms: 655 }];
    expect(judgeLanding({ ...input, boundaries: moved })).toEqual({ proven: true, source: 'traces', evidence: ['edge checkout->payments p99 40→655 ms'] });
  });
  it('falls back to client timing', () => {
    expect(judgeLanding({ ...input, metrics: [pm('baseline', 50), pm('fault', 50, 0.2)] })).toMatchObject({ proven: true, source: 'client-timing', evidence: ['client error rate 0%→20%'] });
  });
  it('is not proven when nothing moved', () => {
    const l = judgeLanding(input);
    expect(l.proven).toBe(false);
    expect(l.source).toBe('none');
    expect(l.evidence[0]).toBe('expected: payments p99 rises by ~600 ms');
  });
});

describe('judgeLanding for faults without a toxic (down, flap)', () => {
  const signal = { kind: 'edge-errors' as const, expectation: 'payments refuses connections' };
  const at = (connections: number) => ({ proxy: 'payments', connections, activeConnections: 0, bytesUpstream: 0, bytesDownstream: 0, toxics: {} });
  const flat = [pm('baseline', 50), pm('fault', 50)];
  const down = { signal, toxicName: 't', fault: 'down', boundaries: [], targetEdge: 'checkout->payments', metrics: flat, baselineMs: 2000, faultMs: 4000 };

  it('proves a down fault from the connection counter that stopped growing while it grew in the baseline', () => {
    // An optional dependency: the client did not notice, the proxy did.
    expect(judgeLanding({ ...down, countersBaseline: at(10), countersBefore: at(50), countersAfter: at(51) })).toEqual({
      proven: true,
      source: 'proxy-counters',
      evidence: ['proxy payments accepted 1 connections in the fault (0.3/s) against 40 in the baseline (20/s)'],
    });
  });

  it('does not call a down fault landed when connections kept coming at the baseline rate', () => {
    const l = judgeLanding({ ...down, countersBaseline: at(10), countersBefore: at(50), countersAfter: at(130) });
    expect(l.proven).toBe(false);
    expect(l.evidence).toContain('proxy payments accepted 80 connections in the fault (20/s) against 40 in the baseline (20/s): not fewer');
  });

  it('proves a flap from a connection rate that fell, not stopped', () =>
    expect(judgeLanding({ ...down, fault: 'flap', countersBaseline: at(10), countersBefore: at(50), countersAfter: at(90) }).proven).toBe(true));

  it('cannot tell from a counter that did not grow in the baseline (a pooled client), and says so', () => {
    const l = judgeLanding({ ...down, countersBaseline: at(5), countersBefore: at(5), countersAfter: at(5) });
    expect(l.proven).toBe(false);
    expect(l.evidence[1]).toBe('proxy connection counter cannot tell (no counters, or no new connection in the baseline)');
  });

  it('falls back to the edge vanishing from the ops\' own spans', () => {
    const base: BoundaryMetrics = { edge: 'checkout->payments', phase: 'baseline', calls: 80, errorRate: 0, p99Ms: 20, retries: 0 };
    expect(judgeLanding({ ...down, boundaries: [base] })).toMatchObject({ proven: true, source: 'traces', evidence: ['edge checkout->payments no calls under the fault (80 in baseline)'] });
  });

  it('uses the client timing of only the entrypoints whose traces cross the edge', () => {
    const crossing = { entrypoints: ['checkout'], metrics: [pm('baseline', 50), pm('fault', 50, 0.3)] };
    expect(judgeLanding({ ...down, crossing })).toEqual({
      proven: true,
      source: 'client-timing',
      evidence: ['client (checkout, whose traces cross checkout->payments) error rate 0%→30%'],
    });
  });
});

describe('tracesCrossing', () => {
  it('names the traces whose spans cross an edge', () => {
    const spans = traffic(3, 40);
    expect([...tracesCrossing(spans, 'checkout->payments')].sort()).toEqual(['t0', 't1', 't2']);
    expect(tracesCrossing(spans, 'checkout->stripe').size).toBe(0);
  });
});
