import { describe, expect, it } from 'vitest';
import type { Plan, Scenario } from '../../../generators/plan.js';
import { assembleFindings } from '../../../runners/record/findings.js';
import { renderFindingsMarkdown } from '../../../runners/record/findings-render.js';
import type { ScenarioResult } from '../../../runners/record/result.js';

const scenario = (id: string, claims: string[]): Scenario => ({
  id,
  title: `${id} title`,
  claims,
  hypotheses: [],
  target: { edge: 'checkout->payments', proxy: 'payments' },
  fault: { toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1200 }, sizing: 'p99 × 3' },
  workload: { entrypoints: [{ name: 'checkout', weight: 1 }], ratePerSec: 50, seed: 7 },
  oracle: [],
  landing: { kind: 'proxy-counters', expectation: 'edge p99 up' },
  exitCriteria: [],
  phases: { baselineMs: 10_000, faultMs: 20_000, recoveryMs: 10_000 },
  requiresFaultlineProxy: false,
  observedPhases: ['fault'],
});

const plan = {
  schemaVersion: 1,
  id: 'plan-1',
  createdAt: '2025-01-01T00:00:00Z',
  system: 'shop',
  claims: [
    { id: 'checkout_p99_under_800ms', text: 'p99 of POST /checkout stays under 800 ms', category: 'performance-slo', check: { type: 'latency', entrypoint: 'checkout', percentile: 99, thresholdMs: 800, phase: 'fault' }, source: 'user' },
    { id: 'orders_at_most_once', text: 'no duplicate orders', category: 'idempotency', check: { type: 'at-most-once', probe: 'orders', selector: '$.orders[*].k' }, source: 'user' },
    { id: 'stock_available', text: 'stock stays available', category: 'availability', check: { type: 'availability', entrypoint: 'stock', maxErrorRate: 0.01, phase: 'fault' }, source: 'user' },
  ],
  scenarios: [scenario('checkout_p99_under_payments_latency', ['checkout_p99_under_800ms']), scenario('orders_once_under_reset', ['orders_at_most_once']), scenario('stock_under_cache_down', ['stock_available'])],
  confidence: 'moderate: checkout latency untested under payment faults',
} as unknown as Plan;

const result = (over: Partial<ScenarioResult>): ScenarioResult => ({
  scenarioId: 'x',
  claims: [],
  verdict: 'PASS-hardening',
  verdictPath: ['environment healthy', 'no anomaly'],
  checks: [],
  landing: { proven: true, source: 'proxy-counters', evidence: ['toxic t touched 212 connections'] },
  metrics: [],
  boundaries: [],
  blame: 'unknown',
  blameReason: 'no finding to blame (PASS-hardening)',
  seed: 7,
  attempts: 1,
  durationMs: 40_000,
  ...over,
});

const results: ScenarioResult[] = [
  result({
    scenarioId: 'checkout_p99_under_payments_latency',
    claims: ['checkout_p99_under_800ms'],
    verdict: 'FAIL-reproducible',
    verdictPath: ['environment healthy', 'fault landed', 'anomalies in checkout_p99_under_800ms', 'same-seed re-run failed again'],
    checks: [{ claimId: 'checkout_p99_under_800ms', checker: 'latency', ok: false, opsConsumed: 4213, anomalies: [{ message: 'p99 of checkout in the fault phase was 1412 ms > 800 ms', ops: [4, 9] }], summary: 'checked 4,213 ops, 1 anomaly', sufficient: true }],
    boundaries: [
      { edge: 'checkout->payments', phase: 'baseline', calls: 100, errorRate: 0, p99Ms: 41, retries: 0 },
      { edge: 'checkout->payments', phase: 'fault', calls: 100, errorRate: 0, p99Ms: 1255, retries: 0 },
    ],
    recovery: { recoveredAfterMs: 1800, windowMs: 1000, holdMs: 2000, band: 'p99 ≤ 82 ms and error rate ≤ 1%' },
    blame: 'SUT',
    blameReason: 'checkout_p99_under_800ms failed under the fault; baseline checks, driver and proxy were clean',
    seed: 4242,
    attempts: 2,
  }),
  result({ scenarioId: 'orders_once_under_reset', claims: ['orders_at_most_once'], checks: [{ claimId: 'orders_at_most_once', checker: 'at-most-once', ok: true, opsConsumed: 900, anomalies: [], summary: 'checked 900 records, 0 anomalies', sufficient: true }] }),
  result({ scenarioId: 'stock_under_cache_down', claims: ['stock_available'], verdict: 'INCONCLUSIVE-fault-not-proven', verdictPath: ['environment healthy', 'fault landing not proven from data'], landing: { proven: false, source: 'none', evidence: ['expected: cache errors'] } }),
];

/** A FAIL from a watched invariant: the aimed claim held, another claim's check failed. */
const watchedFail = result({
  scenarioId: 'orders_once_under_payments_slow',
  claims: ['orders_at_most_once'],
  verdict: 'FAIL-reproducible',
  checks: [
    { claimId: 'orders_at_most_once', checker: 'at-most-once', ok: true, opsConsumed: 900, anomalies: [], summary: 'checked 900 records, 0 anomalies', sufficient: true },
    { claimId: 'stock_available', checker: 'availability', ok: false, opsConsumed: 300, anomalies: [{ message: 'error rate 40%' }], summary: 'checked 300 ops, 1 anomaly', sufficient: true },
  ],
});

describe('assembleFindings', () => {
  const f = assembleFindings(plan, results, { runId: 'run-1', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:05:00Z' });
  it('writes a headline naming falsified claims with blame', () => {
    expect(f.headline).toBe('1 of 3 claims tested falsified: checkout_p99_under_800ms (SUT)');
  });
  it('counts verdicts and coverage per claim', () => {
    expect(f.counts).toEqual({ 'PASS-hardening': 1, 'FAIL-reproducible': 1, 'INCONCLUSIVE-fault-not-proven': 1 });
    expect(f.coverage).toEqual([
      { claimId: 'checkout_p99_under_800ms', planned: 1, proven: 0, verdicts: ['FAIL-reproducible'], falsifiedBy: ['checkout_p99_under_payments_latency'] },
      { claimId: 'orders_at_most_once', planned: 1, proven: 1, verdicts: ['PASS-hardening'] },
      { claimId: 'stock_available', planned: 1, proven: 0, verdicts: ['INCONCLUSIVE-fault-not-proven'] },
    ]);
    expect(f).toMatchObject({ schemaVersion: 1, runId: 'run-1', planId: 'plan-1', system: 'shop' });
  });
  it('states the confidence delta against the plan', () => {
    expect(f.confidenceDelta).toBe(
      'Plan said: "moderate: checkout latency untested under payment faults". Confidence lowered: checkout_p99_under_800ms falsified under fault. Confidence raised: orders_at_most_once held under a proven fault. Unchanged (no hardening evidence): stock_available.',
    );
  });
  it('lowers confidence in the claim whose check failed, not in the aimed claim of a scenario a watched invariant failed', () => {
    const w = assembleFindings(plan, [results[1], watchedFail], { runId: 'r', startedAt: 'a', finishedAt: 'b' });
    expect(w.coverage.find((c) => c.claimId === 'orders_at_most_once')).toMatchObject({ verdicts: ['PASS-hardening', 'FAIL-reproducible'] });
    expect(w.coverage.find((c) => c.claimId === 'orders_at_most_once')?.falsifiedBy).toBeUndefined();
    expect(w.coverage.find((c) => c.claimId === 'stock_available')?.falsifiedBy).toEqual(['orders_once_under_payments_slow']);
    expect(w.confidenceDelta).toContain('Confidence lowered: stock_available falsified under fault.');
    expect(w.confidenceDelta).toContain('Confidence raised: orders_at_most_once held under a proven fault.');
  });
  it('says no claim was falsified when all pass', () => {
    const ok = assembleFindings(plan, [results[1]], { runId: 'r', startedAt: 'a', finishedAt: 'b' });
    // Only the claims this run tested count: one scenario tested one claim.
    expect(ok.headline).toBe('0 of 1 claims tested falsified: 1 of 1 scenarios passed with hardening evidence');
  });
});

describe('renderFindingsMarkdown', () => {
  const f = assembleFindings(plan, results, { runId: 'run-1', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:05:00Z' });
  const md = renderFindingsMarkdown(f, plan);
  it('puts the headline first', () => {
    expect(md.split('\n').slice(0, 3)).toEqual(['# Findings: shop', '', '**1 of 3 claims tested falsified: checkout_p99_under_800ms (SUT)**']);
  });
  it('has a scenario table with verdict, oracle evidence, landing and recovery', () => {
    expect(md).toContain('| Scenario | Verdict | Oracle evidence | Landing evidence | Recovery | Blame |');
    expect(md).toContain('| checkout_p99_under_payments_latency | FAIL-reproducible | latency: checked 4,213 ops, 1 anomaly | proxy-counters: toxic t touched 212 connections | 1800 ms | SUT |');
  });
  it('has a section per FAIL and INCONCLUSIVE with reproducer, blame, claim, blast radius and next action', () => {
    expect(md).toContain('### checkout_p99_under_payments_latency — FAIL-reproducible');
    expect(md).toContain('faultline run plan.json --only checkout_p99_under_payments_latency --seed 4242');
    expect(md).toContain('- Fault: `latency` on payments (checkout->payments), downstream, toxicity 1, latency=1200');
    expect(md).toContain('**Blame:** SUT — checkout_p99_under_800ms failed under the fault');
    expect(md).toContain('- `checkout_p99_under_800ms`: p99 of POST /checkout stays under 800 ms');
    expect(md).toContain('- checkout->payments: p99 41→1255 ms');
    expect(md).toContain('### stock_under_cache_down — INCONCLUSIVE-fault-not-proven');
    expect(md).not.toContain('### orders_once_under_reset');
    expect(md).toContain('**Next action:** Fix the system under test');
  });
  it('names as falsified the claim whose check failed, and the aimed claim that held as held', () => {
    const text = renderFindingsMarkdown(assembleFindings(plan, [watchedFail], { runId: 'r', startedAt: 'a', finishedAt: 'b' }), plan);
    expect(text).toContain('**Claim falsified:**\n- `stock_available`: stock stays available\n\n**Aimed at, and held:**\n- `orders_at_most_once`: no duplicate orders');
  });
  it('ends with coverage and the confidence delta', () => {
    expect(md).toContain('## Coverage');
    expect(md).toContain('| orders_at_most_once | 1 | 1 | PASS-hardening |');
    expect(md.trimEnd().endsWith(f.confidenceDelta)).toBe(true);
  });
});

describe('lasting damage in findings', () => {
  const dead = result({
    scenarioId: 'stock_under_cache_down',
    claims: ['stock_available'],
    verdict: 'FAIL-reproducible',
    verdictPath: ['environment healthy', 'the system did not come back after the fault: entrypoint stock: ECONNREFUSED', 'the system did not come back, so re-running on the same seed cannot be done'],
    blame: 'SUT',
    blameReason: 'the system under test did not come back after the fault: entrypoint stock: ECONNREFUSED',
    lastingDamage: [{ subject: 'entrypoint stock', error: 'ECONNREFUSED', since: '2025-01-01T00:01:02.000Z (310 ms into the fault)', checked: '4 checks over 10 s after the recovery phase' }],
  });
  const notRun = result({
    scenarioId: 'orders_once_under_reset',
    claims: ['orders_at_most_once'],
    verdict: 'INCONCLUSIVE-env',
    verdictPath: ['not run: the system under test has been down since scenario stock_under_cache_down (entrypoint stock: ECONNREFUSED)'],
    blame: 'SUT',
    blameReason: 'not run: the system under test has been down since scenario stock_under_cache_down (entrypoint stock: ECONNREFUSED)',
    notRun: 'the system under test has been down since scenario stock_under_cache_down (entrypoint stock: ECONNREFUSED)',
  });
  const f = assembleFindings(plan, [results[0], dead, notRun], { runId: 'run-2', startedAt: 'a', finishedAt: 'b' });
  const md = renderFindingsMarkdown(f, plan);

  it('puts lasting damage first in the headline, with the scenarios it kept from running', () =>
    expect(f.headline).toBe('LASTING DAMAGE: the system under test did not come back after stock_under_cache_down (entrypoint stock: ECONNREFUSED); 1 later scenario not run because it was down. 2 of 3 claims tested falsified: checkout_p99_under_800ms (SUT), stock_available (SUT)'));

  it('renders a lasting-damage section before the scenario table, and the damaged scenario first among the findings', () => {
    expect(md.indexOf('## Lasting damage')).toBeLessThan(md.indexOf('## Scenarios'));
    expect(md).toContain('  - entrypoint stock: ECONNREFUSED, failing since 2025-01-01T00:01:02.000Z (310 ms into the fault); 4 checks over 10 s after the recovery phase');
    expect(md).toContain('Not run because the system under test was down: orders_once_under_reset.');
    expect(md.indexOf('### stock_under_cache_down')).toBeLessThan(md.indexOf('### checkout_p99_under_payments_latency'));
    expect(md).toContain('| orders_once_under_reset | not run (INCONCLUSIVE-env) |');
    expect(md).toContain('**Next action:** Fix the system under test first: it did not come back after this fault');
  });
});
