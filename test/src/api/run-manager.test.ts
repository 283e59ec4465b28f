import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../../src/store/memory-artifact-store.js';
import { RunManager } from '../../../src/api/run-manager.js';
import { silentLog } from '../../../src/log.js';
import { systemClock } from '../../../src/store/artifact-id.js';
import { fail } from '../../../base/errors.js';
import { FakeExecutor, plan } from '../fakes.js';

const twoScenarios = () => plan([{ id: 's1', edge: 'a->b', claims: ['c1'] }, { id: 's2', edge: 'b->c', claims: ['c2'] }]);

describe('run manager', () => {
  it('records only the selected scenarios and passes options to the executor', async () => {
    const store = new MemoryArtifactStore();
    const executor = new FakeExecutor();
    const runs = new RunManager({ store, executor, clock: systemClock, log: silentLog });
    const { record, done } = await runs.start(twoScenarios(), { only: ['s2'], phaseScale: 0.2 });
    expect(record).toMatchObject({ status: 'queued', total: 1, progress: [{ scenarioId: 's2', stage: 'queued' }] });
    const final = await done;
    expect(final).toMatchObject({ status: 'succeeded', counts: { 'PASS-hardening': 1 } });
    expect(executor.calls[0]).toMatchObject({ only: ['s2'], phaseScale: 0.2 });
    expect((await store.get('findings', record.id))?.results.map((r) => r.scenarioId)).toEqual(['s2']);
  });

  it('marks a run failed with the code of an environment error, and hides unexpected error text', async () => {
    const store = new MemoryArtifactStore();
    const executor = new FakeExecutor();
    const runs = new RunManager({ store, executor, clock: systemClock, log: silentLog });
    executor.error = fail('PROXY_UNAVAILABLE', 'proxy down');
    expect((await (await runs.start(twoScenarios())).done).error).toEqual({ code: 'PROXY_UNAVAILABLE', message: 'proxy down' });
    executor.error = new TypeError('cannot read properties of undefined (secret.ts:3)');
    const r = await (await runs.start(twoScenarios())).done;
    expect(r).toMatchObject({ status: 'failed', error: { code: 'INTERNAL', message: 'the executor failed unexpectedly' } });
    expect(runs.activeRuns()).toEqual([]);
  });
});
