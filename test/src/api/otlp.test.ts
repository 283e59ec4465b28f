import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpReceiver } from '../../../ingest/otlp-receiver.js';
import { SpanStore } from '../../../ingest/span-store.js';
import { readTraceFixture } from '../../support/fixtures.js';
import { harness, type Harness } from '../harness.js';

let h: Harness;
const store = new SpanStore(1000);
beforeAll(async () => {
  h = await harness({}, { otlp: { plugin: otlpReceiver, store, spanCount: () => store.size } });
});
afterAll(async () => h.app.close());

describe('the OTLP receiver inside the API', () => {
  it('accepts OTLP/HTTP JSON and protobuf at POST /v1/traces and counts the spans in /metrics', async () => {
    const json = await h.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/json' }, payload: readTraceFixture('otlp-json.otel-proto-example-trace.json') });
    expect(json.statusCode).toBe(200);
    const proto = await h.app.inject({ method: 'POST', url: '/v1/traces', headers: { 'content-type': 'application/x-protobuf' }, payload: readTraceFixture('otlp-protobuf.otel-proto-example-trace.protobuf-bin') });
    expect(proto.statusCode).toBe(200);
    expect(store.size).toBe(2);
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain('# TYPE faultline_ingest_spans gauge\nfaultline_ingest_spans 2');
  });

  it('keeps the rest of the API behind the bearer token', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/stop' });
    expect(res.statusCode).toBe(401);
  });
});
