import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import { LATE_SPAN_WARNING } from '../../graph/trace-window.js';
import { FileTraceSource } from '../../ingest/file-source.js';
import { spansFromJaegerJson } from '../../ingest/jaeger-json.js';
import { spansFromOtlpJson } from '../../ingest/otlp-json.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { holdsWholeTraces, markWholeTraces } from '../../ingest/whole-traces.js';
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

  it('keeps the mark of a Jaeger file read whole, and drops it when a time window may cut traces', async () => {
    const file = traceFixture('jaeger-trace.tracegraph-testTrace.json');
    const batches = async (startUs: number, endUs: number) => {
      const out: boolean[] = [];
      for await (const batch of new FileTraceSource([file]).read({ startUs, endUs }, new IngestWarnings())) out.push(holdsWholeTraces(batch));
      return out;
    };
    expect(await batches(-Infinity, Infinity)).toEqual([true]);
    expect(await batches(0, Number.MAX_SAFE_INTEGER)).toEqual([false]);
  });
});
