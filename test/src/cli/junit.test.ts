/**
 * Findings as JUnit XML: valid against the JUnit schema CI systems read
 * (test/fixtures/junit.xsd), one testcase per scenario, and the documented
 * verdict mapping — FAIL → failure with the oracle's evidence and the
 * reproducer, INCONCLUSIVE-env → error, other INCONCLUSIVE/PARTIAL and
 * not-run → skipped with the reason.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { fileURLToPath } from 'node:url';
import { junitOutcome, renderJUnit } from '../../../runners/record/junit.js';
import { VERDICTS, type Findings, type ScenarioResult, type Verdict } from '../../../runners/record/result.js';
import { plan as fakePlan } from '../fakes.js';
import { loadXsd, validateAgainst } from './junit-xsd.js';

const xsd = loadXsd(fileURLToPath(new URL('../../fixtures/junit.xsd', import.meta.url)));

function result(scenarioId: string, verdict: Verdict, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const failing = verdict.startsWith('FAIL');
  return {
    scenarioId, claims: ['charge_at_most_once'], verdict, verdictPath: ['landing proven', failing ? 'anomaly found' : 'no anomaly'],
    checks: [{
      claimId: 'charge_at_most_once', checker: 'at-most-once', ok: !failing, opsConsumed: 120,
      anomalies: failing ? [{ message: 'order k-17 charged twice', ops: [17, 42] }] : [],
      summary: failing ? 'checked 120 ops, 1 anomaly' : 'checked 120 ops, 0 anomalies', sufficient: true,
    }],
    landing: { proven: true, source: 'proxy-counters', evidence: ['toxic touched 212 connections'] },
    metrics: [], boundaries: [], blame: failing ? 'SUT' : 'unknown', blameReason: failing ? 'baseline-only history has no anomaly' : 'n/a',
    seed: 42, attempts: failing ? 2 : 1, durationMs: 12_345, ...extra,
  };
}

function findings(results: ScenarioResult[]): Findings {
  return {
    schemaVersion: 1, runId: 'run-1', planId: 'plan-1', system: 'shop', startedAt: '2026-01-02T03:04:05.678Z', finishedAt: '2026-01-02T03:05:05.678Z',
    headline: '1 of 1 claims tested falsified: charge_at_most_once (SUT)', results, counts: {}, coverage: [], confidenceDelta: '',
  };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name), parseTagValue: false, parseAttributeValue: false });
type Case = { name: string; failure?: { type: string; message: string; '#text': string }; error?: { type: string; message: string }; skipped?: { type: string; message: string }; 'system-out': string };

const everyVerdict = findings([
  ...VERDICTS.map((v) => result(`checkout_${v.toLowerCase().replace(/-/g, '_')}`, v, v === 'INCONCLUSIVE-env' ? { envProblem: 'precheck: GET http://gateway/health answered 503' } : {})),
  result('later_scenario', 'INCONCLUSIVE-env', { notRun: 'the system under test has been down since scenario checkout_fail_reproducible' }),
]);

describe('JUnit report of a run', () => {
  it('conforms to the JUnit schema CI systems read, with one testsuite and one testcase per scenario', () => {
    const p = fakePlan(everyVerdict.results.map((r) => ({ id: r.scenarioId, edge: 'orders->payments', claims: r.claims })));
    const xml = renderJUnit([{ findings: everyVerdict, options: { plan: p } }]);
    expect(validateAgainst(xml, xsd, 'testsuites')).toEqual([]);
    const doc = parser.parse(xml);
    expect(doc.testsuites.testsuite).toHaveLength(1);
    const suite = doc.testsuites.testsuite[0];
    expect(suite.testcase.map((c: Case) => c.name)).toEqual(everyVerdict.results.map((r) => r.scenarioId));
    expect(suite.tests).toBe(String(everyVerdict.results.length));
    expect(suite.timestamp).toBe('2026-01-02T03:04:05');
    expect(suite.time).toBe('60.000');
  });

  it('maps FAIL to failure, INCONCLUSIVE-env to error, and the rest of INCONCLUSIVE, PARTIAL and not-run to skipped', () => {
    const xml = renderJUnit([{ findings: everyVerdict }]);
    const suite = parser.parse(xml).testsuites.testsuite[0];
    const kind = (c: Case) => (c.failure ? 'failure' : c.error ? 'error' : c.skipped ? 'skipped' : 'passed');
    const byName = Object.fromEntries(suite.testcase.map((c: Case) => [c.name, kind(c)]));
    expect(byName).toEqual({
      checkout_pass_smoke: 'passed',
      checkout_pass_hardening: 'passed',
      checkout_fail_reproducible: 'failure',
      checkout_fail_nondeterministic: 'failure',
      checkout_inconclusive_env: 'error',
      checkout_inconclusive_oracle_too_weak: 'skipped',
      checkout_inconclusive_fault_not_proven: 'skipped',
      checkout_partial_surface: 'skipped',
      checkout_partial_model: 'skipped',
      later_scenario: 'skipped',
    });
    expect([suite.failures, suite.errors, suite.skipped]).toEqual(['2', '1', '5']);
    for (const r of everyVerdict.results) expect(junitOutcome(r)).toBe(byName[r.scenarioId]);
  });

  it("puts the oracle's evidence and the reproducer in a failure, and the reason in an error or a skip", () => {
    const xml = renderJUnit([{ findings: everyVerdict, options: { reproducer: (r) => `faultline run out/plan.json --only ${r.scenarioId} --seed ${r.seed}` } }]);
    const cases: Case[] = parser.parse(xml).testsuites.testsuite[0].testcase;
    const failed = cases.find((c) => c.name === 'checkout_fail_reproducible') as Case;
    expect(failed.failure?.type).toBe('FAIL-reproducible');
    expect(failed.failure?.message).toBe('FAIL-reproducible: claim charge_at_most_once falsified: checked 120 ops, 1 anomaly');
    expect(failed.failure?.['#text']).toContain('order k-17 charged twice [ops 17, 42]');
    expect(failed.failure?.['#text']).toContain('blame: SUT — baseline-only history has no anomaly');
    expect(failed.failure?.['#text']).toContain('reproduce: faultline run out/plan.json --only checkout_fail_reproducible --seed 42');
    expect(cases.find((c) => c.name === 'checkout_inconclusive_env')?.error?.message).toBe('INCONCLUSIVE-env: precheck: GET http://gateway/health answered 503');
    expect(cases.find((c) => c.name === 'later_scenario')?.skipped?.message).toContain('not run: the system under test has been down');
  });

  it('records seed, fault and landing evidence as suite properties and in each case’s output', () => {
    const p = fakePlan([{ id: 'checkout_pass_hardening', edge: 'orders->payments', claims: ['charge_at_most_once'] }]);
    const xml = renderJUnit([{ findings: findings([result('checkout_pass_hardening', 'PASS-hardening')]), options: { plan: p } }]);
    const suite = parser.parse(xml).testsuites.testsuite[0];
    const props = Object.fromEntries(suite.properties.property.map((x: { name: string; value: string }) => [x.name, x.value]));
    expect(props['checkout_pass_hardening.seed']).toBe('42');
    expect(props['checkout_pass_hardening.fault']).toBe('latency on p (orders->payments), downstream, toxicity 1, latency=500');
    expect(props['checkout_pass_hardening.landing']).toBe('proven (proxy-counters): toxic touched 212 connections');
    expect(props.runId).toBe('run-1');
    expect(suite.testcase[0]['system-out']).toContain('seed: 42');
  });

  it('stays well-formed and schema-valid, and keeps every character XML can carry, whatever the names and messages hold', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(fc.property(text, text, text, (id, summary, evidence) => {
      const r = result(id || 'x', 'FAIL-reproducible', { landing: { proven: false, source: 'none', evidence: [evidence] } });
      r.checks[0].summary = summary;
      const xml = renderJUnit([{ findings: findings([r]) }]);
      expect(validateAgainst(xml, xsd, 'testsuites')).toEqual([]);
      const c: Case = parser.parse(xml).testsuites.testsuite[0].testcase[0];
      // XML 1.0 cannot carry most control characters; the rest survives exactly.
      // eslint-disable-next-line no-control-regex
      const xmlable = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
      expect(c.name).toBe(xmlable(id || 'x'));
    }), { numRuns: 200 });
  });
});
