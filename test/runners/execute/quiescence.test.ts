import { describe, expect, it } from 'vitest';
import { QuiescenceWatch, quiescencePlan, waitForQuiescence } from '../../../runners/execute/scenario/quiescence.js';
import type { ManifestProbe } from '../../../generators/manifest.js';
import type { ProbeDumpResult } from '../../../runners/execute/probes.js';

const http = (name: string, over: Partial<ManifestProbe> = {}): ManifestProbe => ({ name, type: 'http', url: `http://sut/${name}`, ...over }) as ManifestProbe;
const queue: ManifestProbe = { name: 'jobs', type: 'bullmq-queue', queue: 'emails' };
const dump = (values: Record<string, unknown>, errors: string[] = []): ProbeDumpResult => ({ values, errors });

describe('quiescencePlan', () => {
  it('defaults to every probe stable for 3 s and every queue probe empty, within 10 s', () => {
    const p = quiescencePlan([http('stock'), queue]);
    expect(p.timeoutMs).toBe(10_000);
    expect(p.describe).toBe('every probe unchanged for 3000 ms; queue jobs empty (within 10000 ms)');
  });
  it('uses what the manifest declares, globally and per probe, instead of the default', () => {
    const p = quiescencePlan([http('stock', { quiescence: { selector: '$.pending', equals: 0, timeoutMs: 3000 } }), queue], { stableForMs: 500, timeoutMs: 2000 });
    expect(p.describe).toBe('every probe unchanged for 500 ms; stock.pending = 0 (within 3000 ms)');
  });
  it('has nothing to wait for without probes', () => expect(quiescencePlan([]).conditions).toEqual([]));
  it('by default waits only for the probes the scenario reads', () => {
    const p = quiescencePlan([http('stock'), http('audit'), queue], undefined, new Set(['stock']));
    expect(p.describe).toBe('stock unchanged for 3000 ms (within 10000 ms)');
  });
  it('ignores a moving probe the scenario does not read', () => {
    const w = new QuiescenceWatch(quiescencePlan([http('stock'), http('audit')], undefined, new Set(['stock'])));
    w.observe(0, dump({ stock: 1, audit: 1 }));
    expect(w.observe(3000, dump({ stock: 1, audit: 2 }))).toEqual([]);
  });
});

describe('QuiescenceWatch', () => {
  it('needs the dumps unchanged for the whole stability time', () => {
    const w = new QuiescenceWatch(quiescencePlan([http('stock')], { stableForMs: 1000 }));
    expect(w.observe(0, dump({ stock: { qty: 5 } }))).toEqual(['probe stock changed 0 ms ago']);
    expect(w.observe(600, dump({ stock: { qty: 4 } }))).toEqual(['probe stock changed 0 ms ago']);
    expect(w.observe(1200, dump({ stock: { qty: 4 } }))).toEqual(['probe stock changed 600 ms ago']);
    expect(w.observe(1600, dump({ stock: { qty: 4 } }))).toEqual([]);
  });
  it('waits for a readiness selector to equal its value', () => {
    const w = new QuiescenceWatch(quiescencePlan([http('outbox')], { probe: 'outbox', selector: '$.pending', equals: 0 }));
    expect(w.observe(0, dump({ outbox: { pending: 3 } }))).toEqual(['outbox.pending is 3, waiting for 0']);
    expect(w.observe(10, dump({ outbox: { pending: 0 } }))).toEqual([]);
  });
  it('waits for queue probes to drain and for unreadable probes to answer', () => {
    const w = new QuiescenceWatch(quiescencePlan([queue, http('stock')], { probe: 'jobs', selector: '$.active', equals: 0 }));
    expect(w.observe(0, dump({ jobs: { waiting: 0, active: 2, delayed: 0 } }, ['probe stock (http): GET answered 502']))).toEqual([
      'probe stock (http): GET answered 502',
      'jobs.active is 2, waiting for 0',
    ]);
    const d = new QuiescenceWatch(quiescencePlan([queue]));
    expect(d.observe(0, dump({ jobs: { waiting: 4, active: 1, delayed: 0 } }))).toContain('queue jobs still holds 5 jobs');
  });
});

describe('waitForQuiescence', () => {
  it('reads the after-dump once the state settled, and records how long that took', async () => {
    let pending = 3;
    const plan = quiescencePlan([http('outbox')], { probe: 'outbox', selector: '$.pending', equals: 0, timeoutMs: 5000 });
    const t0 = Date.now();
    const { record, last } = await waitForQuiescence(async () => dump({ outbox: { pending: Math.max(0, pending--) } }), plan, () => Date.now() - t0);
    expect(record.reached).toBe(true);
    expect(record.waitedMs).toBeGreaterThanOrEqual(500);
    expect(last.values).toEqual({ outbox: { pending: 0 } });
  });
  it('gives up at the bound and says what was still moving', async () => {
    let n = 0;
    const plan = quiescencePlan([http('stock')], { stableForMs: 1000, timeoutMs: 400 });
    const t0 = Date.now();
    const { record, last } = await waitForQuiescence(async () => dump({ stock: { qty: n++ } }), plan, () => Date.now() - t0);
    expect(record).toMatchObject({ reached: false, condition: 'every probe unchanged for 1000 ms (within 400 ms)', detail: 'probe stock changed 0 ms ago' });
    expect(record.waitedMs).toBeGreaterThanOrEqual(400);
    expect(last.values.stock).toEqual({ qty: n - 1 });
  });
  it('stops waiting early when no probe can be read at all: a dead system does not settle', async () => {
    const plan = quiescencePlan([http('stock')]);
    const t0 = Date.now();
    const { record } = await waitForQuiescence(async () => dump({}, ['probe stock (http): fetch failed']), plan, () => Date.now() - t0);
    expect(record).toMatchObject({ reached: false, detail: 'probe stock (http): fetch failed' });
    expect(record.waitedMs).toBeGreaterThanOrEqual(2000);
    expect(record.waitedMs).toBeLessThan(plan.timeoutMs);
  });
});
