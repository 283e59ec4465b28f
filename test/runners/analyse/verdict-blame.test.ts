import { describe, expect, it } from 'vitest';
import { assignBlame, baselineOnly, lagSummary, onTimeHistory } from '../../../runners/analyse/blame.js';
import type { LandingEvidence } from '../../../runners/record/result.js';
import type { CheckResult } from '../../../claims/check-result.js';
import { decideVerdict, type VerdictInput } from '../../../runners/analyse/verdict.js';
import { history, spread } from '../../support/history-build.js';

const check = (over: Partial<CheckResult> = {}): CheckResult => ({ claimId: 'c1', checker: 'latency', ok: true, opsConsumed: 500, anomalies: [], summary: 'checked 500 ops, 0 anomalies', sufficient: true, ...over });
const bad = (over: Partial<CheckResult> = {}) => check({ ok: false, anomalies: [{ message: 'p99 912 ms > 800 ms' }], ...over });
const landed: LandingEvidence = { proven: true, source: 'proxy-counters', evidence: ['toxic t touched 212 connections'] };
const base: VerdictInput = { landing: landed, checks: [check()], faultWindow: { opsInvoked: 400, covered: true } };
const verdict = (over: Partial<VerdictInput>) => decideVerdict({ ...base, ...over }).verdict;

describe('decideVerdict: one test per verdict', () => {
  it('PASS-hardening: proven fault, complete history, no anomaly', () => {
    const v = decideVerdict(base);
    expect(v.verdict).toBe('PASS-hardening');
    expect(v.path[v.path.length - 1]).toBe('fault proven, complete history over the fault window, no anomaly');
  });
  it('PASS-smoke: too few ops in the fault window', () => expect(verdict({ faultWindow: { opsInvoked: 12, covered: true } })).toBe('PASS-smoke'));
  it('PASS-smoke: phases scaled down', () => expect(verdict({ scaledDown: true })).toBe('PASS-smoke'));
  it('FAIL-reproducible: the same-seed re-run failed again', () => expect(verdict({ checks: [bad()], rerun: { failedAgain: true } })).toBe('FAIL-reproducible'));
  it('FAIL-nondeterministic: the re-run passed', () => expect(verdict({ checks: [bad()], rerun: { failedAgain: false } })).toBe('FAIL-nondeterministic'));
  it('FAIL-reproducible when a second re-run fails after the first passed, and says so', () => {
    const out = decideVerdict({ ...base, checks: [bad()], rerun: { failedAgain: true, otherVerdict: 'FAIL-reproducible', runs: 2 } });
    expect(out.verdict).toBe('FAIL-reproducible');
    expect(out.path.at(-1)).toBe('same-seed re-run 2 failed again (1 before it passed)');
    expect(decideVerdict({ ...base, checks: [bad()], rerun: { failedAgain: false, otherVerdict: 'PASS-hardening', runs: 2 } }).path.at(-1)).toBe('2 same-seed re-runs passed');
  });
  it('INCONCLUSIVE-env: an environment problem', () => expect(verdict({ envProblem: 'precheck failed: proxy unreachable' })).toBe('INCONCLUSIVE-env'));
  it('INCONCLUSIVE-fault-not-proven: no landing evidence', () => expect(verdict({ landing: { proven: false, source: 'none', evidence: [] } })).toBe('INCONCLUSIVE-fault-not-proven'));
  it('INCONCLUSIVE-oracle-too-weak: no check could judge', () =>
    expect(verdict({ checks: [check({ sufficient: false, insufficientReason: 'no ops of checkout in the fault phase' })] })).toBe('INCONCLUSIVE-oracle-too-weak'));
  it('PARTIAL-surface: one check insufficient while another judged', () =>
    expect(verdict({ checks: [check(), check({ claimId: 'c2', sufficient: false, insufficientReason: 'probe missing' })] })).toBe('PARTIAL-surface'));
  it('PARTIAL-model: the search gave up on a key', () => expect(verdict({ checks: [check({ partialModel: 'search gave up on 1 of 8 keys' })] })).toBe('PARTIAL-model'));
});

describe('decideVerdict: lasting damage, halting and quiescence', () => {
  const damage = { lines: ['entrypoint orders: ECONNREFUSED since 12:00:01'] };
  it('a system that did not come back is FAIL-reproducible before anything else but the environment, even with an unproven fault', () => {
    const v = decideVerdict({ ...base, landing: { proven: false, source: 'none', evidence: [] }, checks: [], damage });
    expect(v.verdict).toBe('FAIL-reproducible');
    expect(v.path).toContain('the system did not come back after the fault: entrypoint orders: ECONNREFUSED since 12:00:01');
    expect(v.path.at(-1)).toMatch(/re-running on the same seed cannot be done/);
  });
  it('lasting damage the same-seed re-run did not repeat is nondeterministic', () =>
    expect(verdict({ damage: { ...damage, rerun: 'healthy' } })).toBe('FAIL-nondeterministic'));
  it('a fault the halting guard removed early never passes: the claim was not tested', () => {
    const v = decideVerdict({ ...base, halted: 'error rate 95% > 90% over 5000 ms on stock (80 ops)' });
    expect(v.verdict).toBe('INCONCLUSIVE-oracle-too-weak');
    expect(v.path.at(-1)).toBe('not tested: the halting guard removed the fault early (error rate 95% > 90% over 5000 ms on stock (80 ops))');
  });
  it('an anomaly found before the halt is still a FAIL', () => expect(verdict({ checks: [bad()], halted: 'x', rerun: { failedAgain: true } })).toBe('FAIL-reproducible'));
  it('an effect claim failing on a dump read before quiescence is inconclusive, and says so', () => {
    const v = decideVerdict({ ...base, checks: [bad({ claimId: 'stock_conserved', checker: 'conservation' })], effectClaims: ['stock_conserved'], quiescence: { reached: false, detail: 'queue jobs still holds 3 jobs' } });
    expect(v.verdict).toBe('INCONCLUSIVE-oracle-too-weak');
    expect(v.path.at(-1)).toBe('effects read before the system was quiescent (queue jobs still holds 3 jobs): anomalies in stock_conserved may be work still in flight');
  });
  it('a latency anomaly is a FAIL whether or not the probes settled', () =>
    expect(verdict({ checks: [bad()], effectClaims: ['other'], quiescence: { reached: false }, rerun: { failedAgain: true } })).toBe('FAIL-reproducible'));
  it('an effect claim that held on a dump read before quiescence passes only as smoke', () => {
    const v = decideVerdict({ ...base, effectClaims: ['c1'], quiescence: { reached: false } });
    expect(v.verdict).toBe('PASS-smoke');
    expect(v.path.at(-1)).toContain('effects of c1 read before the system was quiescent');
  });
});

describe('decideVerdict precedence', () => {
  it('env beats everything, even a failing check and an unproven fault', () =>
    expect(verdict({ envProblem: 'proxy down', landing: { proven: false, source: 'none', evidence: [] }, checks: [bad()] })).toBe('INCONCLUSIVE-env'));
  it('an unproven fault beats a failing check', () => expect(verdict({ landing: { proven: false, source: 'none', evidence: [] }, checks: [bad()] })).toBe('INCONCLUSIVE-fault-not-proven'));
  it('a history that stops inside the fault window is oracle-too-weak even with anomalies', () =>
    expect(verdict({ checks: [bad()], faultWindow: { opsInvoked: 100, covered: false } })).toBe('INCONCLUSIVE-oracle-too-weak'));
  it('no op in the fault window is oracle-too-weak', () => expect(verdict({ faultWindow: { opsInvoked: 0, covered: true } })).toBe('INCONCLUSIVE-oracle-too-weak'));
  it('a FAIL beats partial surface and partial model', () =>
    expect(verdict({ checks: [bad(), check({ claimId: 'c2', sufficient: false, insufficientReason: 'x' }), check({ partialModel: 'gave up' })], rerun: { failedAgain: true } })).toBe('FAIL-reproducible'));
  it('partial surface beats partial model, which beats PASS', () => {
    expect(verdict({ checks: [check({ partialModel: 'gave up', unexercised: ['key k (never read)'] })] })).toBe('PARTIAL-surface');
    expect(verdict({ modelPartial: ['claim only partly machine-checkable'] })).toBe('PARTIAL-model');
  });
  it('a FAIL without a re-run is nondeterministic and says why', () => {
    const v = decideVerdict({ ...base, checks: [bad()] });
    expect(v.verdict).toBe('FAIL-nondeterministic');
    expect(v.path).toContain('no same-seed re-run: reproducibility not shown');
  });
});

describe('assignBlame', () => {
  const onTime = { lateOps: 0, ops: 400, limitMs: 100, p99Ms: 3 };
  const clean = { verdict: 'FAIL-reproducible' as const, checks: [bad()], baselineChecks: [check()], driverErrors: 0, lag: onTime, proxyHealthy: true };
  it('blames the SUT for a FAIL with clean baseline, driver and proxy', () => expect(assignBlame(clean).blame).toBe('SUT'));
  it('blames the checker when it also fails on the baseline-only history, as often as under the fault', () => {
    const b = assignBlame({ ...clean, baselineChecks: [bad({ opsConsumed: 100 })] });
    expect(b).toEqual({ blame: 'checker', reason: 'c1 also failed on the baseline-only history, before any fault, and no more often under it' });
  });
  it('blames the SUT when a check that fails at rest fails far more often once the fault acts', () => {
    const order = (n: number, ops: number) => bad({ checker: 'queue-order', opsConsumed: ops, anomalies: Array.from({ length: n }, (_, i) => ({ message: `m${i} out of order` })) });
    const b = assignBlame({ ...clean, checks: [order(40, 500)], baselineChecks: [order(1, 100)] });
    expect(b.blame).toBe('SUT');
    expect(b.reason).toBe('c1 failed more often under the fault than before it (c1: 1 anomalies in 100 ops before the fault, 40 in 500 with it); driver and proxy were clean');
    // The same rate as at rest is no evidence against the system.
    expect(assignBlame({ ...clean, checks: [order(5, 500)], baselineChecks: [order(1, 100)] }).blame).toBe('checker');
  });
  it('blames the SUT when one failed check is clean at rest, even if another also fails there', () =>
    expect(assignBlame({ ...clean, checks: [bad(), bad({ claimId: 'c2' })], baselineChecks: [bad({ opsConsumed: 100 }), check({ claimId: 'c2' })] }).blame).toBe('SUT'));
  it('blames the harness for the driver\'s own errors', () => expect(assignBlame({ ...clean, driverErrors: 3 }).blame).toBe('harness'));
  it('blames the SUT for a FAIL on a busy host: late ops were left out, so the anomalies come from ops sent on time', () => {
    const b = assignBlame({ ...clean, lag: { lateOps: 150, ops: 400, limitMs: 100, p99Ms: 450 } });
    expect(b.blame).toBe('SUT');
    expect(b.reason).toContain('150 of 400 ops were sent more than 100 ms after their scheduled time (per-op send lag, p99 450 ms) and were left out of the checks');
  });
  it('blames the harness when too many ops were late to judge, saying what was measured', () => {
    const b = assignBlame({ ...clean, verdict: 'INCONCLUSIVE-oracle-too-weak', checks: [check()], lag: { lateOps: 150, ops: 400, limitMs: 100, p99Ms: 450 } });
    expect(b).toEqual({ blame: 'harness', reason: 'the workload driver fell behind: 150 of 400 ops were sent more than 100 ms after their scheduled time (per-op send lag, p99 450 ms)' });
  });
  it('blames the SUT for lasting damage, whatever the checks say', () =>
    expect(assignBlame({ ...clean, checks: [check()], baselineChecks: [bad()], damage: ['entrypoint orders: ECONNREFUSED'] })).toEqual({ blame: 'SUT', reason: 'the system under test did not come back after the fault: entrypoint orders: ECONNREFUSED' }));
  it('says a scenario the halting guard cut short was not tested', () =>
    expect(assignBlame({ ...clean, verdict: 'INCONCLUSIVE-oracle-too-weak', checks: [check()], halted: 'error rate 95% > 90% over 5000 ms on stock (80 ops)' }).reason).toBe('not tested: the halting guard removed the fault early (error rate 95% > 90% over 5000 ms on stock (80 ops))'));
  it('blames the environment for an unhealthy proxy or a precheck failure, before anything else', () => {
    expect(assignBlame({ ...clean, proxyHealthy: false, driverErrors: 3 }).blame).toBe('environment');
    expect(assignBlame({ ...clean, envProblem: 'precheck failed' }).blame).toBe('environment');
  });
  it('answers unknown with a reason when nothing points anywhere', () => {
    expect(assignBlame({ ...clean, verdict: 'INCONCLUSIVE-fault-not-proven', checks: [check()] })).toEqual({ blame: 'unknown', reason: 'INCONCLUSIVE-fault-not-proven with environment, driver and checkers clean: no evidence points anywhere' });
    expect(assignBlame({ ...clean, verdict: 'PASS-hardening', checks: [check()] }).blame).toBe('unknown');
  });
  it('does not blame the checker for conservation, whose baseline re-run sees the same dumps', () =>
    expect(assignBlame({ ...clean, checks: [bad({ checker: 'conservation' })], baselineChecks: [bad({ checker: 'conservation' })] }).blame).toBe('SUT'));
});

describe('per-op lag', () => {
  it('leaves late ops out of the checks\' history but keeps their generated keys', () => {
    const ops = spread(10, 0, 30_000, (i) => ({ key: `k${i}`, lagMs: i < 3 ? 250 : 2 }));
    const h = onTimeHistory(history(ops, { generatedKeys: ops.map((o) => o.key as string) }));
    expect(h.ops.map((o) => o.key)).toEqual(['k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
    expect(h.generatedKeys).toHaveLength(10);
    expect(lagSummary(ops)).toEqual({ lateOps: 3, ops: 10, limitMs: 100, p99Ms: 250 });
  });
});

describe('baselineOnly', () => {
  it('keeps only baseline ops and their generated keys, ending the phases at the baseline', () => {
    const ops = spread(30, 0, 30_000, (i) => ({ key: `k${i}` }));
    const h = baselineOnly(history(ops, { generatedKeys: ops.map((o) => o.key as string) }), 0);
    expect(h.ops).toHaveLength(10);
    expect(h.ops.every((o) => o.epoch === 'baseline')).toBe(true);
    expect(h.generatedKeys).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
    expect(h.phases.fault).toEqual({ startMs: 10_000, endMs: 10_000 });
  });

  it('leaves out ops acknowledged just before the fault, whose effects may still be in flight', () => {
    const ops = spread(30, 0, 30_000, (i) => ({ key: `k${i}` }));
    const h = baselineOnly(history(ops, { generatedKeys: ops.map((o) => o.key as string) }), 2500);
    expect(h.ops.every((o) => o.completeMs <= 7_500)).toBe(true);
    expect(h.ops.length).toBeLessThan(10);
    expect(h.generatedKeys).toEqual(h.ops.map((o) => o.key));
  });
});
