import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceMetrics } from '../../../src/api/service-metrics.js';
import { harness, type Harness } from '../harness.js';

describe('the service metrics', () => {
  it('keeps the metric names, labels and types dashboards already use', async () => {
    let spans = 3;
    const m = createServiceMetrics(() => spans);
    m.runs.inc({ status: 'succeeded' });
    m.scenarios.inc({ verdict: 'PASS-hardening' }, 2);
    m.sweeps.inc({ status: 'failed' });
    m.sweepDuration.observe(42);
    spans = 7;
    const text = await m.render();
    expect(text).toContain('# TYPE faultline_runs_total counter\nfaultline_runs_total{status="succeeded"} 1');
    expect(text).toContain('faultline_scenarios_total{verdict="PASS-hardening"} 2');
    expect(text).toContain('faultline_sweeps_total{status="failed"} 1');
    expect(text).toContain('# TYPE faultline_sweep_duration_seconds histogram');
    expect(text).toContain('faultline_sweep_duration_seconds_bucket{le="10"} 0');
    expect(text).toContain('faultline_sweep_duration_seconds_bucket{le="60"} 1');
    expect(text).toContain('faultline_sweep_duration_seconds_bucket{le="+Inf"} 1');
    expect(text).toContain('faultline_sweep_duration_seconds_sum 42');
    // The gauge reads the store when scraped, not when created.
    expect(text).toContain('# TYPE faultline_ingest_spans gauge\nfaultline_ingest_spans 7');
  });

  it('has no ingest gauge without a span store, and counts per app', async () => {
    const a = createServiceMetrics();
    const b = createServiceMetrics();
    a.runs.inc({ status: 'failed' });
    expect(await a.render()).not.toContain('faultline_ingest_spans');
    expect(await b.render()).not.toContain('faultline_runs_total{status="failed"}');
  });
});

describe('GET /metrics on the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h.app.close());

  it('serves process and event-loop metrics beside faultline\'s own', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const name of ['faultline_runs_total', 'process_cpu_seconds_total', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(res.body).toContain(`# TYPE ${name} `);
    }
  });
});
