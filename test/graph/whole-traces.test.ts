import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import { LATE_SPAN_WARNING } from '../../graph/trace-window.js';
import { FileTraceSource } from '../../ingest/file-source.js';
import { spansFromJaegerJson } from '../../ingest/jaeger-json.js';
import { spansFromOtlpJson } from '../../ingest/otlp-json.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import type { Span } from '../../ingest/span.js';
import { groupedByTrace, holdsWholeTraces, markWholeTraces } from '../../ingest/whole-traces.js';
import { readTraceFixture, traceFixture } from '../support/fixtures.js';
import { hop, root } from './span-factory.js';

const fixedClock = () => new Date('2026-01-01T00:00:00Z');
const fixture = (name: string) => JSON.parse(readTraceFixture(name).toString('utf8'));

describe('whole-trace batches', () => {
  it('analyses a marked batch at once, holding nothing in the assembly window', () => {
    const b = new GraphBuilder();
    const r = root('t1', 'gw');
    const [c, s] = hop('t1', 'gw', 'api', { parent: r.spanId });
    const r2 = root('t2', 'gw');
    b.add(markWholeTraces([s, c, r, r2]));
    expect(b.activeTraces).toBe(0);
    expect(b.traces).toBe(2);
    expect(b.spans).toBe(4);
    const snap = b.snapshot();
    expect(snap.edges.map((e) => [e.id, e.calls])).toEqual([['gw->api', 1]]);
    expect(snap.entrypoints.map((e) => [e.id, e.calls])).toEqual([['gw POST /checkout', 2]]);
  });

  it('builds the same graph from a Jaeger document as the assembly window does', () => {
    const doc = fixture('jaeger-trace.tracegraph-testTrace.json');
    const marked = spansFromJaegerJson(doc, new IngestWarnings());
    expect(holdsWholeTraces(marked)).toBe(true);
    const viaWindow = new GraphBuilder({ now: fixedClock });
    viaWindow.add([...marked]); // a copy carries no mark
    const whole = new GraphBuilder({ now: fixedClock });
    whole.add(marked);
    expect(whole.activeTraces).toBe(0);
    expect(whole.snapshot()).toEqual(viaWindow.snapshot());
  });

  it('sends a whole trace the window already holds part of through the window', () => {
    const b = new GraphBuilder();
    const r = root('t1', 'gw');
    const [c, s] = hop('t1', 'gw', 'api', { parent: r.spanId });
    b.add([r]);
    b.add(markWholeTraces([c, s]));
    expect(b.activeTraces).toBe(1);
    const snap = b.snapshot();
    expect(snap.edges.map((e) => [e.id, e.calls])).toEqual([['gw->api', 1]]);
    expect(snap.traces).toBe(1);
    expect(snap.warnings).toEqual({});
  });

  it('counts spans of an already analysed whole trace as late', () => {
    const b = new GraphBuilder();
    const r = root('t1', 'gw');
    const [c, s] = hop('t1', 'gw', 'api', { parent: r.spanId });
    b.add(markWholeTraces([r, c]));
    b.add([s]);
    expect(b.snapshot().warnings[LATE_SPAN_WARNING]).toBe(1);
  });

  it('leaves OTLP export batches unmarked: they hold what one process flushed', () => {
    const spans = spansFromOtlpJson(fixture('otlp-json.otlp2jaeger-in.json'), new IngestWarnings());
    expect(spans.length).toBeGreaterThan(0);
    expect(holdsWholeTraces(spans)).toBe(false);
  });

  it('groups a single file by trace, since it is the whole read, whatever its format', async () => {
    const file = traceFixture('otlp-json.otlp2jaeger-in.json');
    const out: Span[][] = [];
    for await (const batch of new FileTraceSource([file]).read({ startUs: 0, endUs: Number.MAX_SAFE_INTEGER }, new IngestWarnings())) out.push(batch);
    expect(out).toHaveLength(1);
    expect(holdsWholeTraces(out[0])).toBe(true);
  });

  it('across several files keeps only Jaeger trace objects marked, and only when no time window cuts them', async () => {
    const jaeger = traceFixture('jaeger-trace.tracegraph-testTrace.json');
    const otlp = traceFixture('otlp-json.otlp2jaeger-in.json');
    const marks = async (startUs: number, endUs: number) => {
      const out: boolean[] = [];
      for await (const batch of new FileTraceSource([jaeger, otlp]).read({ startUs, endUs }, new IngestWarnings())) out.push(holdsWholeTraces(batch));
      return out;
    };
    expect(await marks(-Infinity, Infinity)).toEqual([true, false]);
    expect(await marks(0, Number.MAX_SAFE_INTEGER)).toEqual([false, false]);
  });

  it('groups a single OTLP file whose exporter interleaved traces, giving the graph the window would', async () => {
    const r1 = root('t1', 'gw');
    const [c1, s1] = hop('t1', 'gw', 'api', { parent: r1.spanId });
    const r2 = root('t2', 'gw');
    const [c2, s2] = hop('t2', 'gw', 'api', { parent: r2.spanId });
    const grouped = groupedByTrace([s1, s2, c1, r2, c2, r1]);
    expect(grouped.map((s) => s.traceId)).toEqual(['t1', 't1', 't1', 't2', 't2', 't2']);
    const whole = new GraphBuilder({ now: fixedClock });
    whole.add(grouped);
    const viaWindow = new GraphBuilder({ now: fixedClock });
    viaWindow.add([s1, s2, c1, r2, c2, r1]);
    expect(whole.activeTraces).toBe(0);
    expect(whole.snapshot()).toEqual(viaWindow.snapshot());
  });
});
