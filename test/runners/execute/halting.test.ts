import { describe, expect, it } from 'vitest';
import { HaltingGuard } from '../../../runners/analyse/halting.js';
import { scenarioHalting, targetedEntrypoints } from '../../../generators/halting-scope.js';
import type { Op } from '../../../claims/history.js';
import type { ScenarioGuard } from '../../../generators/plan.js';
import type { OracleCheck } from '../../../claims/claim.js';
import { validatePlan } from '../../../generators/plan-schema.js';
import { renderPlanMarkdown } from '../../../generators/plan-render.js';
import { RulePlanGenerator } from '../../../generators/rule-generator.js';
import { sampleInput } from '../../generators/plan-input.js';

let nextId = 0;
function op(completeMs: number, ok: boolean, type = 'checkout', timeout = false): Op {
  return { id: nextId++, process: 0, type, ok, timeout, invokeMs: completeMs - 10, completeMs, epoch: 'fault' };
}
const guard = (over: Partial<ScenarioGuard> = {}): ScenarioGuard => ({ entrypoints: ['checkout'], maxErrorRate: 0.5, windowMs: 1000, why: 'test', ...over });

describe('halting guard', () => {
  it('trips when the error rate over a full window exceeds the bound, at the op that revealed it', () => {
    const g = new HaltingGuard([guard()], 0);
    const seq = [op(700, true), op(800, false), op(900, false), op(1000, false), op(1100, true)];
    const trips = seq.map((o) => g.observe(o));
    // The window is full from 1000 ms on: 4 ops there are too few, the fifth reveals 60 %.
    expect(trips.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(trips[4]?.windowEndMs).toBe(1100);
    expect(trips[4]?.condition).toBe('error rate 60% > 50% over 1000 ms on checkout (5 ops)');
  });

  it('never trips before a whole window of fault data exists, however many early ops fail', () => {
    // The old guard removed a `down` fault after 5 failed ops (~0.25 s at 20/s): a breaker never opened.
    const g = new HaltingGuard([guard({ maxErrorRate: 0.9, windowMs: 5000 })], 10_000);
    for (let t = 10_050; t < 15_000; t += 50) expect(g.observe(op(t, false))).toBeUndefined();
    expect(g.observe(op(15_000, false))?.condition).toMatch(/^error rate 100% > 90% over 5000 ms on checkout/);
  });

  it('ignores ops invoked before the fault went on', () => {
    const g = new HaltingGuard([guard({ windowMs: 100 })], 1000, 1);
    expect(g.observe({ ...op(1500, false), invokeMs: 900 })).toBeUndefined();
    expect(g.trip).toBeUndefined();
  });

  it('does not trip on errors spread wider than the window', () => {
    const g = new HaltingGuard([guard()], 0);
    for (let i = 0; i < 20; i++) expect(g.observe(op(i * 600, i % 2 === 0 ? false : true))).toBeUndefined();
    expect(g.trip).toBeUndefined();
  });

  it('counts timeouts as errors and only watches the entrypoints it protects', () => {
    const g = new HaltingGuard([guard({ entrypoints: ['stock'] })], 0);
    for (let i = 0; i < 10; i++) expect(g.observe(op(1000 + i * 10, false, 'checkout'))).toBeUndefined();
    let trip;
    for (let i = 0; i < 5; i++) trip = g.observe(op(1200 + i, false, 'stock', true));
    expect(trip?.condition).toContain('on stock');
  });

  it('reports only the first trip', () => {
    const g = new HaltingGuard([guard({ maxErrorRate: 0.1, windowMs: 100 })], 0, 1);
    expect(g.observe(op(101, false))).toBeDefined();
    expect(g.observe(op(102, false))).toBeUndefined();
    expect(g.trip?.windowEndMs).toBe(101);
  });
});

describe('which halting conditions apply to a scenario', () => {
  const latency = (entrypoint: string): OracleCheck => ({ claimId: `${entrypoint}_fast`, check: { type: 'latency', entrypoint, percentile: 99, thresholdMs: 500, phase: 'fault' } });
  const scenario = (oracle: OracleCheck[], eps = ['checkout', 'stock']) => ({ oracle, workload: { entrypoints: eps.map((name) => ({ name, weight: 1 })), ratePerSec: 10, seed: 1 } });
  const defaultGuard = { maxErrorRate: 0.9, windowMs: 5000 };

  it('exempts the scenario\'s own entrypoints: an error spike there is the experiment working', () => {
    const h = scenarioHalting(scenario([latency('checkout')], ['checkout']), [defaultGuard]);
    expect(h.guards).toEqual([]);
    expect(h.exempt).toEqual(["any entrypoint error rate > 90% over 5000 ms on checkout: the scenario's own hypothesis (errors there under the fault are the experiment working)"]);
  });

  it('protects the entrypoints no claim of the scenario targets', () => {
    const h = scenarioHalting(scenario([latency('checkout')]), [defaultGuard]);
    expect(h.guards).toEqual([{ entrypoints: ['stock'], maxErrorRate: 0.9, windowMs: 5000, why: 'protects stock, which no claim of this scenario targets' }]);
    expect(h.exempt).toHaveLength(1);
  });

  it('treats a probe claim as exercised by the whole workload', () => {
    const once: OracleCheck = { claimId: 'once', check: { type: 'at-most-once', probe: 'orders', selector: '$.orders[*].key' } };
    expect(targetedEntrypoints(scenario([once]))).toEqual(['checkout', 'stock']);
    expect(scenarioHalting(scenario([once]), [defaultGuard]).guards).toEqual([]);
  });

  it('applies a user stop condition with scope always even to the targeted entrypoint', () => {
    const h = scenarioHalting(scenario([latency('checkout')], ['checkout']), [{ entrypoint: 'checkout', maxErrorRate: 0.99, windowMs: 2000, scope: 'always' }]);
    expect(h.guards).toEqual([{ entrypoints: ['checkout'], maxErrorRate: 0.99, windowMs: 2000, why: 'user stop condition (scope: always) on checkout' }]);
  });

  it('says why a condition on an entrypoint the workload does not drive is left out', () => {
    const h = scenarioHalting(scenario([latency('checkout')], ['checkout']), [{ entrypoint: 'search', maxErrorRate: 0.5, windowMs: 1000 }]);
    expect(h).toEqual({ guards: [], exempt: ['search error rate > 50% over 1000 ms: the workload of this scenario does not drive search'] });
  });
});

describe('the plan records each scenario\'s halting decision', () => {
  it('for a reviewer to see, and a plan carrying it validates', async () => {
    const plan = await new RulePlanGenerator().generate(sampleInput());
    expect(plan.scenarios.length).toBeGreaterThan(0);
    for (const s of plan.scenarios) expect(s.halting).toEqual(scenarioHalting(s, plan.halting));
    expect(validatePlan(JSON.parse(JSON.stringify(plan))).scenarios[0].halting).toEqual(plan.scenarios[0].halting);
    expect(renderPlanMarkdown(plan)).toMatch(/- \*\*Halting:\*\* /);
  });
});
