import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { renderMetrics, type ProxyMetricsInput } from '../../../runners/proxy/metrics.js';
import { dial, readFrom, roundTrip, startEcho } from './sockets.js';

const base: ProxyMetricsInput = { proxy: 'db', listen: '0.0.0.0:21001', upstream: 'db:5432', connections: 2, activeConnections: 1, bytesUpstream: 10, bytesDownstream: 30, toxics: {} };

describe('fault proxy metrics text', () => {
  it('escapes label values', async () => {
    const text = await renderMetrics([{ ...base, proxy: 'a"b\\c', bytesUpstream: 1, bytesDownstream: 3 }]);
    expect(text).toContain('faultline_proxy_connections_total{proxy="a\\"b\\\\c"} 2');
    expect(text).toContain('faultline_proxy_bytes_total{proxy="a\\"b\\\\c",direction="downstream"} 3');
  });

  it('keeps every faultline family, name and label', async () => {
    const text = await renderMetrics([{ ...base, toxics: { slow: { touched: 4, resets: 0 }, flaky: { touched: 1, resets: 0, requests: 5, unparsedBytes: 7 } } }]);
    for (const [family, type] of [
      ['faultline_proxy_connections_total', 'counter'],
      ['faultline_proxy_active_connections', 'gauge'],
      ['faultline_proxy_bytes_total', 'counter'],
      ['faultline_toxic_touched_total', 'counter'],
      ['faultline_toxic_resets_total', 'counter'],
      ['faultline_toxic_requests_total', 'counter'],
      ['faultline_toxic_unparsed_bytes_total', 'counter'],
    ]) expect(text).toContain(`# TYPE ${family} ${type}`);
    expect(text).toContain('faultline_proxy_active_connections{proxy="db"} 1');
    expect(text).toContain('faultline_proxy_bytes_total{proxy="db",direction="upstream"} 10');
    expect(text).toContain('faultline_toxic_touched_total{proxy="db",toxic="slow"} 4');
    // A toxic without HTTP counters still has its series, at 0.
    expect(text).toContain('faultline_toxic_requests_total{proxy="db",toxic="slow"} 0');
    expect(text).toContain('faultline_toxic_requests_total{proxy="db",toxic="flaky"} 5');
    expect(text).toContain('faultline_toxic_unparsed_bytes_total{proxy="db",toxic="flaky"} 7');
  });

  it("exposes Toxiproxy's received/sent byte counters per proxy, with Toxiproxy's labels", async () => {
    const text = await renderMetrics([base, { ...base, proxy: 'cache', listen: '0.0.0.0:21002', upstream: 'redis:6379', bytesUpstream: 5, bytesDownstream: 6, sent: { upstream: 5, downstream: 2 } }]);
    expect(text).toContain('# TYPE toxiproxy_proxy_received_bytes_total counter');
    expect(text).toContain('# TYPE toxiproxy_proxy_sent_bytes_total counter');
    expect(text).toContain('toxiproxy_proxy_received_bytes_total{direction="upstream",listener="0.0.0.0:21001",proxy="db",upstream="db:5432"} 10');
    expect(text).toContain('toxiproxy_proxy_received_bytes_total{direction="downstream",listener="0.0.0.0:21001",proxy="db",upstream="db:5432"} 30');
    expect(text).toContain('toxiproxy_proxy_received_bytes_total{direction="upstream",listener="0.0.0.0:21002",proxy="cache",upstream="redis:6379"} 5');
    expect(text).toContain('toxiproxy_proxy_sent_bytes_total{direction="downstream",listener="0.0.0.0:21002",proxy="cache",upstream="redis:6379"} 2');
    // Bytes sent are never made up from bytes read: a proxy without them has no sent sample.
    expect(text).not.toMatch(/toxiproxy_proxy_sent_bytes_total\{[^}]*proxy="db"/);
  });
});

describe('fault proxy GET /metrics', () => {
  let server: RunningFaultProxy;
  let echo: Awaited<ReturnType<typeof startEcho>>;

  beforeAll(async () => {
    echo = await startEcho();
    server = await startFaultProxy({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await echo.close();
  });

  it("counts a proxy's bytes under Toxiproxy's received counter, labelled with its listen and upstream", async () => {
    const st = await server.registry.create({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    const s = await dial(Number(st.listen.split(':')[1]));
    await roundTrip(s, Buffer.from('hello'));
    s.destroy();
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const labels = `listener="${st.listen}",proxy="echo",upstream="127.0.0.1:${echo.port}"`;
    expect(text).toContain(`toxiproxy_proxy_received_bytes_total{direction="upstream",${labels}} 5`);
    expect(text).toContain(`toxiproxy_proxy_received_bytes_total{direction="downstream",${labels}} 5`);
    expect(text).toContain(`toxiproxy_proxy_sent_bytes_total{direction="downstream",${labels}} 5`);
    expect(text).toContain('faultline_proxy_connections_total{proxy="echo"} 1');
  });

  it("counts what reaches the destination under Toxiproxy's sent counter, after the toxics cut it", async () => {
    const st = await server.registry.create({ name: 'cut', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    server.registry.addToxic('cut', { name: 'cut-answers', type: 'limit_data', stream: 'downstream', attributes: { bytes: 2 } });
    const s = await dial(Number(st.listen.split(':')[1]));
    const read = readFrom(s, { timeoutMs: 5000 });
    s.write('hello');
    expect((await read).data.toString()).toBe('he');
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const labels = `listener="${st.listen}",proxy="cut",upstream="127.0.0.1:${echo.port}"`;
    expect(text).toContain(`toxiproxy_proxy_received_bytes_total{direction="upstream",${labels}} 5`);
    expect(text).toContain(`toxiproxy_proxy_sent_bytes_total{direction="upstream",${labels}} 5`);
    expect(text).toContain(`toxiproxy_proxy_sent_bytes_total{direction="downstream",${labels}} 2`);
  });

  it('serves process and event-loop metrics', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
