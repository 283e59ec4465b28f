import { describe, expect, it } from 'vitest';
import { SystemDownTracker, markNotRun } from '../../../runners/execute/scenario/run-scope.js';
import { failingSinceMs, healthyInBaseline, stillFailingRevisits } from '../../../runners/execute/scenario/damage.js';
import type { ScenarioResult } from '../../../runners/record/result.js';
import { history, op } from '../../support/history-build.js';

const result = (id: string, over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  scenarioId: id, claims: [], verdict: 'PASS-hardening', verdictPath: [], checks: [], landing: { proven: true, source: 'traces', evidence: [] },
  metrics: [], boundaries: [], blame: 'unknown', blameReason: '', seed: 1, attempts: 1, durationMs: 1, ...over,
});
const damaged = result('a_reset', { verdict: 'FAIL-reproducible', blame: 'SUT', lastingDamage: [{ subject: 'entrypoint orders', error: 'ECONNREFUSED', since: 't', checked: '3 checks' }] });
const refused = (id: string) => result(id, { verdict: 'INCONCLUSIVE-env', blame: 'environment', envProblem: 'entrypoint orders unhealthy before the fault: 0/3 requests succeeded (last: ECONNREFUSED)', systemDown: true });

describe('a system left down by a scenario', () => {
  it('makes the later scenarios "not run", blamed on the SUT, not INCONCLUSIVE-env blamed on the environment', () => {
    const [, b] = markNotRun([damaged, refused('b_latency')]);
    expect(b.notRun).toBe('the system under test has been down since scenario a_reset (entrypoint orders: ECONNREFUSED)');
    expect(b.blame).toBe('SUT');
    expect(b.envProblem).toBeUndefined();
    expect(b.verdictPath[0]).toBe('not run: the system under test has been down since scenario a_reset (entrypoint orders: ECONNREFUSED)');
  });
  it('leaves harness problems (a missing proxy) alone, and a system down before anything ran is the environment\'s', () => {
    const t = new SystemDownTracker();
    expect(t.observe(refused('first')).notRun).toBeUndefined();
    t.observe(damaged);
    const proxy = t.observe(result('b', { verdict: 'INCONCLUSIVE-env', envProblem: 'proxy x does not exist', blame: 'environment' }));
    expect(proxy.notRun).toBeUndefined();
  });
  it('dates a system that stops answering without lasting damage found from the last scenario that ran', () => {
    // Partial damage (a share of keys locked for good) passes that scenario's own
    // check, and the system stops answering the prechecks later.
    const [, , , c, d] = markNotRun([result('a'), damaged, result('b_came_back'), refused('c'), refused('d')]);
    expect(c.notRun).toBe('the system under test has been down since scenario b_came_back (it answered before that scenario ran, and after it: entrypoint orders unhealthy before the fault: 0/3 requests succeeded (last: ECONNREFUSED))');
    expect(c.blame).toBe('SUT');
    expect(d.notRun).toBe(c.notRun);
  });
});

describe('lasting-damage pieces', () => {
  it('counts an entrypoint healthy in the baseline when at least half of the ops it answered before the fault succeeded', () => {
    const h = history([
      op({ invokeMs: 1, type: 'orders' }),
      op({ invokeMs: 2, type: 'stock', ok: false }),
      op({ invokeMs: 3, type: 'stock', ok: false }),
      op({ invokeMs: 4, type: 'stock' }),
      // Sent in the baseline, failed by the crash under the fault: not baseline evidence.
      op({ invokeMs: 9_990, completeMs: 10_400, type: 'orders', ok: false }),
      op({ invokeMs: 9_995, completeMs: 10_400, type: 'orders', ok: false }),
    ]);
    expect(healthyInBaseline(h, ['orders', 'stock'])).toEqual(['orders']);
  });
  it('keeps for the damage check the re-asked requests whose last answer was still a failure, not a 4xx or a success', () => {
    const h = history([
      op({ invokeMs: 20_100, type: 'orders', revisitOf: 1, choices: [1], ok: false, status: 503 }),
      op({ invokeMs: 20_200, type: 'orders', revisitOf: 2, choices: [2], ok: false, status: 503 }),
      op({ invokeMs: 20_300, type: 'orders', revisitOf: 1, choices: [1] }), // healed
      op({ invokeMs: 20_400, type: 'orders', revisitOf: 3, choices: [3], ok: false, status: 409 }), // refused: answered
      op({ invokeMs: 20_500, type: 'orders', revisitOf: 4, choices: [4], ok: false, timeout: true }),
      op({ invokeMs: 20_600, type: 'orders', choices: [5], ok: false, status: 503 }), // fresh, not re-asked
    ]);
    expect(stillFailingRevisits(h, ['orders'])).toEqual(new Map([['orders', [[4], [2]]]]));
    expect(stillFailingRevisits(h, ['stock']).size).toBe(0);
  });
  it('dates the damage from the first failure answered in the final run of failures', () => {
    const ops = [op({ invokeMs: 100, type: 'orders' }), op({ invokeMs: 200, type: 'orders', ok: false }), op({ invokeMs: 300, type: 'orders' }), op({ invokeMs: 12_000, type: 'orders', ok: false }), op({ invokeMs: 13_000, type: 'orders', ok: false })];
    expect(failingSinceMs(ops, 'orders')).toBe(12_010);
    expect(failingSinceMs(ops.slice(0, 3), 'orders')).toBeUndefined();
  });
});
