import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScenario } from '../../../runners/execute/scenario/index.js';
import { planContext } from '../../../runners/execute/scenario/context.js';
import type { FaultInjector, ToxicSpec } from '../../../runners/faults/fault-injector.js';
import type { TraceQuery, TraceSource } from '../../../ingest/trace-source.js';
import type { Span } from '../../../ingest/span.js';
import { startRig, type Rig } from './rig.js';

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(async () => {
  await rig.close();
});

/** Our FaultInjector interface over the real one, with parts swapped out. */
function wrapped(inner: FaultInjector, over: Partial<FaultInjector>): FaultInjector {
  return {
    describe: inner.describe,
    version: () => inner.version(),
    ensureProxy: (s) => inner.ensureProxy(s),
    getProxy: (n) => inner.getProxy(n),
    listProxies: () => inner.listProxies(),
    addToxic: (p, t) => inner.addToxic(p, t),
    removeToxic: (p, t) => inner.removeToxic(p, t),
    setEnabled: (p, e, t) => inner.setEnabled(p, e, t),
    reset: () => inner.reset(),
    counters: (p) => inner.counters(p),
    ...over,
  };
}

/** Our TraceSource interface over the spans the toy front recorded. */
function toyTraces(spans: Span[], queries: TraceQuery[]): TraceSource {
  return {
    describe: 'toy spans',
    async *read(q) {
      queries.push(q);
      yield spans.filter((s) => s.startUs >= q.startUs && s.startUs < q.endUs);
    },
  };
}

const quick = { phases: { baselineMs: 500, faultMs: 800, recoveryMs: 500 }, ratePerSec: 50 };

describe('scenario coordinator', () => {
  it('turns an unexpected exception in a step into INCONCLUSIVE-env with the reason, and still removes the toxic', async () => {
    const added: string[] = [];
    const crashing = wrapped(rig.injector, {
      async addToxic(p: string, t: ToxicSpec) {
        await rig.injector.addToxic(p, t);
        added.push(t.name);
      },
      // The toxic does go, but the call then throws something no step expects.
      async removeToxic(p: string, t: string) {
        await rig.injector.removeToxic(p, t);
        throw new Error('API hiccup after removing');
      },
    });
    const plan = rig.plan(quick);
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: crashing, quiesceMs: 50 });
    expect(r.verdict).toBe('INCONCLUSIVE-env');
    expect(r.blame).toBe('environment');
    expect(r.envProblem).toBe('scenario crashed: INTERNAL: API hiccup after removing');
    expect(added).toEqual(['faultline-local-orders_available_under_prices_latency']);
    expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
  });

  it('proves landing from per-phase spans when the proxy has no counters (a real Toxiproxy)', async () => {
    const queries: TraceQuery[] = [];
    // Generous against a loaded host, still far below the 1000 ms toxic.
    rig.toy.settings.upstreamTimeoutMs = 600;
    const injector = wrapped(rig.injector, { counters: async () => undefined });
    const plan = rig.plan(quick);
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector, traceSource: toyTraces(rig.toy.spans, queries), quiesceMs: 50 });
    // One read over the whole attempt; the phases come from the traces of the ops themselves.
    expect(queries).toHaveLength(1);
    expect(r.landing.source).toBe('traces');
    expect(r.landing.proven).toBe(true);
    expect(r.landing.evidence[0]).toMatch(/^edge front->prices /);
    const phases = r.boundaries.filter((b) => b.edge === 'front->prices').map((b) => b.phase);
    expect(phases).toEqual(['baseline', 'fault', 'recovery']);
    const fault = r.boundaries.find((b) => b.edge === 'front->prices' && b.phase === 'fault')!;
    // Phases follow the ops. Ops invoked in the last upstream-timeout of the
    // fault finish after the toxic is gone: as in Toxiproxy, removing a
    // latency toxic releases the data it held, so those succeed.
    expect(fault.errorRate).toBeGreaterThan(0.2);
    expect(fault.errorRate).toBeGreaterThan(r.boundaries.find((b) => b.edge === 'front->prices' && b.phase === 'baseline')!.errorRate);
    expect(r.verdict.startsWith('PASS')).toBe(true);
  });

  it('ties the spans of each phase to the trace ids of the ops invoked in it', async () => {
    const injector = wrapped(rig.injector, { counters: async () => undefined });
    const plan = rig.plan(quick);
    // Background traffic on the same edge in the same time window is not the scenario's.
    const ops = toyTraces(rig.toy.spans, []);
    const withNoise: TraceSource = {
      describe: 'toy spans and background traffic',
      async *read(q, w, signal) {
        yield* ops.read(q, w, signal);
        yield Array.from({ length: 40 }, (_, i) => ({ ...rig.toy.spans[0], traceId: `feed${String(i).padStart(28, '0')}`, spanId: `b${i}`, startUs: q.startUs + 1_000_000, status: 'error' as const }));
      },
    };
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector, traceSource: withNoise, quiesceMs: 50 });
    const calls = r.boundaries.filter((b) => b.edge === 'front->prices').reduce((n, b) => n + b.calls, 0);
    const faultOps = r.metrics.find((m) => m.phase === 'fault')!.ops;
    expect(r.boundaries.find((b) => b.edge === 'front->prices' && b.phase === 'fault')!.calls).toBe(faultOps);
    expect(calls).toBe(r.metrics.reduce((n, m) => n + m.ops, 0));
  });

  it('scales phases with phaseScale and then passes at most as a smoke test', async () => {
    const plan = rig.plan({ phases: { baselineMs: 1000, faultMs: 1600, recoveryMs: 1000 }, ratePerSec: 50 });
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, phaseScale: 0.5, quiesceMs: 50 });
    expect(r.verdict).toBe('PASS-smoke');
    expect(r.verdictPath.at(-1)).toContain('phases scaled down');
    const faultOps = r.metrics.find((m) => m.phase === 'fault')!.ops;
    // 0.8 s at 50/s ≈ 40 ops: far fewer than the unscaled 1.6 s would give.
    expect(faultOps).toBeGreaterThan(10);
    expect(faultOps).toBeLessThan(70);
  });

  it('records a halting abort in the result and still fails the scenario on the anomaly found before it', async () => {
    rig.toy.settings.bug = true;
    const plan = rig.plan({ phases: { baselineMs: 500, faultMs: 4000, recoveryMs: 400 }, halting: [{ entrypoint: 'orders', maxErrorRate: 0.5, windowMs: 1000, scope: 'always' }] });
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    expect(r.abort?.condition).toMatch(/on orders/);
    expect(r.abort?.abortLatencyMs).toBeGreaterThanOrEqual(0);
    expect(r.verdictPath[0]).toMatch(/^halting guard removed the fault early/);
    expect(r.verdict).toBe('FAIL-reproducible');
    expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
  });

  /** An injector that switches the toy's bug on for the listed attempts only (1-based): a bug that shows sometimes. */
  function flakyBug(on: number[]): FaultInjector {
    let attempt = 0;
    return wrapped(rig.injector, {
      async addToxic(p: string, t: ToxicSpec) {
        rig.toy.settings.bug = on.includes(++attempt);
        await rig.injector.addToxic(p, t);
      },
    });
  }

  it('re-runs a FAIL whose first re-run passed once more, and calls it reproducible when that one fails', async () => {
    const plan = rig.plan(quick);
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: flakyBug([1, 3]), quiesceMs: 50 });
    expect(r.attempts).toBe(3);
    expect(r.verdict).toBe('FAIL-reproducible');
    expect(r.verdictPath.at(-1)).toBe('same-seed re-run 2 failed again (1 before it passed)');
  });

  it('calls a FAIL nondeterministic only when both re-runs passed', async () => {
    const plan = rig.plan(quick);
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: flakyBug([1]), quiesceMs: 50 });
    expect(r.attempts).toBe(3);
    expect(r.verdict).toBe('FAIL-nondeterministic');
    expect(r.verdictPath.at(-1)).toBe('2 same-seed re-runs passed');
  });
});

describe('watched invariants', () => {
  const watchPlan = (watch: Parameters<typeof planContext>[0]['scenarios'][0]['watch']) => {
    const plan = rig.plan(quick);
    plan.quiescence = { stableForMs: 300, timeoutMs: 3000 };
    plan.scenarios[0] = { ...plan.scenarios[0], watch };
    return plan;
  };

  it('FAILs a scenario whose fault broke an invariant it was not aimed at, and says so', async () => {
    // Orders are added during the run, so a count "conserved" over them is broken by construction.
    const plan = watchPlan([{ claimId: 'orders_count_fixed', check: { type: 'conservation', probe: 'orders', selector: '$.orders[*].price', aggregate: 'count' } }]);
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    expect(r.verdict).toMatch(/^FAIL-/);
    expect(r.blame).toBe('SUT');
    expect(r.checks.map((c) => [c.claimId, c.ok])).toEqual([['orders_available', true], ['orders_count_fixed', false]]);
    expect(r.verdictPath).toContain("orders_count_fixed: watched, not this scenario's aim; an invariant every scenario checks broke under this fault");
  });

  it('leaves the verdict to the aimed claim when a watched invariant holds or cannot judge here', async () => {
    const plan = watchPlan([
      { claimId: 'orders_once', check: { type: 'at-most-once', probe: 'orders', selector: '$.orders[*].requestKey' } },
      { claimId: 'refunds_once', check: { type: 'exactly-once', probe: 'orders', selector: '$.orders[*].requestKey', entrypoint: 'refunds' } },
    ]);
    const r = await runScenario(plan.scenarios[0], planContext(plan), { injector: rig.injector, quiesceMs: 50 });
    // The quick phases make it a smoke test; what matters is that watching did not weaken or fail it.
    expect(r.verdict).toBe('PASS-smoke');
    expect(r.checks.map((c) => c.claimId)).toEqual(['orders_available']);
    expect(r.verdictPath.join(' ')).not.toMatch(/watched|refunds_once|orders_once/);
  });
});
