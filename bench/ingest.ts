/**
 * Ingest benchmark (`npm run bench -- ingest`):
 *
 * 1. Throughput of ingest-to-graph — parse + convert to Spans + fold into
 *    the GraphBuilder, through the same calls the file source and receiver
 *    make — for OTLP JSON, OTLP protobuf and Jaeger JSON, each as a ratio
 *    against only parsing the same bytes (JSON.parse / protobufjs decode)
 *    in the same run, median of 5 interleaved rounds after a warm-up.
 *    Twice: spans as instrumentations record them, and lean spans carrying
 *    little beyond what faultline maps (bench/synthetic.ts `Payload`).
 *    Target: ≥ 0.5 of bare parse.
 * 2. Peak memory building the graph from 0.5M and 5M synthetic spans
 *    streamed in batches, each size in its own child process. Target: the
 *    5M peak heap within 1.5× of the 0.5M one (memory follows services and
 *    edges, not spans).
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GraphBuilder } from '../graph/builder.js';
import { spansFromDocument } from '../ingest/format.js';
import { spansFromJaegerJson } from '../ingest/jaeger-json.js';
import { spansFromOtlpJson } from '../ingest/otlp-json.js';
import { decodeOtlpProto, encodeOtlpProto, spansFromOtlpProto } from '../ingest/otlp-proto.js';
import type { Span } from '../ingest/span.js';
import { IngestWarnings } from '../ingest/warnings.js';
import { groupedByTrace } from '../ingest/whole-traces.js';
import type { BenchResult } from './result.js';
import { syntheticBatches, toJaegerJson, toOtlpJson, type Payload } from './synthetic.js';

const THROUGHPUT_TRACES = 20_000; // 200,000 spans per format
const ROUNDS = 5;
/** Spans as instrumentations record them, then the lean lower bound (bench/synthetic.ts). */
const PAYLOADS: Payload[] = ['instrumented', 'lean'];

const gc = () => (globalThis as { gc?: () => void }).gc?.();

interface Format {
  name: string;
  docs: (string | Uint8Array)[];
  parse(doc: string | Uint8Array): unknown;
  convert(doc: string | Uint8Array, w: IngestWarnings): Span[];
}

function formats(payload: Payload): Format[] {
  const batches = [...syntheticBatches(THROUGHPUT_TRACES, 2000, 7)];
  return [
    {
      name: 'OTLP JSON',
      docs: batches.map((b) => JSON.stringify(toOtlpJson(b, payload))),
      parse: (d) => JSON.parse(d as string),
      convert: (d, w) => spansFromOtlpJson(JSON.parse(d as string), w),
    },
    {
      // `faultline graph export.jsonl`: one file of OTLP JSON lines (a
      // collector's file exporter), read whole, so its spans are grouped by
      // trace and skip the assembly window (ingest/file-source.ts).
      name: 'OTLP JSON lines, one file',
      docs: [batches.map((b) => JSON.stringify(toOtlpJson(b, payload))).join('\n')],
      parse: (d) => (d as string).split('\n').map((line) => JSON.parse(line) as unknown),
      convert: (d, w) => groupedByTrace(spansFromDocument(d as string, w)),
    },
    {
      name: 'OTLP protobuf',
      docs: batches.map((b) => encodeOtlpProto(toOtlpJson(b, payload))),
      parse: (d) => decodeOtlpProto(d as Uint8Array),
      convert: (d, w) => spansFromOtlpProto(d as Uint8Array, w),
    },
    {
      name: 'Jaeger JSON',
      docs: batches.map((b) => JSON.stringify(toJaegerJson(b, payload))),
      parse: (d) => JSON.parse(d as string),
      convert: (d, w) => spansFromJaegerJson(JSON.parse(d as string), w),
    },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeBare(f: Format): number {
  gc();
  const t0 = performance.now();
  let keep = 0;
  for (const d of f.docs) if (f.parse(d)) keep++;
  if (keep !== f.docs.length) throw new Error('parse produced nothing');
  return (performance.now() - t0) / 1000;
}

function timeConvert(f: Format): number {
  gc();
  const t0 = performance.now();
  const warnings = new IngestWarnings();
  let n = 0;
  for (const d of f.docs) n += f.convert(d, warnings).length;
  if (n === 0) throw new Error('convert produced nothing');
  return (performance.now() - t0) / 1000;
}

function timeFull(f: Format): { seconds: number; spans: number; edges: number } {
  gc();
  const t0 = performance.now();
  const warnings = new IngestWarnings();
  const builder = new GraphBuilder({ warnings });
  for (const d of f.docs) builder.add(f.convert(d, warnings));
  const snap = builder.snapshot();
  const seconds = (performance.now() - t0) / 1000;
  if (warnings.total > 0) throw new Error(`unexpected warnings: ${warnings.lines().join('; ')}`);
  return { seconds, spans: snap.spans, edges: snap.edges.length };
}

async function memory(spans: number): Promise<{ peakHeapMB: number; peakLiveHeapMB: number; peakRssMB: number; seconds: number; edges: number }> {
  const here = dirname(fileURLToPath(import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'ingest-memory.ts'), String(spans)], {
    cwd: join(here, '..'),
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** Throughput of one format on one payload, as a result row. */
function throughput(f: Format, payload: Payload): BenchResult {
  const bare: number[] = [];
  const full: number[] = [];
  const convert: number[] = [];
  let spans = 0;
  let edges = 0;
  // One untimed warm-up of each side (JSON.parse and protobuf decode need no
  // JIT warm-up, the converters and builder do), then interleaved rounds so
  // machine noise hits both sides alike; the median of each side is reported.
  timeBare(f);
  timeFull(f);
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(timeBare(f));
    convert.push(timeConvert(f));
    const x = timeFull(f);
    full.push(x.seconds);
    spans = x.spans;
    edges = x.edges;
  }
  const bareRate = spans / median(bare);
  const fullRate = spans / median(full);
  const ratio = fullRate / bareRate;
  const convertRate = spans / median(convert);
  const bytes = f.docs.reduce((n, d) => n + d.length, 0);
  return {
    bench: 'ingest',
    name: `${f.name} ingest→graph, ${payload} spans`,
    value: Math.round(fullRate),
    unit: 'spans/s',
    baseline: Math.round(bareRate),
    ratio: Number(ratio.toFixed(3)),
    target: '≥ 0.50 of bare parse',
    pass: ratio >= 0.5,
    note: `${spans.toLocaleString('en-US')} spans (${Math.round(bytes / spans)} B each), ${edges} edges; parse+convert without graph ${(convertRate / bareRate).toFixed(2)} of bare`,
  };
}

/** Run the ingest benchmark. */
export async function run(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const payload of PAYLOADS) for (const f of formats(payload)) out.push(throughput(f, payload));
  const small = await memory(500_000);
  const large = await memory(5_000_000);
  type Peak = 'peakLiveHeapMB' | 'peakHeapMB' | 'peakRssMB';
  // One row per memory figure: the 5M-span peak against the 0.5M one.
  const row = (key: Peak, name: string, extra: Partial<BenchResult>): BenchResult => ({
    bench: 'ingest',
    name: `graph build ${name}, 5M vs 0.5M spans`,
    value: Number(large[key].toFixed(1)),
    unit: 'MB',
    baseline: Number(small[key].toFixed(1)),
    ratio: Number((large[key] / small[key]).toFixed(3)),
    ...extra,
  });
  const live = large.peakLiveHeapMB / small.peakLiveHeapMB;
  out.push(
    row('peakLiveHeapMB', 'peak live heap (after GC)', {
      target: '≤ 1.5× the 0.5M peak',
      pass: live <= 1.5,
      note: `${large.seconds.toFixed(1)} s vs ${small.seconds.toFixed(1)} s; ${large.edges} edges`,
    }),
    row('peakHeapMB', 'peak heapUsed (raw, incl. garbage)', { note: 'depends on when V8 collects; informational' }),
    row('peakRssMB', 'peak RSS', { note: 'whole process incl. tsx loader; informational' }),
  );
  return out;
}
