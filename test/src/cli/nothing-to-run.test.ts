/**
 * Empty is not success: `faultline run` on a plan with no scenario, or an
 * `--only` that selects none, exits non-zero with why and the fix in one
 * line, before anything is started; each kind of empty plan names its fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { emptyPlanReason, emptyRunReason, emptySelectionReason } from '../../../src/nothing-to-run.js';
import type { Plan } from '../../../generators/plan.js';
import { toyPlan } from '../../runners/execute/toy-plan.js';
import { FakeExecutor, findingsFor, plan as fakePlan } from '../fakes.js';
import { RunManager } from '../../../src/api/run-manager.js';
import { MemoryArtifactStore } from '../../../src/store/memory-artifact-store.js';
import { silentLog } from '../../../src/log.js';
import { isFaultlineError } from '../../../base/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-empty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({ FAULTLINE_DATA_DIR: dir }, o) };
}

const toy = (): Plan => toyPlan({ frontUrl: 'http://127.0.0.1:9', proxyListen: '127.0.0.1:9', pricesAddress: '127.0.0.1:9' });

describe('faultline run on nothing', () => {
  it('exits 1 on a plan with no scenario, with why and the fix in one line, and starts nothing', async () => {
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ ...toy(), scenarios: [] }));
    const io = cli();
    expect(await main(['run', 'empty.json', '--out-dir', 'out'], io)).toBe(1);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/^faultline: EMPTY: plan plan-toy has no scenario: .*; fix: .*$/m);
    expect(err).not.toContain('running plan');
    expect(io.stdout).toEqual([]);
  });

  it('exits 1 when --only names no scenario of the plan, listing the ones it has', async () => {
    writeFileSync(join(dir, 'toy.json'), JSON.stringify(toy()));
    const io = cli();
    expect(await main(['run', 'toy.json', '--only', 'no_such_scenario', '--out-dir', 'out'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/faultline: EMPTY: --only no_such_scenario matches no scenario of plan plan-toy; fix: name scenario ids of the plan: orders_available_under_prices_latency$/m);
  });
});

describe('why a plan is empty', () => {
  it('names the first missing piece: traced calls, claims, proxies, proxies on traced edges', () => {
    const p = { ...toy(), scenarios: [] };
    expect(emptyPlanReason({ ...p, architecture: { ...p.architecture, edges: 0 } })).toMatch(/no call between services.*fix: read traces that cover real traffic/);
    expect(emptyPlanReason({ ...p, claims: [] })).toMatch(/no claim to test; fix: add claims/);
    expect(emptyPlanReason({ ...p, proxies: [] })).toMatch(/no proxy to put a fault on; fix: add proxies:/);
    const unmatched = { entrypoints: [], proxies: p.proxies.map((x) => ({ proxy: x.name, reason: 'edge a->b is not in the graph', candidates: [] })) };
    expect(emptyPlanReason({ ...p, unmatched })).toMatch(/no proxy of the manifest sits on a traced edge \(prices: edge a->b is not in the graph\); fix: /);
    expect(emptyPlanReason(toy())).toBeUndefined();
  });

  it('lets --only through when any id matches', () => {
    expect(emptySelectionReason(toy(), ['orders_available_under_prices_latency', 'typo'])).toBeUndefined();
    expect(emptySelectionReason(toy(), undefined)).toBeUndefined();
  });

  it('calls a run empty when it executed no scenario, or the system was down for all of them', () => {
    const p = fakePlan([{ id: 'a', edge: 'x->y', claims: ['c'] }]);
    const f = findingsFor(p, 'run-1', {});
    expect(emptyRunReason(f)).toBeUndefined();
    expect(emptyRunReason({ ...f, results: [] })).toMatch(/^run run-1 executed no scenario/);
    expect(emptyRunReason({ ...f, results: [{ ...f.results[0], notRun: 'the system under test has been down since scenario z' }] })).toMatch(/executed no scenario: the system under test has been down since scenario z; fix: bring the system under test up/);
  });
});

describe('a run of nothing over the API', () => {
  it('is refused with EMPTY (422) and why, and nothing is recorded or executed', async () => {
    const store = new MemoryArtifactStore();
    const executor = new FakeExecutor();
    const runs = new RunManager({ store, executor, clock: { now: () => new Date(Date.UTC(2026, 0, 1)) }, log: silentLog });
    const empty = { ...toy(), scenarios: [] };
    await expect(runs.start(empty)).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'EMPTY') && e.statusCode === 422 && /has no scenario/.test(e.message));
    await expect(runs.start(toy(), { only: ['typo'] })).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'EMPTY') && /--only typo matches no scenario/.test(e.message));
    expect(await store.list('runs')).toEqual([]);
    expect(executor.calls).toEqual([]);
  });
});
