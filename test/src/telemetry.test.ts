import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildReceiverApp } from '../../ingest/otlp-receiver.js';
import { SpanStore } from '../../ingest/span-store.js';
import { loadConfig } from '../../src/config.js';
import { silentLog } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';

// faultline's own traces go to OTEL_EXPORTER_OTLP_ENDPOINT: here, a second
// OTLP receiver standing in for the user's collector.
let collector: FastifyInstance;
const collected = new SpanStore(10_000);
let server: RunningServer;

beforeAll(async () => {
  collector = buildReceiverApp({ store: collected, bodyLimitBytes: 1_048_576, queueCapacity: 8 });
  const url = await collector.listen({ host: '127.0.0.1', port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'faultline-otel-'));
  const config = loadConfig({ FAULTLINE_API_TOKENS: 't', OTEL_EXPORTER_OTLP_ENDPOINT: url }, { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0 });
  server = await startServer(config, { baseDir: dir, log: silentLog, sweepWorker: false });
});

afterAll(async () => {
  await server?.stop({ graceMs: 100 });
  await collector?.close();
});

describe('self-telemetry', () => {
  it('exports a server span per API request to the configured OTLP endpoint', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/v1/plans/nope`)).status).toBe(404);
    await server.stop({ graceMs: 100 }); // flushes the exporter
    const spans = collected.snapshot({ startUs: 0, endUs: Number.MAX_SAFE_INTEGER });
    const mine = spans.filter((s) => s.service === 'faultline' && s.kind === 'server');
    expect(mine.map((s) => s.operation)).toEqual(expect.arrayContaining(['GET /healthz', 'GET /v1/plans/:id']));
    expect(mine.find((s) => s.operation === 'GET /v1/plans/:id')?.attributes.httpStatusCode).toBe(404);
  });
});
