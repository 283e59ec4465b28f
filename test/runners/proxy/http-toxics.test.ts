import { request, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { dial, readFrom, roundTrip, startEcho, startHttp } from './sockets.js';

let server: RunningFaultProxy;
let http: Awaited<ReturnType<typeof startHttp>>;
let echo: Awaited<ReturnType<typeof startEcho>>;

function get(port: number, agent: Agent, path: string): Promise<{ status: number; body: string; toxic?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, toxic: res.headers['x-faultline-toxic'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  http = await startHttp();
  echo = await startEcho();
});
afterAll(async () => {
  await server.close();
  await http.close();
  await echo.close();
});

describe('per-request HTTP toxics', () => {
  it('http_error with toxicity 0.5 fails roughly half of 200 keep-alive requests without forwarding them', async () => {
    const st = await server.registry.create({ name: 'web', listen: '127.0.0.1:0', upstream: `127.0.0.1:${http.port}` });
    server.registry.addToxic('web', { name: 'flaky', type: 'http_error', toxicity: 0.5, attributes: { status: 503 } });
    const port = Number(st.listen.split(':')[1]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = http.requests();
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await get(port, agent, `/r${i}`);
      statuses.push(r.status);
      if (r.status === 200) expect(r.body).toBe(`ok:/r${i}`);
      else expect(r.toxic).toBe('flaky');
    }
    agent.destroy();
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(50);
    expect(failed).toBeLessThan(150);
    expect(statuses.filter((s) => s === 200).length).toBe(200 - failed);
    expect(http.requests() - before).toBe(200 - failed);
    const c = server.registry.counters('web');
    expect(c.connections).toBe(1);
    expect(c.toxics.flaky).toMatchObject({ requests: failed, touched: 1, unparsedBytes: 0 });
  });

  it('http_delay delays each request by its latency', async () => {
    const st = await server.registry.create({ name: 'slowweb', listen: '127.0.0.1:0', upstream: `127.0.0.1:${http.port}` });
    server.registry.addToxic('slowweb', { type: 'http_delay', attributes: { latency: 150 } });
    const port = Number(st.listen.split(':')[1]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await get(port, agent, `/d${i}`);
      expect(r).toMatchObject({ status: 200, body: `ok:/d${i}` });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    }
    agent.destroy();
    expect(server.registry.counters('slowweb').toxics.http_delay_upstream.requests).toBe(3);
  });

  it('passes non-HTTP bytes through an http_error toxic and counts them as unparsed', async () => {
    const st = await server.registry.create({ name: 'redisish', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    server.registry.addToxic('redisish', { name: 'e', type: 'http_error', attributes: { status: 500 } });
    const s = await dial(Number(st.listen.split(':')[1]));
    const cmd = Buffer.from('*1\r\n$4\r\nPING\r\n');
    expect((await roundTrip(s, cmd)).data.equals(cmd)).toBe(true);
    s.destroy();
    expect(server.registry.counters('redisish').toxics.e).toEqual({ touched: 0, resets: 0, requests: 0, unparsedBytes: cmd.length });
  });

  it('serves counters and Prometheus metrics over the API', async () => {
    const all = (await (await fetch(`${server.url}/faultline/counters`)).json()) as Record<string, { proxy: string }>;
    expect(Object.keys(all)).toEqual(['web', 'slowweb', 'redisish']);
    const one = await fetch(`${server.url}/faultline/counters/web`);
    expect(((await one.json()) as { connections: number }).connections).toBe(1);
    expect((await fetch(`${server.url}/faultline/counters/none`)).status).toBe(404);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('faultline_proxy_connections_total{proxy="web"} 1');
    expect(text).toMatch(/faultline_toxic_requests_total\{proxy="web",toxic="flaky"\} \d+/);
  });

  it('closes the connection after answering a Connection: close request with an error', async () => {
    const st = await server.registry.create({ name: 'closer', listen: '127.0.0.1:0', upstream: `127.0.0.1:${http.port}` });
    server.registry.addToxic('closer', { type: 'http_error', attributes: { status: 502 } });
    const s = await dial(Number(st.listen.split(':')[1]));
    const read = readFrom(s, { timeoutMs: 5000 });
    s.write('GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    const out = await read;
    expect(out.end).toBe('eof');
    expect(out.data.toString()).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n/);
  });
});
