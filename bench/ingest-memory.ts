/**
 * Child process of bench/ingest.ts: streams N synthetic spans in batches
 * into a GraphBuilder and prints peak memory as JSON on stdout. Run in its
 * own process so RSS of one size is not inflated by an earlier run.
 * Reports the raw peak heapUsed and RSS (sampled after every batch) and the
 * peak live heap (heapUsed right after a forced GC, every 100k spans).
 *
 *   node --expose-gc --import tsx bench/ingest-memory.ts 5000000
 */
import { GraphBuilder } from '../graph/builder.js';
import { syntheticBatches } from './synthetic.js';

const spans = Number(process.argv[2] ?? '500000');
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
let peakHeap = before.heapUsed;
let peakRss = before.rss;
const t0 = performance.now();
let peakLive = before.heapUsed;
let batches = 0;
const builder = new GraphBuilder();
for (const batch of syntheticBatches(Math.ceil(spans / 10))) {
  builder.add(batch);
  const m = process.memoryUsage();
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  if (m.rss > peakRss) peakRss = m.rss;
  // Every 100k spans, collect and sample what is really retained: the raw
  // peak above also counts garbage V8 had not collected yet, which depends
  // on GC timing more than on what the builder holds.
  if (++batches % 20 === 0 && gc) {
    gc();
    const live = process.memoryUsage().heapUsed;
    if (live > peakLive) peakLive = live;
  }
}
const snap = builder.snapshot();
const seconds = (performance.now() - t0) / 1000;
const MB = 1024 * 1024;
process.stdout.write(
  `${JSON.stringify({
    spans: snap.spans,
    edges: snap.edges.length,
    nodes: snap.nodes.length,
    seconds,
    baseHeapMB: before.heapUsed / MB,
    peakHeapMB: peakHeap / MB,
    peakLiveHeapMB: peakLive / MB,
    peakRssMB: peakRss / MB,
  })}\n`,
);
