import { describe, expect, it } from 'vitest';
import { assignBlame, baselineOnly } from '../../../runners/analyse/blame.js';
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
  it('INCONCLUSIVE-env: an environment problem', () => expect(verdict({ envProblem: 'precheck failed: proxy unreachable' })).toBe('INCONCLUSIVE-env'));
  it('INCONCLUSIVE-fault-not-proven: no landing evidence', () => expect(verdict({ landing: { proven: false, source: 'none', evidence: [] } })).toBe('INCONCLUSIVE-fault-not-proven'));
  it('INCONCLUSIVE-oracle-too-weak: no check could judge', () =>
    expect(verdict({ checks: [check({ sufficient: false, insufficientReason: 'no ops of checkout in the fault phase' })] })).toBe('INCONCLUSIVE-oracle-too-weak'));
  it('PARTIAL-surface: one check insufficient while another judged', () =>
    expect(verdict({ checks: [check(), check({ claimId: 'c2', sufficient: false, insufficientReason: 'probe missing' })] })).toBe('PARTIAL-surface'));
  it('PARTIAL-model: the search gave up on a key', () => expect(verdict({ checks: [check({ partialModel: 'search gave up on 1 of 8 keys' })] })).toBe('PARTIAL-model'));
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
  const clean = { verdict: 'FAIL-reproducible' as const, checks: [bad()], baselineChecks: [check()], driverErrors: 0, driverLagMs: 3, proxyHealthy: true };
  it('blames the SUT for a FAIL with clean baseline, driver and proxy', () => expect(assignBlame(clean).blame).toBe('SUT'));
  it('blames the checker when it also fails on the baseline-only history', () => {
    const b = assignBlame({ ...clean, baselineChecks: [bad()] });
    expect(b).toEqual({ blame: 'checker', reason: 'c1 also failed on the baseline-only history, before any fault' });
  });
  it('blames the harness for driver errors or lag', () => {
    expect(assignBlame({ ...clean, driverErrors: 3 }).blame).toBe('harness');
    expect(assignBlame({ ...clean, driverLagMs: 450 }).reason).toBe('the workload driver lagged 450 ms behind schedule (limit 100 ms)');
  });
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
