/**
 * The peers the proxy benchmarks measure against each other: an echo and an
 * HTTP server in the bench process, and, each in a child process of its
 * own, the fault proxy (as `faultline proxy` runs in use) and a bare relay
 * (two sockets piped, nothing else: what any user-space relay costs). Both
 * children answer a line on stdin with their CPU time and their memory
 * after a full GC: CPU per transfer is faultline's overhead with the
 * scheduling noise taken out, memory per connection what a link holds.
 */
import { Agent, createServer as createHttpServer, request, type Server as HttpServer } from 'node:http';
import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

/** A child's CPU time so far (µs, user + system) and its memory after `global.gc()` (bytes). */
export interface Stats {
  cpuUs: number;
  rss: number;
  heapUsed: number;
}

/** A running child: one listening port per upstream given, in order. */
export interface Peer {
  ports: number[];
  stats(): Promise<Stats>;
  close(): Promise<void>;
}

/** The child's stdin protocol: one JSON line with the ports, then any line → one JSON line of Stats. */
const PROTOCOL = `
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin });
  lines.on('line', () => {
    const c = process.cpuUsage();
    globalThis.gc?.();
    const m = process.memoryUsage();
    console.log(JSON.stringify({ cpuUs: c.user + c.system, rss: m.rss, heapUsed: m.heapUsed }));
  });
  lines.on('close', () => process.exit(0));`;

/** The relay: Node's own stream.pipe both ways with Nagle off, as the proxy sets it. */
function relayCode(upstreams: number[]): string {
  return `
    const { createServer, connect } = await import('node:net');
    const ports = [];
    for (const up of ${JSON.stringify(upstreams)}) {
      const srv = createServer({ allowHalfOpen: true }, (c) => {
        const u = connect({ host: '127.0.0.1', port: up, allowHalfOpen: true });
        c.setNoDelay(true); u.setNoDelay(true);
        c.pipe(u); u.pipe(c);
        c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
      });
      await new Promise((r) => srv.listen(0, '127.0.0.1', r));
      ports.push(srv.address().port);
    }
    console.log(JSON.stringify(ports));${PROTOCOL}`;
}

/** The fault proxy, one proxy per upstream; `noop` installs a noop toxic on both streams of each. */
function proxyCode(upstreams: number[], noop: boolean): string {
  const server = new URL('../runners/proxy/server.ts', import.meta.url).href;
  return `
    const { startFaultProxy } = await import(${JSON.stringify(server)});
    const fp = await startFaultProxy({ host: '127.0.0.1', port: 0 });
    const ports = [];
    for (const [i, up] of ${JSON.stringify(upstreams)}.entries()) {
      const p = await fp.registry.create({ name: 'bench' + i, listen: '127.0.0.1:0', upstream: '127.0.0.1:' + up });
      if (${noop}) for (const stream of ['upstream', 'downstream']) fp.registry.addToxic('bench' + i, { type: 'noop', stream });
      ports.push(Number(p.listen.split(':')[1]));
    }
    console.log(JSON.stringify(ports));${PROTOCOL}`;
}

async function spawnPeer(code: string): Promise<Peer> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (c) => reject(new Error(`bench peer exited with ${c}`)));
    });
  const ports = JSON.parse(await next()) as number[];
  return {
    ports,
    stats: async () => {
      const line = next();
      child.stdin?.write('mem\n');
      return JSON.parse(await line) as Stats;
    },
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      await exited;
    },
  };
}

/** Start a bare relay in its own process. */
export const spawnRelay = (upstreams: number[]) => spawnPeer(relayCode(upstreams));
/** Start the fault proxy in its own process (with a noop toxic on every proxy when `noop`). */
export const spawnProxy = (upstreams: number[], noop = false) => spawnPeer(proxyCode(upstreams, noop));

/** Listen on an ephemeral loopback port. */
export function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)));
}

/** An echo server (Nagle off, as the proxy sets it). */
export function echoServer(): Server {
  return createServer((s) => {
    s.setNoDelay(true);
    s.on('error', () => undefined);
    s.pipe(s);
  });
}

/** An HTTP server answering every request with a 2-byte body. */
export function okServer(): HttpServer {
  return createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
}

/** Connect to a loopback port. */
export function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

/** Send `payload` and wait until as many bytes came back. */
export function echoOnce(s: Socket, payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    let got = 0;
    const onData = (d: Buffer) => {
      got += d.length;
      if (got < payload.length) return;
      s.off('data', onData);
      resolve();
    };
    s.on('data', onData);
    s.write(payload);
  });
}

/** Microseconds per small GET, `n` of them over one keep-alive connection. */
export async function latencies(port: number, n: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
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
  return samples;
}

/** The q-quantile (0..1) of `xs`, nearest rank. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
