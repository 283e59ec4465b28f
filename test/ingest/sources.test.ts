import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FileTraceSource } from '../../ingest/file-source.js';
import { parseLookback, traceSourceFromSpec } from '../../ingest/source-factory.js';
import { EVICTED_SPANS, SpanStore } from '../../ingest/span-store.js';
import { JaegerTraceSource } from '../../ingest/jaeger-client.js';
import { TempoTraceSource } from '../../ingest/tempo-client.js';
import type { Span } from '../../ingest/span.js';
import type { TraceQuery, TraceSource } from '../../ingest/trace-source.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { holdsWholeTraces } from '../../ingest/whole-traces.js';
import { isFaultlineError } from '../../base/errors.js';
import { readTraceFixture, traceFixture } from '../support/fixtures.js';

const ALL = { startUs: -Infinity, endUs: Infinity };

async function readAll(src: TraceSource, q: TraceQuery, w = new IngestWarnings()): Promise<Span[]> {
  const out: Span[] = [];
  for await (const batch of src.read(q, w)) out.push(...batch);
  return out;
}

function span(i: number, startUs: number, service = 'a', traceId = `t${i}`): Span {
  return { traceId, spanId: `s${i}`, service, operation: 'op', kind: 'server', startUs, durationUs: 1, status: 'unset', attributes: {} };
}

describe('FileTraceSource', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'faultline-ingest-'));

  it('reads several formats, gzip included, and filters by a finite window', async () => {
    const gz = join(tmp, 'tempo.bin');
    writeFileSync(gz, gzipSync(readTraceFixture('tempo-trace-v1.kiali-responseTrace.json')));
    const src = new FileTraceSource([traceFixture('jaeger-trace.tracegraph-testTrace.json'), gz]);
    expect(await readAll(src, ALL)).toHaveLength(19);
    // Only the Tempo trace (2023) lies in this window.
    const window = { startUs: 1701779876571000, endUs: 1701779876579000 };
    expect((await readAll(src, window)).map((s) => s.spanId).sort()).toEqual(['1210042c36f8be92', '77191048cb7dadc4', '84756b1dab0856fa', 'd23de5feae19a76d', 'e9c8fd1deb3e88dd']);
  });

  it('fails with TRACE_FORMAT naming a single truncated file', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"resourceSpans": [{"scopeSpans": ');
    const err = await readAll(new FileTraceSource([bad]), ALL).catch((e: unknown) => e);
    expect(isFaultlineError(err, 'TRACE_FORMAT')).toBe(true);
    expect((err as Error).message).toBe(`file ${bad}: truncated JSON at byte 34`);
  });

  it('skips a bad file among several with a warning and keeps the rest', async () => {
    const bad = join(tmp, 'half.json');
    writeFileSync(bad, readTraceFixture('jaeger-trace.ui_01.json').subarray(0, 100));
    const w = new IngestWarnings();
    const spans = await readAll(new FileTraceSource([bad, traceFixture('otlp-json.otel-proto-example-trace.json')]), ALL, w);
    expect(spans.map((s) => s.spanId)).toEqual(['eee19b7ec3c1b174']);
    expect(w.toJSON()).toEqual({ 'skipped file half.json: truncated JSON at byte 100': 1 });
  });

  it('fails with BAD_INPUT for a missing file', async () => {
    const err = await readAll(new FileTraceSource([join(tmp, 'nope.json')]), ALL).catch((e: unknown) => e);
    expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
    expect((err as Error).message).toContain('nope.json: ENOENT');
  });

  it('keeps only traces touching the queried service, up to maxTraces', async () => {
    const src = new FileTraceSource([traceFixture('tempo-trace-v1.kiali-responseTrace.json'), traceFixture('jaeger-trace.tracegraph-testTrace.json')]);
    const svc = await readAll(src, { ...ALL, service: 'service2' });
    expect(svc).toHaveLength(11);
    expect(await readAll(src, { ...ALL, maxTraces: 1 })).toHaveLength(8);
  });
});

describe('SpanStore', () => {
  it('evicts the oldest spans past retainSpans and counts them', () => {
    const store = new SpanStore(3);
    store.add([span(1, 10), span(2, 20)]);
    store.add([span(3, 30), span(4, 40), span(5, 50)]);
    expect(store.size).toBe(3);
    expect(store.evicted).toBe(2);
    expect(store.snapshot(ALL).map((s) => s.spanId)).toEqual(['s3', 's4', 's5']);
  });

  it('reads a half-open time window and warns when the window reaches evicted spans', async () => {
    const store = new SpanStore(3);
    store.add([1, 2, 3, 4, 5].map((i) => span(i, i * 10)));
    const w = new IngestWarnings();
    expect((await readAll(store, { startUs: 30, endUs: 50 }, w)).map((s) => s.spanId)).toEqual(['s3', 's4']);
    expect(w.total).toBe(0);
    await readAll(store, { startUs: 0, endUs: 50 }, w);
    expect(w.toJSON()).toEqual({ [EVICTED_SPANS]: 2 });
  });

  it('yields large reads in batches of at most 10 000 spans', async () => {
    const store = new SpanStore(25_000);
    store.add(Array.from({ length: 25_000 }, (_, i) => span(i, i)));
    const sizes: number[] = [];
    for await (const b of store.read(ALL, new IngestWarnings())) sizes.push(b.length);
    expect(sizes).toEqual([10_000, 10_000, 5_000]);
  });

  it('reads whole traces grouped together and marked so, however their spans arrived', async () => {
    const store = new SpanStore(100);
    const inTrace = (traceId: string, i: number): Span => span(i, i * 10, 'a', traceId);
    store.add([inTrace('a', 1), inTrace('b', 2)]);
    store.add([inTrace('a', 3), inTrace('c', 4), inTrace('b', 5)]);
    const batches: Span[][] = [];
    for await (const b of store.read(ALL, new IngestWarnings())) batches.push(b);
    expect(batches.map((b) => b.map((s) => `${s.traceId}:${s.spanId}`))).toEqual([['a:s1', 'a:s3', 'b:s2', 'b:s5', 'c:s4']]);
    expect(holdsWholeTraces(batches[0])).toBe(true);
  });
});

describe('source factory', () => {
  it('parses lookbacks and rejects junk', () => {
    expect(parseLookback('7d')).toBe(604_800_000);
    expect(parseLookback('90m')).toBe(5_400_000);
    expect(parseLookback('30s')).toBe(30_000);
    expect(parseLookback('1h')).toBe(3_600_000);
    for (const junk of ['', '7', 'd', '-1h', '1y', '0s', 'abc']) {
      expect(() => parseLookback(junk)).toThrow(/lookback must be a positive duration/);
    }
  });

  it('builds the source named by the spec', () => {
    const store = new SpanStore(10);
    expect(traceSourceFromSpec({ type: 'otlp' }, store)).toBe(store);
    expect(traceSourceFromSpec({ type: 'files', paths: ['a.json'] })).toBeInstanceOf(FileTraceSource);
    const j = traceSourceFromSpec({ type: 'jaeger', url: 'http://127.0.0.1:16686/', lookback: '2h' });
    expect(j).toBeInstanceOf(JaegerTraceSource);
    expect(j.describe).toBe('jaeger http://127.0.0.1:16686');
    expect(traceSourceFromSpec({ type: 'tempo', url: 'http://127.0.0.1:3200' })).toBeInstanceOf(TempoTraceSource);
    expect(() => traceSourceFromSpec({ type: 'otlp' })).toThrow(/OTLP receiver/);
    expect(() => traceSourceFromSpec({ type: 'jaeger', url: 'http://x', lookback: 'soon' })).toThrow(/lookback/);
  });
});

describe('SpanStore.whenQuiet', () => {
  it('resolves once spans stop arriving, with the count held', async () => {
    const store = new SpanStore(1000);
    const span = (id: string): Span => ({ traceId: 't', spanId: id, service: 's', operation: 'op', kind: 'server', startUs: 1, durationUs: 1, status: 'unset', attributes: {} });
    store.add([span('a')]);
    const late = setTimeout(() => store.add([span('b')]), 150);
    const n = await store.whenQuiet(400, 5000);
    clearTimeout(late);
    expect(n).toBe(2);
  });
});
