/**
 * The fault proxy at 1,000 concurrent connections, beside the bare relay in
 * the same run (each in its own process): memory per open connection (RSS
 * and live heap after GC, charged to the relaying process), aggregate
 * throughput with every connection echoing 64 KiB transfers at once, and
 * the same again while one more connection sends 64 MiB and never reads
 * (back-pressure must be per link: the stalled connection may not slow the
 * others; target ≥ 0.9 of the throughput without it).
 */
import type { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { dial, echoOnce, echoServer, listen, spawnProxy, spawnRelay, type Peer } from './proxy-peers.js';
import type { BenchResult } from './result.js';

const CONNECTIONS = 1000;
const TRANSFERS_EACH = 4;
const TRANSFER = 64 * 1024;

/** MB/s with every connection echoing `TRANSFERS_EACH` transfers concurrently. */
async function aggregate(conns: Socket[]): Promise<number> {
  const payload = Buffer.alloc(TRANSFER, 0x5a);
  const t0 = performance.now();
  await Promise.all(conns.map(async (s) => { for (let i = 0; i < TRANSFERS_EACH; i++) await echoOnce(s, payload); }));
  return (conns.length * TRANSFERS_EACH * TRANSFER) / ((performance.now() - t0) / 1000) / 1e6;
}

async function measure(peer: Peer) {
  const port = peer.ports[0];
  const idle = await peer.stats();
  const conns: Socket[] = [];
  for (let i = 0; i < CONNECTIONS; i++) conns.push(await dial(port));
  await aggregate(conns); // every link has carried data once (buffers allocated, JIT warm)
  const open = await peer.stats();
  const before = await aggregate(conns);
  const slow = await dial(port);
  slow.pause();
  const block = Buffer.alloc(4 << 20, 1);
  for (let i = 0; i < 16; i++) slow.write(block);
  await settled(slow);
  const withSlow = await aggregate(conns);
  const stalled = await peer.stats();
  slow.destroy();
  // Measured again without it: the baseline is the mean of before and after,
  // so a drift over the run (heap growth, the scheduler) falls on both sides.
  const after = await aggregate(conns);
  for (const s of conns) s.destroy();
  return {
    rssPerConn: (open.rss - idle.rss) / CONNECTIONS,
    heapPerConn: (open.heapUsed - idle.heapUsed) / CONNECTIONS,
    free: (before + after) / 2, withSlow, stalledRssMB: (stalled.rss - open.rss) / 1e6,
  };
}

/**
 * Wait until the stalled connection's unsent bytes stop shrinking: every
 * buffer on its path is full and the relay has stopped reading it. Measured
 * before that, the figure would charge the relay for moving those first
 * megabytes rather than for holding a stalled link.
 */
async function settled(slow: Socket): Promise<void> {
  let last = -1;
  for (let i = 0; i < 30 && slow.writableLength !== last; i++) {
    last = slow.writableLength;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Run the scale benchmark once (each figure is one measurement; the README gives medians of runs). */
export async function run(): Promise<BenchResult[]> {
  const echo = echoServer();
  echo.maxConnections = 4 * CONNECTIONS;
  const echoPort = await listen(echo);
  const relay = await spawnRelay([echoPort]);
  const proxy = await spawnProxy([echoPort]);
  try {
    const r = await measure(relay);
    const p = await measure(proxy);
    const kb = (x: number) => Number((x / 1024).toFixed(1));
    return [
      {
        name: `proxy memory per open connection, ${CONNECTIONS} connections (RSS)`, value: kb(p.rssPerConn), unit: 'KiB',
        baseline: kb(r.rssPerConn), note: `live heap ${kb(p.heapPerConn)} KiB per connection (bare relay ${kb(r.heapPerConn)})`,
      },
      {
        name: `proxy aggregate throughput, ${CONNECTIONS} connections × ${TRANSFERS_EACH} × 64 KiB echo`, value: Math.round(p.free), unit: 'MB/s',
        baseline: Math.round(r.free), ratio: Number((p.free / r.free).toFixed(3)), target: '≥ 0.90 of bare relay', pass: p.free / r.free >= 0.9,
      },
      {
        name: 'proxy aggregate throughput with one stalled reader vs without', value: Math.round(p.withSlow), unit: 'MB/s',
        baseline: Math.round(p.free), ratio: Number((p.withSlow / p.free).toFixed(3)), target: '≥ 0.90 of without', pass: p.withSlow / p.free >= 0.9,
        note: `proxy RSS +${p.stalledRssMB.toFixed(1)} MB while its peer sent 64 MiB unread; bare relay ${(r.withSlow / r.free).toFixed(2)}, +${r.stalledRssMB.toFixed(1)} MB`,
      },
    ];
  } finally {
    await relay.close();
    await proxy.close();
    await new Promise((r) => echo.close(r));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((rs) => console.log(JSON.stringify(rs, null, 2)));
}
