/**
 * The API over the real runner pieces: InProcessExecutor driving a toy
 * system through faultline's own fault proxy (startFaultProxy) via the
 * Toxiproxy client. The plan comes from the runners' toy plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../runners/execute/inprocess-executor.js';
import type { Plan } from '../../../generators/plan.js';
import { startRig, type Rig } from '../../runners/execute/rig.js';
import { harness, auth, type Harness } from '../harness.js';
import { FakePipeline } from '../fakes.js';

class ToyPipeline extends FakePipeline {
  constructor(private readonly make: () => Plan) {
    super();
  }
  override async createPlan(): Promise<Plan> {
    return this.make();
  }
}

let rig: Rig;
let h: Harness;
beforeAll(async () => {
  rig = await startRig();
  const executor = new InProcessExecutor({ injector: rig.injector, quiesceMs: 50 });
  h = await harness({}, { executor, injector: rig.injector, pipeline: new ToyPipeline(() => rig.plan({ phases: { baselineMs: 500, faultMs: 800, recoveryMs: 500 }, ratePerSec: 50 })) });
});
afterAll(async () => {
  await h?.app.close();
  await rig?.close();
});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describe('the API over a real fault proxy', () => {
  it('runs a plan against the toy system and serves a FAIL blamed on the SUT when the bug is planted', async () => {
    rig.toy.settings.bug = true;
    const plan = (await h.app.inject({ method: 'POST', url: '/v1/plans', headers: auth })).json();
    expect(plan).toMatchObject({ id: 'plan-toy', scenarios: 1 });
    const run = (await h.app.inject({ method: 'POST', url: '/v1/runs', headers: auth, payload: { planId: 'plan-toy' } })).json();
    const stages = new Set<string>();
    const done = await until(async () => {
      const r = (await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}` })).json();
      stages.add(r.progress[0].stage);
      return r;
    }, (r) => r.status !== 'queued' && r.status !== 'running');
    expect(done.status).toBe('succeeded');
    expect(stages.has('done')).toBe(true);
    const findings = (await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/findings` })).json();
    expect(findings.results[0]).toMatchObject({ scenarioId: 'orders_available_under_prices_latency', blame: 'SUT' });
    expect(findings.results[0].verdict).toMatch(/^FAIL/);
    const md = await h.app.inject({ method: 'GET', url: `/v1/runs/${run.id}/findings`, headers: { accept: 'text/markdown' } });
    expect(md.body).toBe(`# Findings ${run.id}\n\n${findings.headline}\n`);
    // No toxic is left on the proxy after the run.
    expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
  });

  it('emergency stop removes a toxic left on the real proxy', async () => {
    await rig.injector.addToxic('prices', { name: 'stuck', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 500 } });
    const res = await h.app.inject({ method: 'POST', url: '/v1/stop', headers: auth });
    expect(res.json()).toEqual({ cancelled: [], reset: true });
    expect((await rig.injector.getProxy('prices'))?.toxics).toEqual([]);
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready', checks: { proxy: 'ok' } });
  });
});
