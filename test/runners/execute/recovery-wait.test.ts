import { describe, expect, it } from 'vitest';
import type { ClaimCheck, RecoverySettings } from '../../../claims/claim.js';
import type { History, Op } from '../../../claims/history.js';
import type { Scenario } from '../../../generators/plan.js';
import { recoveryEvidence } from '../../../runners/execute/scenario/recovery-wait.js';
import { toyPlan } from './toy-plan.js';

// The recovery phase of a scenario ends when its evidence is complete:
// every entrypoint back in band and held, or past the recovery bound its
// claim names with no recovery inside it. Baseline 0–5 s, fault 5–10 s,
// recovery from 10 s; one op per entrypoint every 100 ms, 20 ms each.
const SETTINGS: RecoverySettings = { windowMs: 1000, bandFactor: 1.5, errorSlack: 0.05, holdMs: 2000 };
const FAULT_END = 10_000;

function history(): History {
  return {
    schemaVersion: 1,
    startedAtUnixMs: 0,
    ops: [],
    phases: { baseline: { startMs: 0, endMs: 5000 }, fault: { startMs: 5000, endMs: FAULT_END }, recovery: { startMs: FAULT_END, endMs: 0 } },
    probes: { before: {}, after: {} },
  };
}

/** Ops of one entrypoint from 0 to `untilMs`; `okAfter(t)` says whether an op invoked at t succeeds. */
function ops(type: string, untilMs: number, okAfter: (t: number) => boolean): Op[] {
  const out: Op[] = [];
  for (let t = 0; t < untilMs; t += 100) {
    const epoch = t < 5000 ? 'baseline' : t < FAULT_END ? 'fault' : 'recovery';
    out.push({ id: out.length, process: 0, type, ok: okAfter(t), timeout: false, invokeMs: t, completeMs: t + 20, epoch });
  }
  return out;
}

function scenario(checks: ClaimCheck[], entrypoints: string[]): Scenario {
  const base = toyPlan({ frontUrl: 'http://127.0.0.1:1', proxyListen: '127.0.0.1:2', pricesAddress: '127.0.0.1:3' }).scenarios[0];
  return {
    ...base,
    workload: { ...base.workload, entrypoints: entrypoints.map((name) => ({ name, weight: 1 })) },
    oracle: checks.map((check, i) => ({ claimId: `c${i}`, check })),
  };
}

const recovers = (withinMs: number, entrypoint = 'orders'): ClaimCheck => ({ type: 'recovery', entrypoint, withinMs });
const healthyExceptFault = (t: number) => t < 5000 || t >= FAULT_END;
const neverBack = (t: number) => t < 5000;

describe('the recovery phase ends when its evidence is complete', () => {
  it('ends once every entrypoint is back in its band and has held there', () => {
    const s = scenario([recovers(5000)], ['orders']);
    const issued = ops('orders', 13_200, healthyExceptFault);
    expect(recoveryEvidence({ scenario: s, history: history(), issued, settings: SETTINGS }, 13_200)).toMatch(/back in its band and had held there/);
  });

  it('keeps going while an entrypoint is out of band and no claim bounds its recovery', () => {
    const s = scenario([{ type: 'availability', entrypoint: 'orders', maxErrorRate: 0.05, phase: 'fault' }], ['orders']);
    const issued = ops('orders', 24_000, neverBack);
    expect(recoveryEvidence({ scenario: s, history: history(), issued, settings: SETTINGS }, 24_000)).toBeUndefined();
  });

  it('does not call a recovery bound missed before the bound, its hold and a window have all been seen', () => {
    const s = scenario([recovers(5000)], ['orders']);
    // 10 s + 5 s bound + 2 s hold + 1 s window = 18 s.
    const issued = ops('orders', 17_900, neverBack);
    expect(recoveryEvidence({ scenario: s, history: history(), issued, settings: SETTINGS }, 17_900)).toBeUndefined();
  });

  it('ends once an entrypoint has irrevocably missed the recovery bound its claim names', () => {
    const s = scenario([recovers(5000)], ['orders']);
    const issued = ops('orders', 18_100, neverBack);
    expect(recoveryEvidence({ scenario: s, history: history(), issued, settings: SETTINGS }, 18_100)).toMatch(/orders \(5000 ms\) had already missed the recovery bound/);
  });

  it('does not look past an op still in flight: its answer could still move the recovery', () => {
    const s = scenario([recovers(5000)], ['orders']);
    const issued = ops('orders', 18_100, neverBack);
    const stuck = issued.find((o) => o.invokeMs === 16_000)!;
    stuck.completeMs = 0;
    expect(recoveryEvidence({ scenario: s, history: history(), issued, settings: SETTINGS }, 18_100)).toBeUndefined();
  });

  it('waits for an entrypoint without a recovery claim even when another one has missed its bound', () => {
    const s = scenario([recovers(5000, 'orders')], ['orders', 'stock']);
    const issued = [...ops('orders', 18_100, neverBack), ...ops('stock', 18_100, neverBack)].sort((a, b) => a.invokeMs - b.invokeMs);
    expect(recoveryEvidence({ scenario: s, history: history(), issued, settings: SETTINGS }, 18_100)).toBeUndefined();
    const mixed = [...ops('orders', 18_100, neverBack), ...ops('stock', 18_100, healthyExceptFault)].sort((a, b) => a.invokeMs - b.invokeMs);
    expect(recoveryEvidence({ scenario: s, history: history(), issued: mixed, settings: SETTINGS }, 18_100)).toMatch(/every other entrypoint was back/);
  });
});
