import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, auth, type Harness } from '../harness.js';
import { MANIFEST_YAML } from '../fakes.js';

// Response bodies are checked by value below; typed loosely on purpose.
const asAny = (x: unknown): any => x;

let h: Harness;
beforeAll(async () => {
  h = await harness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => h.app.close());

const base = () => {
  const addr = h.app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
};

async function poll<T>(fn: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('plan → run → findings over a real listener', () => {
  it('creates a plan from the configured manifest, runs it, reports progress and serves findings in both formats', async () => {
    const created = await fetch(`${base()}/v1/plans`, { method: 'POST', headers: auth });
    expect(created.status).toBe(201);
    const plan = await created.json().then(asAny);
    expect(plan).toMatchObject({ system: 'shop', generator: 'rule', scenarios: 1, claims: 1 });
    expect(created.headers.get('location')).toBe(`/v1/plans/${plan.id}`);
    expect(existsSync(join(h.dataDir, 'plans', `${plan.id}.json`))).toBe(true);
    expect(readFileSync(join(h.dataDir, 'plans', `${plan.id}.md`), 'utf8')).toBe(`# Plan ${plan.id}\n\n1 scenario(s)\n`);

    const md = await fetch(`${base()}/v1/plans/${plan.id}`, { headers: { accept: 'text/markdown' } });
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await md.text()).toBe(`# Plan ${plan.id}\n\n1 scenario(s)\n`);
    const json = await (await fetch(`${base()}/v1/plans/${plan.id}`)).json().then(asAny);
    expect(json.scenarios[0].id).toBe('checkout_recovers_from_payments_latency');

    let release!: () => void;
    h.executor.gate = new Promise((r) => (release = r));
    h.executor.verdicts = { checkout_recovers_from_payments_latency: 'FAIL-reproducible' };
    const started = await fetch(`${base()}/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ planId: plan.id, phaseScale: 0.5 }) });
    expect(started.status).toBe(202);
    const run = await started.json().then(asAny);
    expect(run).toMatchObject({ planId: plan.id, status: 'queued', total: 1, options: { phaseScale: 0.5 } });

    const running = await poll(async () => (await fetch(`${base()}/v1/runs/${run.id}`)).json().then(asAny), (r) => r.progress[0].stage === 'fault');
    expect(running.status).toBe('running');
    const early = await fetch(`${base()}/v1/runs/${run.id}/findings`);
    expect(early.status).toBe(409);
    release();

    const finished = await poll(async () => (await fetch(`${base()}/v1/runs/${run.id}`)).json().then(asAny), (r) => r.status !== 'running');
    expect(finished).toMatchObject({ status: 'succeeded', counts: { 'FAIL-reproducible': 1 }, progress: [{ scenarioId: 'checkout_recovers_from_payments_latency', stage: 'done', detail: 'FAIL-reproducible' }] });
    expect(h.executor.calls.at(-1)).toMatchObject({ runId: run.id, phaseScale: 0.5 });

    const findings = await (await fetch(`${base()}/v1/runs/${run.id}/findings`)).json().then(asAny);
    expect(findings).toMatchObject({ runId: run.id, planId: plan.id, headline: '1 failing of 1' });
    const fmd = await fetch(`${base()}/v1/runs/${run.id}/findings`, { headers: { accept: 'text/markdown' } });
    expect(await fmd.text()).toBe(`# Findings ${run.id}\n\n1 failing of 1\n`);

    const list = await (await fetch(`${base()}/v1/runs?status=succeeded&planId=${plan.id}`)).json().then(asAny);
    expect(list.runs.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect((await (await fetch(`${base()}/v1/runs?status=failed`)).json().then(asAny)).runs).toEqual([]);
    const plans = await (await fetch(`${base()}/v1/plans?limit=5`)).json().then(asAny);
    expect(plans.plans[0].id).toBe(plan.id);

    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toContain('faultline_runs_total{status="succeeded"} 1');
    expect(metrics).toContain('faultline_scenarios_total{verdict="FAIL-reproducible"} 1');
  });

  it('creates a plan from an uploaded YAML manifest and reports a bad one with its key', async () => {
    const ok = await fetch(`${base()}/v1/plans`, { method: 'POST', headers: { ...auth, 'content-type': 'application/yaml' }, body: MANIFEST_YAML.replace('name: shop', 'name: bookstore') });
    expect(ok.status).toBe(201);
    expect((await ok.json().then(asAny)).system).toBe('bookstore');
    const bad = await fetch(`${base()}/v1/plans`, { method: 'POST', headers: { ...auth, 'content-type': 'application/yaml' }, body: 'version: 2\n' });
    expect(bad.status).toBe(400);
    expect(await bad.json().then(asAny)).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'version' } });
  });

  it('rejects a run of an unknown plan or unknown scenarios', async () => {
    const missing = await fetch(`${base()}/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ planId: 'plan-none' }) });
    expect(missing.status).toBe(404);
    const [p] = (await (await fetch(`${base()}/v1/plans`)).json().then(asAny)).plans;
    const only = await fetch(`${base()}/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ planId: p.id, only: ['ghost'] }) });
    expect(only.status).toBe(400);
    expect((await only.json().then(asAny)).detail).toContain('only');
  });

  it('serves the latest graph as JSON and Mermaid', async () => {
    const g = await (await fetch(`${base()}/v1/graph`)).json().then(asAny);
    expect(g.schemaVersion).toBe(1);
    expect(g.graph.edges.map((e: { id: string }) => e.id)).toEqual(['frontend->checkout', 'checkout->payments']);
    expect(g.ranking.items[0].edge).toBe('frontend->checkout');
    const m = await (await fetch(`${base()}/v1/graph?format=mermaid`)).text();
    expect(m).toBe('flowchart LR\n  frontend --> checkout\n  checkout --> payments');
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await (await fetch(`${base()}/docs/json`)).json().then(asAny);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/plans', '/v1/runs', '/v1/runs/{id}', '/v1/runs/{id}/findings', '/v1/graph', '/v1/schedules', '/v1/sweeps', '/v1/stop', '/v1/claims/{id}/trend']));
    expect((await fetch(`${base()}/docs`)).status).toBe(200);
  });

  it('reports readiness per dependency', async () => {
    expect(await (await fetch(`${base()}/readyz`)).json().then(asAny)).toEqual({ status: 'ready', checks: { proxy: 'ok' } });
    h.injector.down = true;
    try {
      const res = await fetch(`${base()}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json().then(asAny)).toMatchObject({ code: 'NOT_READY', details: { checks: { proxy: 'fake proxy is down' } } });
    } finally {
      h.injector.down = false;
    }
    expect(await (await fetch(`${base()}/healthz`)).json().then(asAny)).toEqual({ status: 'ok' });
  });

  it('emergency stop cancels running runs and removes every toxic', async () => {
    const [p] = (await (await fetch(`${base()}/v1/plans`)).json().then(asAny)).plans;
    await h.injector.ensureProxy({ name: 'payments', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' });
    await h.injector.addToxic('payments', { name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100 } });
    h.executor.gate = new Promise(() => {});
    const run = await (await fetch(`${base()}/v1/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ planId: p.id }) })).json().then(asAny);
    const stop = await fetch(`${base()}/v1/stop`, { method: 'POST', headers: auth });
    expect(stop.status).toBe(200);
    expect(await stop.json().then(asAny)).toEqual({ cancelled: [run.id], reset: true });
    expect(h.injector.activeToxics()).toBe(0);
    const after = await (await fetch(`${base()}/v1/runs/${run.id}`)).json().then(asAny);
    expect(after.status).toBe('cancelled');
    h.executor.gate = undefined;
  });
});
