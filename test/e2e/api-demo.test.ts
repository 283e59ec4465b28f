import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startDemo, type RunningDemo } from '../../examples/demo/index.js';
import { driveTraffic } from '../../examples/demo/traffic.js';
import { startFaultProxy, type RunningFaultProxy } from '../../runners/proxy/server.js';
import { loadConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startRedis, type PrivateRedis } from '../support/redis.js';

// The service as a platform team deploys it, against the demo shop: the
// shop exports its traces to faultline's OTLP receiver and reaches its
// dependencies through a Toxiproxy-compatible server that faultline drives
// (TOXIPROXY_URL); a plan is created, run and read back over the REST API.
const auth = { authorization: 'Bearer e2e-token' };
let redis: PrivateRedis | undefined;
let proxy: RunningFaultProxy | undefined;
let server: RunningServer | undefined;
let demo: RunningDemo | undefined;

beforeAll(async () => {
  redis = await startRedis();
  proxy = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'faultline-api-demo-'));
  const manifestPath = join(dir, 'faultline.yaml');
  const config = loadConfig({ FAULTLINE_API_TOKENS: 'e2e-token', TOXIPROXY_URL: proxy.url }, { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0 });
  server = await startServer(config, { manifestPath, baseDir: dir, log: silentLog, sweepWorker: false });
  demo = await startDemo({ bugs: 'all', redisUrl: redis.url, otlpEndpoint: server.url, proxyUrl: proxy.url });
  writeFileSync(manifestPath, stringify(demo.manifest));
}, 120_000);

afterAll(async () => {
  await demo?.stop();
  await server?.stop({ graceMs: 1000 });
  await proxy?.close();
  await redis?.stop();
}, 60_000);

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server!.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

describe('the REST API on the demo shop', () => {
  it('plans from traces pushed over OTLP, runs a scenario, reports progress and serves findings as JSON and Markdown', async () => {
    await driveTraffic(demo!.gatewayUrl, { requests: 300, concurrency: 8, seed: 5 });
    // The exporters batch: wait until the receiver's span count stops growing.
    let last = -1;
    for (let i = 0; i < 60; i++) {
      const metrics = await api<string>('/metrics');
      const spans = Number(/^faultline_ingest_spans (\d+)/m.exec(metrics.body)?.[1] ?? 0);
      if (spans > 0 && spans === last) break;
      last = spans;
      await new Promise((r) => setTimeout(r, 700));
    }
    const created = await api<{ id: string }>('/v1/plans?graph=fresh', { method: 'POST', headers: auth });
    expect(created.status).toBe(201);
    const plan = await api<{ scenarios: { id: string; claims: string[]; target: { edge: string } }[] }>(`/v1/plans/${created.body.id}`);
    const cache = plan.body.scenarios.find((s) => s.claims.includes('stock_reads_available_while_cache_degraded'));
    expect(cache?.target.edge).toBe('inventory->redis');
    const planMd = await api<string>(`/v1/plans/${created.body.id}`, { headers: { accept: 'text/markdown' } });
    expect(planMd.body).toContain('stock_reads_available_while_cache_degraded');

    const started = await api<{ id: string }>('/v1/runs', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ planId: created.body.id, only: [cache!.id] }),
    });
    expect(started.status).toBe(202);
    const stages = new Set<string>();
    let run: { status: string; progress: { stage: string }[] } = { status: 'queued', progress: [] };
    for (let i = 0; i < 240 && (run.status === 'queued' || run.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      run = (await api<typeof run>(`/v1/runs/${started.body.id}`)).body;
      for (const p of run.progress) stages.add(p.stage);
    }
    expect(run.status).toBe('succeeded');
    expect([...stages]).toEqual(expect.arrayContaining(['fault', 'done']));

    const findings = await api<{ results: { scenarioId: string; verdict: string; blame: string }[]; headline: string }>(`/v1/runs/${started.body.id}/findings`);
    expect(findings.body.results).toEqual([expect.objectContaining({ scenarioId: cache!.id, blame: 'SUT', verdict: expect.stringMatching(/^FAIL-/) })]);
    const md = await api<string>(`/v1/runs/${started.body.id}/findings`, { headers: { accept: 'text/markdown' } });
    expect(md.body).toContain(findings.body.headline);
    expect(md.body).toContain(cache!.id);
  }, 300_000);
});
