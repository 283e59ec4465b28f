/**
 * One graph document, accepted everywhere: `faultline plan --graph` takes
 * the bare snapshot, the graph.json `faultline graph --out` writes, what
 * `GET /v1/graph` answers, and the record that route answered before; the
 * reader (graph/import-json.ts) is a parser, so it gets properties too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { silentLog } from '../../../src/log.js';
import { startServer } from '../../../src/server.js';
import { importGraph } from '../../../graph/import-json.js';
import type { GraphSnapshot } from '../../../graph/model.js';
import { isFaultlineError } from '../../../base/errors.js';
import type { Plan } from '../../../generators/plan.js';
import { traceFixture } from '../../support/fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-graphdoc-'));
  // A manifest naming its traces relative to its own folder.
  copyFileSync(traceFixture('jaeger-trace.tracegraph-testTrace.json'), join(dir, 'traces.json'));
  writeFileSync(join(dir, 'faultline.yaml'), 'version: 1\nsystem: { name: fixture }\ntraces: { type: files, paths: [traces.json] }\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({ FAULTLINE_DATA_DIR: join(dir, 'data') }, o) };
}

async function planFrom(graphFile: string): Promise<Plan> {
  const io = cli();
  const code = await main(['plan', '--manifest', 'faultline.yaml', '--graph', graphFile, '--out-dir', `out-${graphFile}`, '--json'], io);
  // The manifest has no claims: the plan is printed and written, and the command says it is empty (exit 1, nothing else wrong).
  expect(io.stderr.join('\n')).not.toMatch(/faultline: (?!EMPTY: )/);
  expect(code).toBe(1);
  return JSON.parse(io.stdout.join('\n')) as Plan;
}

describe('faultline plan --graph', () => {
  let fromTraces: Plan;
  beforeAll(async () => {
    const io = cli();
    expect(await main(['graph', 'traces.json', '--out', 'graph.json'], io)).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as { graph: GraphSnapshot };
    writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(doc.graph));
    const plain = cli();
    expect(await main(['plan', '--manifest', 'faultline.yaml', '--out-dir', 'out-traces', '--json'], plain)).toBe(1); // no claims: an empty plan
    fromTraces = JSON.parse(plain.stdout.join('\n')) as Plan;
  });

  it('takes the graph.json that faultline graph --out writes', async () => {
    const plan = await planFrom('graph.json');
    expect(plan.architecture).toEqual(fromTraces.architecture);
    expect(plan.scenarios.map((s) => s.id)).toEqual(fromTraces.scenarios.map((s) => s.id));
  });

  it('takes a bare snapshot', async () => {
    expect((await planFrom('snapshot.json')).architecture).toEqual(fromTraces.architecture);
  });

  it("takes GET /v1/graph's answer, and the record that route answered before", async () => {
    const config = loadConfig({ FAULTLINE_API_TOKENS: 's3cret' }, { dataDir: join(dir, 'api-data'), host: '127.0.0.1', port: 0 });
    const server = await startServer(config, { manifestPath: join(dir, 'faultline.yaml'), baseDir: dir, log: silentLog });
    try {
      expect((await fetch(`${server.url}/v1/plans?graph=fresh`, { method: 'POST', headers: { authorization: 'Bearer s3cret' } })).status).toBe(201);
      const answer = (await (await fetch(`${server.url}/v1/graph`)).json()) as { schemaVersion: number; id: string; createdAt: string; graph: GraphSnapshot; ranking: unknown };
      expect(Object.keys(answer).sort()).toEqual(['createdAt', 'graph', 'id', 'ranking', 'schemaVersion']);
      writeFileSync(join(dir, 'api.json'), JSON.stringify(answer));
      writeFileSync(join(dir, 'record.json'), JSON.stringify({ id: answer.id, createdAt: answer.createdAt, snapshot: answer.graph, ranking: answer.ranking }));
    } finally {
      await server.stop({ graceMs: 100 });
    }
    expect((await planFrom('api.json')).architecture).toEqual(fromTraces.architecture);
    expect((await planFrom('record.json')).architecture).toEqual(fromTraces.architecture);
  });

  it('writes the trace files relative to the plan, so run finds them from anywhere', () => {
    expect(fromTraces.traces).toEqual({ type: 'files', paths: ['../traces.json'] });
  });

  it('rejects JSON that is no graph, naming the file', async () => {
    writeFileSync(join(dir, 'nope.json'), JSON.stringify({ schemaVersion: 1, nodes: [] }));
    const io = cli();
    expect(await main(['plan', '--manifest', 'faultline.yaml', '--graph', 'nope.json'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/BAD_INPUT: .*nope\.json is not a graph document/);
  });
});

const snapshotArb = fc.record({
  nodes: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 5 }),
  spans: fc.nat(),
}).map(({ nodes, spans }): GraphSnapshot => ({
  schemaVersion: 1,
  builtAt: '2026-01-01T00:00:00.000Z',
  spans,
  traces: 0,
  warnings: {},
  nodes: nodes.map((id) => ({ id }) as unknown as GraphSnapshot['nodes'][number]),
  edges: [],
  entrypoints: [],
  crossings: {},
  depth: {},
}));

describe('importGraph', () => {
  it('reads the same snapshot out of every wrapping, and keeps a real ranking', () => {
    fc.assert(fc.property(snapshotArb, fc.boolean(), (snapshot, ranked) => {
      const ranking = ranked ? { weights: { errorRate: 1 }, items: [] } : undefined;
      const wrappings = [snapshot, { schemaVersion: 1, graph: snapshot, ranking }, { schemaVersion: 1, id: 'g', createdAt: 'now', graph: snapshot, ranking }, { id: 'g', createdAt: 'now', snapshot, ranking }];
      for (const doc of wrappings.slice(1)) expect(importGraph(JSON.parse(JSON.stringify(doc)), 'x')).toEqual(ranking ? { snapshot, ranking } : { snapshot });
      expect(importGraph(snapshot, 'x')).toEqual({ snapshot });
    }));
  });

  it('either finds a snapshot or fails with BAD_INPUT, whatever the JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (doc) => {
      try {
        const { snapshot } = importGraph(doc, 'x');
        expect(snapshot.schemaVersion).toBe(1);
        expect(Array.isArray(snapshot.edges)).toBe(true);
      } catch (err) {
        expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
      }
    }));
  });
});
