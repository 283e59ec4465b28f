/**
 * Empty is not success: a sweep whose traces fell outside its lookback, or
 * whose plan has no scenario, ends `empty` with why and the fix — never
 * `succeeded` with an empty table — and runs nothing.
 */
import { describe, expect, it } from 'vitest';
import type { GraphSnapshot } from '../../../graph/model.js';
import type { Manifest } from '../../../generators/manifest.js';
import { MemoryArtifactStore } from '../../../src/store/memory-artifact-store.js';
import { RunManager } from '../../../src/api/run-manager.js';
import { runSweep, type SweepDeps } from '../../../src/sweeps/sweep.js';
import { buildDigest } from '../../../src/sweeps/digest.js';
import { silentLog } from '../../../src/log.js';
import type { Clock } from '../../../src/store/artifact-id.js';
import { FakeExecutor, FakePipeline, manifest } from '../fakes.js';

/** A pipeline whose trace window held no span at all. */
class NoSpansPipeline extends FakePipeline {
  override async buildGraph(): Promise<GraphSnapshot> {
    return { ...(await super.buildGraph()), spans: 0, traces: 0, nodes: [], edges: [] };
  }
}

function setup(pipeline: FakePipeline) {
  let t = Date.UTC(2025, 0, 6, 3, 0, 0);
  const clock: Clock = { now: () => new Date((t += 1000)) };
  const store = new MemoryArtifactStore();
  const executor = new FakeExecutor();
  const runs = new RunManager({ store, executor, clock, log: silentLog });
  const deps: SweepDeps = { store, pipeline, runs, clock, log: silentLog };
  return { executor, deps, store };
}

const jaeger = (): Manifest => ({ ...manifest(), traces: { type: 'jaeger', url: 'http://jaeger.test:16686', lookback: '2h' } } as Manifest);

describe('an empty sweep', () => {
  it('says the traces fell outside the lookback, names the source and the fix, and runs nothing', async () => {
    const { executor, deps, store } = setup(new NoSpansPipeline());
    const record = await runSweep(deps, jaeger(), { trigger: 'api' });
    expect(record.status).toBe('empty');
    expect(record.error).toEqual({ code: 'EMPTY', message: expect.stringMatching(/^no span in the last 2h of jaeger http:\/\/jaeger\.test:16686: the traces fell outside the lookback .*; fix: widen traces\.lookback/) });
    expect(record.runId).toBeUndefined();
    expect(executor.calls).toHaveLength(0);
    expect((await store.get('sweeps', record.id))?.status).toBe('empty');
    // The digest says so in its headline instead of "no findings".
    expect(buildDigest({ sweep: record, previous: [] }).text).toContain('nothing tested: no span in the last 2h');
  });

  it('is empty when the plan has no scenario, and says which fix applies', async () => {
    const pipeline = new FakePipeline();
    pipeline.scenarios = [];
    const { executor, deps } = setup(pipeline);
    const record = await runSweep(deps, manifest(), { trigger: 'cli' });
    expect(record).toMatchObject({ status: 'empty', error: { code: 'EMPTY', message: expect.stringMatching(/has no scenario: .*; fix: /) } });
    expect(executor.calls).toHaveLength(0);
  });

  it('still succeeds when the window had spans and the plan scenarios', async () => {
    const { deps } = setup(new FakePipeline());
    expect((await runSweep(deps, jaeger(), { trigger: 'cli' })).status).toBe('succeeded');
  });
});
