/**
 * Findings as Chaos Toolkit journals: one per scenario result, valid under
 * the journal format chaoslib writes (run.py), with faultline's nine
 * verdicts mapped to its status and deviation as docs/chaostoolkit.md
 * documents, and a findings.json from a person checked before it is used.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isFaultlineError } from '../../../base/errors.js';
import type { Plan } from '../../../generators/plan.js';
import { RulePlanGenerator } from '../../../generators/rule-generator.js';
import { VERDICTS, type Findings, type ScenarioResult, type Verdict } from '../../../runners/record/result.js';
import { findingsJournals } from '../../../src/export/chaostoolkit/journal.js';
import { findingsFromJson } from '../../../src/export/findings-doc.js';
import { sampleInput } from '../../generators/plan-input.js';
import { ctkProblems } from './chaostoolkit-schema.js';

let plan: Plan;
beforeAll(async () => {
  plan = await new RulePlanGenerator().generate(sampleInput());
});

function result(scenarioId: string, claimId: string, verdict: Verdict, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const failing = verdict.startsWith('FAIL');
  return {
    scenarioId, claims: [claimId], verdict, verdictPath: ['landing proven', failing ? 'anomaly found' : 'no anomaly'],
    checks: [{ claimId, checker: 'latency', ok: !failing, opsConsumed: 120, anomalies: failing ? [{ message: 'p99 912 ms > 800 ms' }] : [], summary: 'checked 120 ops', sufficient: true }],
    landing: { proven: true, source: 'proxy-counters', evidence: ['toxic touched 212 connections'] },
    metrics: [], boundaries: [], blame: failing ? 'SUT' : 'unknown', blameReason: 'n/a', seed: 7, attempts: 1, durationMs: 30_000, ...extra,
  };
}

/** One result per verdict, cycling through the plan's scenarios (a plan may hold fewer scenarios than there are verdicts). */
function findingsWith(results: (s: { id: string; claim: string }, i: number) => ScenarioResult, n: number = VERDICTS.length): Findings {
  const picks = Array.from({ length: n }, (_, i) => plan.scenarios[i % plan.scenarios.length]);
  return {
    schemaVersion: 1, runId: 'run-1', planId: plan.id, system: plan.system, startedAt: '2026-01-02T03:04:05.000Z', finishedAt: '2026-01-02T04:04:05.000Z',
    headline: '', results: picks.map((s, i) => results({ id: s.id, claim: s.claims[0] }, i)), counts: {}, coverage: [], confidenceDelta: '',
  };
}

describe('Chaos Toolkit journals from findings', () => {
  it('writes one journal per result, each valid under chaoslib\'s journal format, with the documented verdict mapping', () => {
    const f = findingsWith((s, i) => result(s.id, s.claim, VERDICTS[i], VERDICTS[i] === 'INCONCLUSIVE-env' ? { envProblem: 'precheck: GET /health answered 503' } : {}));
    const journals = findingsJournals(plan, f);
    expect(journals).toHaveLength(VERDICTS.length);
    for (const { journal } of journals) expect(ctkProblems('journal', journal)).toEqual([]);
    const mapping = Object.fromEntries(journals.map(({ journal }, i) => [VERDICTS[i], `${journal.status}${journal.deviated ? ' deviated' : ''}`]));
    expect(mapping).toEqual({
      'PASS-smoke': 'completed', 'PASS-hardening': 'completed',
      'FAIL-reproducible': 'completed deviated', 'FAIL-nondeterministic': 'completed deviated',
      'INCONCLUSIVE-env': 'failed',
      'INCONCLUSIVE-oracle-too-weak': 'completed', 'INCONCLUSIVE-fault-not-proven': 'completed', 'PARTIAL-surface': 'completed', 'PARTIAL-model': 'completed',
    });
  });

  it('records a falsified claim as a steady state not met after the method, with the check that found it and the landing evidence', () => {
    const s = plan.scenarios[0];
    const [{ journal }] = findingsJournals(plan, findingsWith(() => result(s.id, s.claims[0], 'FAIL-reproducible'), 1), { planFile: 'plan.json' });
    expect(journal.steady_states.before?.steady_state_met).toBe(true);
    expect(journal.steady_states.after?.steady_state_met).toBe(false);
    const check = journal.steady_states.after?.probes[0];
    expect(check).toMatchObject({ tolerance_met: false, output: { ok: false, anomalies: ['p99 912 ms > 800 ms'] } });
    expect(check?.activity.provider).toEqual({ type: 'process', path: 'faultline', arguments: ['run', 'plan.json', '--only', s.id, '--seed', '7', '--fail-on', 'FAIL'] });
    expect(journal.run[0].output).toMatchObject({ landing: { proven: true, evidence: ['toxic touched 212 connections'] } });
    expect(journal.run.map((r) => r.activity)).toEqual(journal.experiment.method);
    expect(journal.rollbacks.map((r) => r.activity)).toEqual(journal.experiment.rollbacks);
    expect(journal.experiment.extensions[0]).toMatchObject({ name: 'faultline', verdict: 'FAIL-reproducible', blame: 'SUT', runId: 'run-1' });
  });

  it('marks a scenario whose fault a halting guard removed as aborted', () => {
    const s = plan.scenarios[0];
    const [{ journal }] = findingsJournals(plan, findingsWith(() => result(s.id, s.claims[0], 'PASS-smoke', { abort: { condition: 'stock error rate > 5%', abortLatencyMs: 300 } }), 1));
    expect(journal.status).toBe('aborted');
    expect(ctkProblems('journal', journal)).toEqual([]);
  });

  it('records a scenario that never ran as failed before its method, with no method runs and no check after', () => {
    const s = plan.scenarios[0];
    const [{ journal }] = findingsJournals(plan, findingsWith(() => result(s.id, s.claims[0], 'INCONCLUSIVE-env', { notRun: 'the system under test has been down since scenario x', checks: [] }), 1));
    expect(journal).toMatchObject({ status: 'failed', deviated: false, run: [], rollbacks: [], steady_states: { before: { steady_state_met: false }, after: null } });
  });

  it('places each journal after the previous one, from the run\'s start', () => {
    const journals = findingsJournals(plan, findingsWith((s) => result(s.id, s.claim, 'PASS-hardening'), 3));
    expect(journals.map((j) => [j.journal.start, j.journal.end, j.journal.duration])).toEqual([
      ['2026-01-02T03:04:05.000Z', '2026-01-02T03:04:35.000Z', 30],
      ['2026-01-02T03:04:35.000Z', '2026-01-02T03:05:05.000Z', 30],
      ['2026-01-02T03:05:05.000Z', '2026-01-02T03:05:35.000Z', 30],
    ]);
  });

  it('refuses findings of another plan, or naming a scenario the plan does not have', () => {
    const other = { ...findingsWith((s) => result(s.id, s.claim, 'PASS-smoke'), 1), planId: 'plan_other' };
    expect(() => findingsJournals(plan, other)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    const stray = findingsWith(() => result('no_such_scenario', 'c', 'PASS-smoke'), 1);
    expect(() => findingsJournals(plan, stray)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

describe('reading a findings.json for export', () => {
  it('accepts findings faultline wrote', () => {
    const f = JSON.parse(JSON.stringify(findingsWith((s, i) => result(s.id, s.claim, VERDICTS[i]))));
    expect(findingsFromJson(f)).toEqual(f);
  });

  it('answers any other JSON with BAD_INPUT naming a path, never a crash', () => {
    const good = JSON.parse(JSON.stringify(findingsWith((s) => result(s.id, s.claim, 'PASS-smoke'), 2)));
    const paths = ['schemaVersion', 'runId', 'startedAt', 'results', 'results.0', 'results.0.verdict', 'results.0.durationMs', 'results.0.checks', 'results.0.checks.0', 'results.0.checks.0.anomalies', 'results.0.landing'];
    // Either a whole arbitrary document, or a faultline findings.json with one field replaced by arbitrary JSON.
    const doc = fc.oneof(
      fc.jsonValue(),
      fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([path, value]) => {
        const d = structuredClone(good);
        const keys = path.split('.');
        let at = d;
        for (const k of keys.slice(0, -1)) at = at[k];
        at[keys[keys.length - 1]] = value;
        return d;
      }),
    );
    fc.assert(fc.property(doc, (d) => {
      try {
        findingsFromJson(d);
        return true;
      } catch (err) {
        return isFaultlineError(err, 'BAD_INPUT') && typeof err.details?.path === 'string';
      }
    }), { numRuns: 500 });
  });
});
