/**
 * The Executor contract: every executor (in-process, BullMQ) runs a plan to
 * findings with one result per selected scenario, reports progress per
 * stage, filters with `only`, and gives a FAIL blamed on the SUT for a
 * planted bug and a PASS when the bug is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor, ProgressEvent } from '../../../runners/execute/executor.js';
import { isFaultlineError } from '../../../base/errors.js';
import type { Plan } from '../../../generators/plan.js';
import { startRig, type Rig } from './rig.js';

/** What a contract run needs from its executor's test file. */
export interface ContractSubject {
  executor: Executor;
  close(): Promise<void>;
}

const quick = { phases: { baselineMs: 500, faultMs: 800, recoveryMs: 500 }, ratePerSec: 50 };

let runs = 0;
const runId = (name: string) => `contract-${name}-${Date.now()}-${runs++}`;

function twoScenarios(plan: Plan): Plan {
  const second = structuredClone(plan.scenarios[0]);
  second.id = 'orders_available_again';
  plan.scenarios.push(second);
  return plan;
}

export function executorContract(name: string, make: (rig: Rig) => Promise<ContractSubject>): void {
  describe(`Executor contract: ${name}`, () => {
    let rig: Rig;
    let subject: ContractSubject;
    beforeAll(async () => {
      rig = await startRig();
      subject = await make(rig);
    });
    afterAll(async () => {
      await subject?.close();
      await rig?.close();
    });

    it('passes a scenario whose system falls back while the fault is on, reporting every stage', async () => {
      rig.toy.settings.bug = false;
      const plan = rig.plan(quick);
      const events: ProgressEvent[] = [];
      const id = runId('pass');
      const findings = await subject.executor.run(plan, { runId: id }, (e) => events.push(e));
      expect(findings.runId).toBe(id);
      expect(findings.planId).toBe('plan-toy');
      expect(findings.results).toHaveLength(1);
      const [r] = findings.results;
      expect(r.scenarioId).toBe('orders_available_under_prices_latency');
      expect(r.verdict.startsWith('PASS')).toBe(true);
      expect(r.attempts).toBe(1);
      expect(r.checks[0]).toMatchObject({ claimId: 'orders_available', ok: true, sufficient: true });
      expect(r.landing.proven).toBe(true);
      const stages = events.filter((e) => e.scenarioId === r.scenarioId).map((e) => e.stage);
      for (const s of ['queued', 'precheck', 'baseline', 'fault', 'recovery', 'checking', 'done'] as const) expect(stages).toContain(s);
      expect(stages.indexOf('baseline')).toBeLessThan(stages.indexOf('fault'));
      expect(stages.at(-1)).toBe('done');
      expect(events.every((e) => e.runId === id && e.total === 1 && e.index === 0)).toBe(true);
      expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
    });

    it('fails a scenario with a planted bug, reproducibly on the same seed, and blames the system under test', async () => {
      rig.toy.settings.bug = true;
      try {
        const plan = rig.plan(quick);
        const findings = await subject.executor.run(plan, { runId: runId('fail') });
        const [r] = findings.results;
        expect(r.verdict).toBe('FAIL-reproducible');
        expect(r.attempts).toBe(2);
        expect(r.blame).toBe('SUT');
        expect(r.checks[0].ok).toBe(false);
        expect(r.seed).toBe(7);
      } finally {
        rig.toy.settings.bug = false;
      }
      expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
    });

    it('runs only the selected scenarios and rejects unknown ids', async () => {
      const plan = twoScenarios(rig.plan({ ...quick, phases: { baselineMs: 300, faultMs: 500, recoveryMs: 300 } }));
      const findings = await subject.executor.run(plan, { runId: runId('only'), only: ['orders_available_again'] });
      expect(findings.results.map((r) => r.scenarioId)).toEqual(['orders_available_again']);
      await expect(subject.executor.run(plan, { runId: runId('bad'), only: ['nope'] })).rejects.toSatisfy((err: unknown) => isFaultlineError(err, 'BAD_INPUT'));
    });

    it('reports a scenario the environment kept from running as INCONCLUSIVE-env, never lost', async () => {
      const plan = rig.plan(quick);
      plan.scenarios[0].target.proxy = 'no_such_proxy';
      const findings = await subject.executor.run(plan, { runId: runId('env') });
      expect(findings.results).toHaveLength(1);
      expect(findings.results[0]).toMatchObject({ verdict: 'INCONCLUSIVE-env', blame: 'environment' });
      expect(findings.results[0].envProblem).toMatch(/proxy no_such_proxy does not exist/);
    });
  });
}
