import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerGraph } from '../../src/cli/commands/graph.js';
import type { CliIO } from '../../src/cli/command.js';
import { loadConfig } from '../../src/config.js';
import { isFaultlineError } from '../../base/errors.js';
import { traceFixture } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-graph-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({}, o) };
  const program = new Command('faultline').exitOverride();
  registerGraph(program, io);
  let error: unknown;
  try {
    await program.parseAsync(['graph', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out: out.join('\n'), err: err.join('\n'), error };
}

describe('faultline graph', () => {
  it('prints the top risks and a summary for trace files, with progress on stderr', async () => {
    const r = await run([traceFixture('tempo-trace-v1.kiali-responseTrace.json'), traceFixture('jaeger-trace.tracegraph-testTrace.json'), '--top', '3']);
    expect(r.error).toBeUndefined();
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^#\s+item\s+score\s+key factors\s+reason$/);
    expect(lines).toHaveLength(2 + 3 + 1);
    expect(lines[2]).toMatch(/^1\s+service1 - op1 => service1->unknown\s+60\.0\s+err 50%, blast 50%, retries 2\.00×, no timeout evidence, 1 hop\s+op1 on service1/);
    expect(lines.at(-1)).toBe('7 services, 2 dependencies, 7 edges, 2 entrypoints, 19 spans, 2 traces, 2 warnings');
    expect(r.err).toContain('read 19 spans in 2 traces');
    expect(r.err).toContain('warning: 2× client span names no callee: recorded as calling "unknown"');
  });

  it('prints one JSON document with --json', async () => {
    const r = await run([traceFixture('tempo-trace-v1.kiali-responseTrace.json'), '--json']);
    const doc = JSON.parse(r.out);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.graph.edges).toHaveLength(4);
    expect(doc.ranking.items[0].kind).toBe('path');
  });

  it('prints Mermaid and writes DOT to --out while still printing the table', async () => {
    const m = await run([traceFixture('tempo-trace-v1.kiali-responseTrace.json'), '--mermaid']);
    expect(m.out.split('\n')[0]).toBe('flowchart LR');
    expect(m.out.match(/-->/g)).toHaveLength(4);
    const d = await run([traceFixture('tempo-trace-v1.kiali-responseTrace.json'), '--dot', '--out', 'g.dot']);
    expect(readFileSync(join(dir, 'g.dot'), 'utf8')).toMatch(/^digraph faultline \{/);
    expect(d.out).toMatch(/5 services, 0 dependencies, 4 edges/);
    expect(d.err).toContain('wrote g.dot');
  });

  it('ranks a Jaeger dependency list with --dependencies', async () => {
    const r = await run([traceFixture('jaeger-dependencies.large.json'), '--dependencies', '--top', '5']);
    expect(r.error).toBeUndefined();
    expect(r.out.split('\n')).toHaveLength(2 + 5 + 1);
    expect(r.out).toContain('1,238 services, 0 dependencies, 4,271 edges, 0 entrypoints, 0 spans');
  });

  it('refuses bad flags and missing inputs with stable codes', async () => {
    const none = await run([]);
    expect(isFaultlineError(none.error, 'BAD_INPUT')).toBe(true);
    const top = await run([traceFixture('tempo-trace-v1.kiali-responseTrace.json'), '--top', 'x']);
    expect(isFaultlineError(top.error, 'BAD_INPUT') && top.error.message).toBe('--top must be a positive integer, got "x"');
    const both = await run(['--jaeger', 'http://127.0.0.1:1', '--tempo', 'http://127.0.0.1:1']);
    expect(isFaultlineError(both.error, 'BAD_INPUT')).toBe(true);
    const lookback = await run(['--jaeger', 'http://127.0.0.1:1', '--lookback', 'soon']);
    expect(isFaultlineError(lookback.error, 'BAD_INPUT') && lookback.error.message).toMatch(/^lookback must be a positive duration/);
    const missing = await run(['no-such-file.json']);
    expect(isFaultlineError(missing.error, 'BAD_INPUT') && missing.error.message).toMatch(/no-such-file\.json/);
  });
});
