/**
 * The scenario runtime on systems it has never seen (issue 16): the fault
 * gets to act under the default halting guard, effects are read once they
 * settle, and a system that dies under a fault is the finding — never the
 * environment's fault. A real HTTP toy behind the real fault proxy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScenario } from '../../../runners/execute/scenario/index.js';
import { planContext } from '../../../runners/execute/scenario/context.js';
import { InProcessExecutor } from '../../../runners/execute/inprocess-executor.js';
import { renderFindingsMarkdown } from '../../../runners/record/findings-render.js';
import type { Plan } from '../../../generators/plan.js';
import { startRig, type Rig } from './rig.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

const DEFAULT_GUARD = [{ maxErrorRate: 0.9, windowMs: 5000 }];

describe('the halting guard lets the fault act', () => {
  it('lets a down fault run its full length under the default guard, so a breaker that opens after 5 failures is seen by the recovery claim', async () => {
    rig.toy.settings.breaker = { threshold: 5, openMs: 3000 };
    // A slow shared host must not open the breaker in the baseline: only the outage may.
    rig.toy.settings.upstreamTimeoutMs = 2000;
    const plan = rig.plan({ phases: { baselineMs: 800, faultMs: 1500, recoveryMs: 2500 }, halting: DEFAULT_GUARD, ratePerSec: 40 });
    const s = plan.scenarios[0];
    s.fault = { toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {}, sizing: 'outage longer than the breaker threshold' };
    s.claims = ['orders_recover'];
    s.oracle = [{ claimId: 'orders_recover', check: { type: 'recovery', entrypoint: 'orders', withinMs: 500 } }];
    plan.claims = [{ id: 'orders_recover', text: 'orders recover within 500 ms after an outage', category: 'recovery', check: s.oracle[0].check, source: 'user' }];
    const r = await runScenario(s, planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    // Before: the guard removed the fault after 5 failed ops (~0.1 s) and the claim passed as PASS-smoke.
    expect(r.abort).toBeUndefined();
    expect(r.halting?.guards).toEqual([]);
    expect(r.halting?.exempt[0]).toMatch(/on orders: the scenario's own hypothesis/);
    expect(r.metrics.find((m) => m.phase === 'fault')!.ops).toBeGreaterThan(40);
    expect(r.verdict).toBe('FAIL-reproducible');
    expect(r.blame).toBe('SUT');
    expect(r.checks[0]).toMatchObject({ claimId: 'orders_recover', ok: false, sufficient: true });
    expect(r.landing.proven).toBe(true);
  });

  it('stops the fault when it hurts an entrypoint outside the hypothesis, and then says the claim was not tested', async () => {
    rig.toy.settings.bug = true;
    const plan = rig.plan({ phases: { baselineMs: 500, faultMs: 4000, recoveryMs: 400 }, halting: [{ maxErrorRate: 0.5, windowMs: 1000 }] });
    plan.entrypoints.push({ ...plan.entrypoints[0], name: 'browse' });
    const s = plan.scenarios[0];
    s.workload.entrypoints.push({ name: 'browse', weight: 1 });
    // The claim on orders holds (503s come fast); browse, which no claim targets, breaks.
    s.oracle = [{ claimId: 'orders_available', check: { type: 'latency', entrypoint: 'orders', percentile: 99, thresholdMs: 1500, phase: 'fault' } }];
    const r = await runScenario(s, planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    expect(r.abort?.condition).toMatch(/^error rate \d+% > 50% over 1000 ms on browse/);
    expect(r.halting?.guards[0]).toBe('browse error rate > 50% over 1000 ms (protects browse, which no claim of this scenario targets)');
    expect(r.verdict).toBe('INCONCLUSIVE-oracle-too-weak');
    expect(r.verdictPath.at(-1)).toMatch(/^not tested: the halting guard removed the fault early \(error rate .* on browse .*; the fault lasted \d+ of 4000 ms planned\)$/);
    expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
  });
});

describe('recovery is judged on the requests the outage broke', () => {
  for (const cached of [true, false]) {
    it(`${cached ? 'FAILs' : 'passes'} an outage's recovery claim when the failures ${cached ? 'are' : 'are not'} cached per key, by re-asking what the outage broke`, async () => {
      rig.toy.settings.bug = true; // no fallback: an outage fails the skus that reach prices
      if (cached) rig.toy.settings.errorCacheMs = 30_000;
      const plan = rig.plan({ phases: { baselineMs: 800, faultMs: 1500, recoveryMs: 2500 }, halting: DEFAULT_GUARD, ratePerSec: 40 });
      // Many keys: a fresh request rarely lands on one of the skus the outage cached as failed.
      plan.entrypoints[0].body = { sku: '{{int 1 5000}}' };
      const s = plan.scenarios[0];
      s.fault = { toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {}, sizing: 'outage' };
      s.claims = ['orders_recover'];
      s.oracle = [{ claimId: 'orders_recover', check: { type: 'recovery', entrypoint: 'orders', withinMs: 500 } }];
      plan.claims = [{ id: 'orders_recover', text: 'orders recover within 500 ms after an outage', category: 'recovery', check: s.oracle[0].check, source: 'user' }];
      const r = await runScenario(s, planContext(plan), { injector: rig.injector, quiesceMs: 50, damageGraceMs: 1000 });
      if (cached) {
        expect(r.verdict).toMatch(/^FAIL/);
        expect(r.blame).toBe('SUT');
        expect(r.recovery?.note).toMatch(/requests re-asking what failed during the fault failed again/);
      } else {
        expect(r.verdict).toMatch(/^PASS/);
        expect(r.recovery?.recoveredAfterMs).not.toBeNull();
      }
    });
  }
});

describe('damage that sticks to what the fault touched', () => {
  it('is lasting damage when the requests the fault broke still fail after the grace, though fresh ones succeed', async () => {
    rig.toy.settings.bug = true;
    rig.toy.settings.errorCacheMs = 600_000; // a lock a failed request never releases
    const plan = rig.plan({ phases: { baselineMs: 600, faultMs: 1000, recoveryMs: 1000 }, ratePerSec: 40 });
    plan.entrypoints[0].body = { sku: '{{int 1 5000}}' };
    const s = plan.scenarios[0];
    s.fault = { toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {}, sizing: 'outage' };
    const r = await runScenario(s, planContext(plan), { injector: rig.injector, quiesceMs: 50, damageGraceMs: 1000 });
    expect(r.lastingDamage?.map((d) => d.subject)).toEqual(['entrypoint orders (re-asking requests that failed during the fault)']);
    expect(r.lastingDamage?.[0].error).toBe('HTTP 503');
    expect(r.verdict).toMatch(/^FAIL/);
    expect(r.blame).toBe('SUT');
  });
});

describe('effects are read once the system is quiescent', () => {
  function outboxPlan(quiescence?: Plan['quiescence']): Plan {
    const plan = rig.plan({ phases: { baselineMs: 400, faultMs: 600, recoveryMs: 400 }, ratePerSec: 40 });
    const check = { type: 'no-lost-ack' as const, probe: 'orders', selector: '$.orders[*].requestKey', entrypoint: 'orders' };
    plan.scenarios[0].claims = ['orders_recorded'];
    plan.scenarios[0].oracle = [{ claimId: 'orders_recorded', check }];
    plan.claims = [{ id: 'orders_recorded', text: 'every acknowledged order is recorded', category: 'durability', check, source: 'user' }];
    if (quiescence) plan.quiescence = quiescence;
    return plan;
  }

  it('waits for the outbox to drain before the after-dump, so a healthy system is not called lossy', async () => {
    rig.toy.settings.effectDelayMs = 700;
    const plan = outboxPlan();
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    expect(r.quiescence).toMatchObject({ reached: true, condition: 'orders unchanged for 3000 ms (within 10000 ms)' });
    expect(r.quiescence!.waitedMs).toBeGreaterThanOrEqual(3000);
    expect(r.checks[0]).toMatchObject({ ok: true, sufficient: true });
    expect(r.verdict.startsWith('PASS')).toBe(true);
  });

  it('does not wait for effects to settle when no check of the scenario reads a probe', async () => {
    rig.toy.settings.effectDelayMs = 700;
    const plan = outboxPlan();
    const check = { type: 'latency' as const, entrypoint: 'orders', percentile: 99 as const, thresholdMs: 1500, phase: 'fault' as const };
    plan.scenarios[0].oracle = [{ claimId: 'orders_fast', check }];
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    expect(r.quiescence).toBeUndefined();
    expect(r.lastingDamage).toBeUndefined();
  });

  it('calls effects read before quiescence inconclusive with the reason, never a FAIL', async () => {
    rig.toy.settings.effectDelayMs = 1500;
    const plan = outboxPlan({ stableForMs: 3000, timeoutMs: 300 });
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    expect(r.quiescence).toMatchObject({ reached: false });
    expect(r.checks[0].ok).toBe(false);
    expect(r.verdict).toBe('INCONCLUSIVE-oracle-too-weak');
    expect(r.verdictPath.join(' → ')).toMatch(/effects read before the system was quiescent \(probe orders changed \d+ ms ago\)/);
  });
});

describe('a system that dies under a fault', () => {
  it('is a FAIL of that scenario blamed on the SUT, and the later scenarios are "not run" because it is down, lasting damage first in findings', async () => {
    // Generous against a loaded host: the reset, not a slow call, is what meets the front.
    rig.toy.settings.upstreamTimeoutMs = 2000;
    const plan = rig.plan({ phases: { baselineMs: 400, faultMs: 600, recoveryMs: 400 } });
    const s = plan.scenarios[0];
    s.id = 'orders_under_prices_reset';
    s.fault = { toxic: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 }, sizing: 'reset every connection' };
    const later = structuredClone(s);
    later.id = 'orders_under_prices_latency';
    later.fault = { toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 }, sizing: 'x' };
    plan.scenarios = [s, later];
    const executor = new InProcessExecutor({ injector: rig.injector, quiesceMs: 50, settleMs: 0, damageGraceMs: 1500 });
    // The planted crash is armed when the fault goes on, so a stray reset on a loaded host cannot kill it earlier.
    const findings = await executor.run(plan, { runId: 'dies' }, (e) => {
      if (e.stage === 'fault' && e.scenarioId === s.id) rig.toy.settings.dieOnUpstreamReset = true;
    });
    expect(rig.toy.dead).toBe(true);
    const [first, second] = findings.results;
    expect(first.verdict).toBe('FAIL-reproducible');
    expect(first.blame).toBe('SUT');
    expect(first.lastingDamage?.map((d) => d.subject)).toEqual(['entrypoint orders', 'probe orders']);
    expect(first.lastingDamage?.[0].error).toBe('ECONNREFUSED');
    expect(first.lastingDamage?.[0].since).toMatch(/ms into the fault\)$/);
    expect(first.verdictPath).toContain('the system did not come back, so re-running on the same seed cannot be done: a dead system after the fault is reproducible by definition');
    expect(second.notRun).toBe('the system under test has been down since scenario orders_under_prices_reset (entrypoint orders: ECONNREFUSED; probe orders: fetch failed)');
    expect(second.blame).toBe('SUT');
    expect(findings.headline).toMatch(/^LASTING DAMAGE: the system under test did not come back after orders_under_prices_reset \(entrypoint orders: ECONNREFUSED; .*\); 1 later scenario not run because it was down\./);
    const md = renderFindingsMarkdown(findings, plan);
    expect(md.indexOf('## Lasting damage')).toBeGreaterThan(0);
    expect(md.indexOf('## Lasting damage')).toBeLessThan(md.indexOf('## Scenarios'));
    expect(md).toContain('| orders_under_prices_latency | not run (INCONCLUSIVE-env) |');
    expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
  });
});
