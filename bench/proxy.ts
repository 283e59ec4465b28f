/**
 * Fault proxy overhead, split in two: faultline's own cost (proxy vs a bare
 * relay) and what any user-space relay costs (bare relay vs a direct
 * loopback connection). Both relays run in a child process of their own,
 * as `faultline proxy` does in use. Measured, each in the same run:
 *  - 64 KiB echo transfers one after another, MB/s (target: proxy ≥ 0.9
 *    of the bare relay, with and without a noop toxic);
 *  - small keep-alive HTTP GETs, added p50 and p99 latency over direct
 *    (target: p99 added < 200 µs, with and without a noop toxic).
 * Toxiproxy's own benchmark for reference: about +0.27 ms per small
 * request and +0.37 ms per 64 KB request.
 *
 * A 64 KiB echo is latency-bound (about 20 µs direct), so the ratio to
 * direct mostly measures process wake-ups, and those depend on whether the
 * scheduler puts the relay on the client's core (see bench/README.md).
 * Each round therefore starts fresh children and interleaves short turns
 * of every path (their order rotating), and the proxy's CPU time per
 * transfer is reported beside the relay's, which scheduling does not move
 * much; figures are medians over rounds.
 */
import { pathToFileURL } from 'node:url';
import { dial, echoOnce, echoServer, latencies, listen, okServer, quantile, spawnProxy, spawnRelay, type Peer } from './proxy-peers.js';
import type { BenchResult } from './result.js';

const TRANSFER = 64 * 1024;
/** Per round each path gets SEGMENTS turns, interleaved, so scheduling noise falls on all alike. */
const SEGMENTS = 8;
const TRANSFERS_PER_SEGMENT = 150;
const REQUESTS_PER_SEGMENT = 250;
const ROUNDS = 5;
const PATHS = ['direct', 'relay', 'proxy', 'noop'] as const;
type Path = (typeof PATHS)[number];
type Relayed = Exclude<Path, 'direct'>;

/** Seconds to echo `n` 64 KiB messages one after another over one connection. */
async function transfers(port: number, n: number): Promise<number> {
  const s = await dial(port);
  const payload = Buffer.alloc(TRANSFER, 0x5a);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await echoOnce(s, payload);
  const secs = (performance.now() - t0) / 1000;
  s.destroy();
  return secs;
}

const median = (xs: number[]) => quantile(xs, 0.5);
const fmt = (x: number) => Number(x.toFixed(x >= 100 ? 0 : 3));
const range = (xs: number[], d = 2) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;

/** One round: fresh children, each path's turns interleaved with the others'. */
async function round(r: number, echoPort: number, httpPort: number) {
  const peers: Record<Relayed, Peer> = {
    relay: await spawnRelay([echoPort, httpPort]),
    proxy: await spawnProxy([echoPort, httpPort]),
    noop: await spawnProxy([echoPort, httpPort], true),
  };
  const port = (p: Path, i: 0 | 1) => (p === 'direct' ? [echoPort, httpPort][i] : peers[p].ports[i]);
  const secs = { direct: 0, relay: 0, proxy: 0, noop: 0 };
  const cpuUs = { relay: 0, proxy: 0, noop: 0 };
  const lat: Record<Path, number[]> = { direct: [], relay: [], proxy: [], noop: [] };
  try {
    for (const p of PATHS) await transfers(port(p, 0), 100); // warm up JIT and sockets
    for (const p of PATHS) await latencies(port(p, 1), 200);
    for (let seg = 0; seg < SEGMENTS; seg++) {
      for (let i = 0; i < PATHS.length; i++) {
        const p = PATHS[(i + seg + r) % PATHS.length];
        const before = p === 'direct' ? undefined : await peers[p].stats();
        secs[p] += await transfers(port(p, 0), TRANSFERS_PER_SEGMENT);
        if (before && p !== 'direct') cpuUs[p] += (await peers[p].stats()).cpuUs - before.cpuUs;
        lat[p].push(...(await latencies(port(p, 1), REQUESTS_PER_SEGMENT)));
      }
    }
  } finally {
    for (const peer of Object.values(peers)) await peer.close();
  }
  const bytes = TRANSFER * TRANSFERS_PER_SEGMENT * SEGMENTS;
  const mbps = (p: Path) => bytes / secs[p] / 1e6;
  const cpuPerTransfer = (p: Relayed) => cpuUs[p] / (TRANSFERS_PER_SEGMENT * SEGMENTS);
  const p50 = (p: Path) => quantile(lat[p], 0.5);
  const p99 = (p: Path) => quantile(lat[p], 0.99);
  return { mbps, cpuPerTransfer, p50, p99 };
}

/** Run the proxy benchmark; figures are medians over rounds, ranges in the notes. */
export async function run(): Promise<BenchResult[]> {
  const echo = echoServer();
  const http = okServer();
  const echoPort = await listen(echo);
  const httpPort = await listen(http);
  const rounds: Awaited<ReturnType<typeof round>>[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) rounds.push(await round(r, echoPort, httpPort));
  } finally {
    await new Promise((r) => echo.close(r));
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  }
  const col = (f: (x: (typeof rounds)[number]) => number) => rounds.map(f);
  const mbps = (p: Path) => median(col((x) => x.mbps(p)));
  const relayVsDirect = col((x) => x.mbps('relay') / x.mbps('direct'));
  const out: BenchResult[] = [
    {
      name: 'bare relay throughput vs direct, 64 KiB echo transfers (what any user-space relay costs)',
      value: fmt(mbps('relay')), unit: 'MB/s', baseline: fmt(mbps('direct')), ratio: fmt(median(relayVsDirect)),
      note: `ratio range ${range(relayVsDirect)} over ${ROUNDS} rounds`,
    },
  ];
  for (const [p, label] of [['proxy', 'no toxic'], ['noop', 'noop toxic both ways']] as const) {
    // Ratios are taken per round (the paths interleaved) and then the median.
    const ratios = col((x) => x.mbps(p) / x.mbps('relay'));
    const cpu = col((x) => x.cpuPerTransfer(p) / x.cpuPerTransfer('relay'));
    const r = median(ratios);
    out.push({
      name: `proxy throughput vs bare relay, 64 KiB echo transfers, ${label}`,
      value: fmt(mbps(p)), unit: 'MB/s', baseline: fmt(mbps('relay')), ratio: fmt(r),
      target: '≥ 0.90 of bare relay', pass: r >= 0.9,
      note: `ratio range ${range(ratios)}; CPU per transfer ${median(cpu).toFixed(2)}× the relay's (range ${range(cpu)}), ` +
        `${Math.round(median(col((x) => x.cpuPerTransfer(p))))} vs ${Math.round(median(col((x) => x.cpuPerTransfer('relay'))))} µs`,
    });
  }
  for (const p of ['relay', 'proxy', 'noop'] as const) {
    const a99 = col((x) => x.p99(p) - x.p99('direct'));
    const a50 = col((x) => x.p50(p) - x.p50('direct'));
    const m99 = median(a99);
    const isProxy = p !== 'relay';
    out.push({
      name: `${p === 'relay' ? 'bare relay' : p === 'noop' ? 'proxy, noop toxic both ways,' : 'proxy, no toxic,'} added p99 latency, small keep-alive HTTP GET`,
      value: Math.round(m99), unit: 'µs', baseline: Math.round(median(col((x) => x.p99('direct')))),
      target: isProxy ? '< 200 µs added' : undefined, pass: isProxy ? m99 < 200 : undefined,
      note: `p99 added range ${range(a99, 0)} µs; p50 added ${Math.round(median(a50))} µs (range ${range(a50, 0)})`,
    });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((rs) => console.log(JSON.stringify(rs, null, 2)));
}
