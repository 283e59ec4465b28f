/**
 * OTLP collection: `faultline collect` writes what its receiver gets as
 * OTLP JSON lines that `faultline graph` reads back to the same graph, and
 * `faultline plan` on a `traces: {type: otlp}` manifest receives spans
 * itself before planning. Spans are pushed over real HTTP, as an
 * OpenTelemetry exporter would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { spansFromDocument } from '../../../ingest/format.js';
import { toOtlpJson } from '../../../ingest/otlp-json-encode.js';
import { spansFromOtlpJson } from '../../../ingest/otlp-json.js';
import type { Span } from '../../../ingest/span.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { Plan } from '../../../generators/plan.js';
import { readTraceFixture, traceFixture } from '../../support/fixtures.js';
import { freePort } from '../../support/ports.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-collect-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({ FAULTLINE_DATA_DIR: join(dir, 'data') }, o) };
}

/** The Jaeger fixture's spans as an exporter would push them: OTLP JSON, one request per trace half. */
function exportBodies(): string[] {
  const spans = spansFromDocument(readTraceFixture('jaeger-trace.tracegraph-testTrace.json'), new IngestWarnings());
  const half = Math.ceil(spans.length / 2);
  return [spans.slice(0, half), spans.slice(half)].map((s) => JSON.stringify(toOtlpJson(s)));
}

/** POST each body once the receiver on `port` answers; resolves after the last one was accepted. */
async function push(port: number, bodies: (string | Buffer)[], contentType = 'application/json'): Promise<void> {
  for (const body of bodies) {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });
        expect(res.status).toBe(200);
        break;
      } catch (err) {
        if (attempt > 100) throw err;
        await new Promise((r) => setTimeout(r, 30));
      }
    }
  }
}

describe('faultline collect', () => {
  it('writes received spans as OTLP JSON lines that faultline graph reads back to the same graph', async () => {
    const port = await freePort();
    const io = cli();
    const collecting = main(['collect', '--for', '2s', '--out', 'traces.jsonl', '--port', String(port)], io);
    await push(port, exportBodies());
    await push(port, [readTraceFixture('otlp-protobuf.otel-proto-example-trace.protobuf-bin')], 'application/x-protobuf');
    expect(await collecting).toBe(0);
    const err = io.stderr.join('\n');
    expect(err).toContain(`receiving OTLP at http://127.0.0.1:${port}/v1/traces for 2 s: set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}`);
    expect(err).toMatch(/… \d+ spans in \d+ traces, \d+ s left/);
    const lines = readFileSync(join(dir, 'traces.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);

    // The collected file and the original traces give one graph (plus the protobuf example's service).
    const fromFile = cli();
    expect(await main(['graph', 'traces.jsonl', '--json'], fromFile)).toBe(0);
    const original = cli();
    expect(await main(['graph', traceFixture('jaeger-trace.tracegraph-testTrace.json'), '--json'], original)).toBe(0);
    const collected = JSON.parse(fromFile.stdout.join('\n')) as { graph: { edges: { id: string; calls: number }[]; spans: number } };
    const direct = JSON.parse(original.stdout.join('\n')) as { graph: { edges: { id: string; calls: number }[]; spans: number } };
    expect(collected.graph.edges.map((e) => [e.id, e.calls])).toEqual(expect.arrayContaining(direct.graph.edges.map((e) => [e.id, e.calls])));
    expect(collected.graph.spans).toBe(direct.graph.spans + 1);
    expect(io.stdout.join('\n')).toBe(`wrote ${direct.graph.spans + 1} spans in 2 traces to traces.jsonl`);
  });

  it('names the port when it is taken', async () => {
    const port = await freePort();
    const first = main(['collect', '--for', '1500ms', '--out', 'a.jsonl', '--port', String(port)], cli());
    await push(port, [JSON.stringify({ resourceSpans: [] })]); // resolves once the first one listens
    const io = cli();
    expect(await main(['collect', '--for', '1s', '--out', 'b.jsonl', '--port', String(port)], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(new RegExp(`PORT_IN_USE: .*port ${port} is already in use`));
    expect(await first).toBe(0);
  });
});

describe('faultline plan with traces: {type: otlp}', () => {
  it('receives spans for traces.collectFor, then plans from them', async () => {
    writeFileSync(join(dir, 'otlp.yaml'), 'version: 1\nsystem: { name: pushed }\ntraces: { type: otlp, collectFor: 2s }\n');
    const port = await freePort();
    const io = cli();
    const planning = main(['plan', '--manifest', 'otlp.yaml', '--otlp-port', String(port), '--out-dir', 'otlp-plan', '--json'], io);
    await push(port, exportBodies());
    // The manifest has no claims, so the plan is empty: printed, then exit 1 with why.
    expect(await planning).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/EMPTY: plan .* has no scenario/);
    expect(io.stderr.join('\n')).toContain('for 2 s: set OTEL_EXPORTER_OTLP_ENDPOINT=');
    const plan = JSON.parse(io.stdout.join('\n')) as Plan;
    expect(plan.architecture.edges).toBeGreaterThan(0);
    expect(plan.traces).toEqual({ type: 'otlp', collectFor: '2s' });
  });

  it('says where to point the exporter when nothing arrived', async () => {
    writeFileSync(join(dir, 'quiet.yaml'), 'version: 1\nsystem: { name: quiet }\ntraces: { type: otlp }\n');
    const port = await freePort();
    const io = cli();
    expect(await main(['plan', '--manifest', 'quiet.yaml', '--otlp-port', String(port), '--collect-for', '500ms'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(new RegExp(`BAD_INPUT: no spans arrived on port ${port} .*OTEL_EXPORTER_OTLP_ENDPOINT`));
  });
});

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((s) => !/^0+$/.test(s));
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const spanArb: fc.Arbitrary<Span> = fc.record({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: fc.option(hex(16), { nil: undefined }),
  service: word,
  operation: fc.string({ maxLength: 12 }),
  kind: fc.constantFrom('unspecified', 'internal', 'server', 'client', 'producer', 'consumer'),
  startUs: fc.integer({ min: 1_600_000_000_000_000, max: 1_900_000_000_000_000 }),
  durationUs: fc.integer({ min: 0, max: 10_000_000 }),
  status: fc.constantFrom('unset', 'ok', 'error'),
  attributes: fc.record({ peerService: word, httpMethod: fc.constantFrom('GET', 'POST'), httpStatusCode: fc.integer({ min: 100, max: 599 }), dbSystem: word, serverPort: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: [] }),
}, { requiredKeys: ['traceId', 'spanId', 'service', 'operation', 'kind', 'startUs', 'durationUs', 'status', 'attributes'] }) as fc.Arbitrary<Span>;

describe('OTLP JSON encoding of collected spans', () => {
  it('reads back to the same spans', () => {
    fc.assert(fc.property(fc.uniqueArray(spanArb, { selector: (s) => `${s.traceId}/${s.spanId}`, maxLength: 8 }), (spans) => {
      const back = spansFromOtlpJson(JSON.parse(JSON.stringify(toOtlpJson(spans))), new IngestWarnings());
      const key = (s: Span) => `${s.traceId}/${s.spanId}`;
      const clean = (s: Span) => JSON.parse(JSON.stringify(s)) as unknown;
      expect(back.map(clean).sort((a, b) => key(a as Span).localeCompare(key(b as Span)))).toEqual(spans.map(clean).sort((a, b) => key(a as Span).localeCompare(key(b as Span))));
    }));
  });
});
