/**
 * Fault proxy overhead with no toxic installed, against a direct loopback
 * connection measured in the same run (interleaved rounds, so machine noise
 * hits both sides alike):
 *  - throughput of 64 KiB echo transfers (target ≥ 70 % of direct);
 *  - added median latency of small keep-alive HTTP requests (target < 150 µs).
 * Toxiproxy's own benchmark for reference: about +0.27 ms per small request
 * and +0.37 ms per 64 KB request.
 *
 * The proxy runs in its own process, as it does in use (`faultline proxy`);
 * sharing the client's event loop would charge its work to the client.
 */
import { Agent, createServer as createHttpServer, request } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './result.js';

const TRANSFER = 64 * 1024;
const TRANSFERS_PER_ROUND = 600;
const REQUESTS_PER_ROUND = 1500;
const ROUNDS = 3;

function listen(server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)));
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Bytes per second echoing `TRANSFERS_PER_ROUND` 64 KiB messages one after another. */
async function throughput(port: number): Promise<number> {
  const s = await dial(port);
  s.setNoDelay(true);
  const payload = Buffer.alloc(TRANSFER, 0x5a);
  const t0 = performance.now();
  for (let i = 0; i < TRANSFERS_PER_ROUND; i++) {
    await new Promise<void>((resolve) => {
      let got = 0;
      const onData = (d: Buffer) => {
        got += d.length;
        if (got >= TRANSFER) {
          s.off('data', onData);
          resolve();
        }
      };
      s.on('data', onData);
      s.write(payload);
    });
  }
  const secs = (performance.now() - t0) / 1000;
  s.destroy();
  return (TRANSFER * TRANSFERS_PER_ROUND) / secs;
}

/** Median microseconds per small GET over one keep-alive connection. */
async function medianLatency(port: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/ping', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    samples.push((performance.now() - t0) * 1000);
  }
  agent.destroy();
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Start the fault proxy in a child process with two proxies; resolves with their ports. */
async function spawnProxy(echoPort: number, httpPort: number): Promise<{ child: ChildProcess; tcp: number; web: number }> {
  const server = new URL('../runners/proxy/server.ts', import.meta.url).href;
  const code = `
    const { startFaultProxy } = await import(${JSON.stringify(server)});
    const fp = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    const tcp = await fp.registry.create({ name: 'bench_tcp', listen: '127.0.0.1:0', upstream: '127.0.0.1:${echoPort}' });
    const web = await fp.registry.create({ name: 'bench_http', listen: '127.0.0.1:0', upstream: '127.0.0.1:${httpPort}' });
    console.log(JSON.stringify({ tcp: Number(tcp.listen.split(':')[1]), web: Number(web.listen.split(':')[1]) }));
    process.stdin.on('end', () => fp.close().then(() => process.exit(0)));
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`fault proxy child exited with ${c}`)));
  });
  return { child, ...(JSON.parse(line) as { tcp: number; web: number }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Run the proxy benchmark; figures are medians over interleaved rounds. */
export async function run(): Promise<BenchResult[]> {
  const echo = createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => undefined);
    s.pipe(s);
  });
  const http = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
  const echoPort = await listen(echo);
  const httpPort = await listen(http);
  const fp = await spawnProxy(echoPort, httpPort);
  try {
    const tcpProxyPort = fp.tcp;
    const httpProxyPort = fp.web;
    // Warm up JIT and sockets on both paths.
    await throughput(echoPort);
    await throughput(tcpProxyPort);
    await medianLatency(httpPort);
    await medianLatency(httpProxyPort);
    const direct = { tput: [] as number[], lat: [] as number[] };
    const proxied = { tput: [] as number[], lat: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      direct.tput.push(await throughput(echoPort));
      proxied.tput.push(await throughput(tcpProxyPort));
      direct.lat.push(await medianLatency(httpPort));
      proxied.lat.push(await medianLatency(httpProxyPort));
    }
    const tDirect = median(direct.tput) / 1e6;
    const tProxy = median(proxied.tput) / 1e6;
    const lDirect = median(direct.lat);
    const lProxy = median(proxied.lat);
    const ratio = tProxy / tDirect;
    const added = lProxy - lDirect;
    return [
      {
        name: 'proxy throughput, 64 KiB echo transfers, no toxic',
        value: Number(tProxy.toFixed(1)),
        unit: 'MB/s',
        baseline: Number(tDirect.toFixed(1)),
        ratio: Number(ratio.toFixed(3)),
        target: '≥ 0.70 of direct',
        pass: ratio >= 0.7,
      },
      {
        name: 'proxy added median latency, small keep-alive HTTP request, no toxic',
        value: Math.round(added),
        unit: 'µs',
        baseline: Math.round(lDirect),
        ratio: Number((lProxy / lDirect).toFixed(3)),
        target: '< 150 µs added',
        pass: added < 150,
        note: `median ${Math.round(lProxy)} µs through the proxy vs ${Math.round(lDirect)} µs direct`,
      },
    ];
  } finally {
    fp.child.stdin?.end();
    await new Promise((r) => fp.child.once('exit', r));
    await new Promise((r) => echo.close(r));
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((rs) => console.log(JSON.stringify(rs, null, 2)));
}
