/**
 * `faultline serve`'s process entry with the real adapters: the real
 * pipeline over a trace file, faultline's fault proxy started in-process,
 * the OTLP receiver, and graceful stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { readTraceFixture, traceFixture } from '../support/fixtures.js';

let server: RunningServer;
const token = { authorization: 'Bearer s3cret' };
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-serve-'));
  const manifestPath = join(dir, 'faultline.yaml');
  writeFileSync(manifestPath, `version: 1\nsystem: { name: fixture }\ntraces: { type: files, paths: [${JSON.stringify(traceFixture('jaeger-trace.tracegraph-testTrace.json'))}] }\n`);
  const config = loadConfig({ FAULTLINE_API_TOKENS: 's3cret' }, { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0 });
  server = await startServer(config, { manifestPath, baseDir: dir, log: silentLog });
});
afterAll(async () => server?.stop({ graceMs: 100 }));

describe('the real server', () => {
  it('plans from the configured manifest with the real pipeline and serves the graph', async () => {
    const res = await fetch(`${server.url}/v1/plans?graph=fresh`, { method: 'POST', headers: token });
    expect(res.status).toBe(201);
    const plan = (await res.json()) as { system: string; generator: string };
    expect(plan).toMatchObject({ system: 'fixture', generator: 'rule' });
    const graph = (await (await fetch(`${server.url}/v1/graph`)).json()) as { graph: { nodes: { id: string }[] } };
    expect(graph.graph.nodes.length).toBeGreaterThanOrEqual(2);
    const mermaid = await (await fetch(`${server.url}/v1/graph?format=mermaid`)).text();
    expect(mermaid.startsWith('flowchart LR')).toBe(true);
  });

  it('is ready with its in-process fault proxy and ingests OTLP', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const otlp = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readTraceFixture('otlp-json.otel-proto-example-trace.json') });
    expect(otlp.status).toBe(200);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('faultline_ingest_spans 1');
  });

  it('stops gracefully: the port closes', async () => {
    await server.stop({ graceMs: 100 });
    expect(server.app.server.listening).toBe(false);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
