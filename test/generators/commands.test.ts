import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerPlan } from '../../src/cli/commands/plan.js';
import { registerProxies } from '../../src/cli/commands/proxies.js';
import type { CliIO } from '../../src/cli/command.js';
import { loadConfig } from '../../src/config.js';
import { validatePlan } from '../../generators/plan-schema.js';
import { traceFixture } from '../support/fixtures.js';
import { manifestYaml, sampleRanking, sampleSnapshot } from './sample-system.js';
import { ADOPTED, withApiProxy, withClaims } from './plan-input.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-plan-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({}, o) };
  const program = new Command().exitOverride();
  registerPlan(program, io);
  registerProxies(program, io);
  await program.parseAsync(args, { from: 'user' });
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('faultline plan', () => {
  writeFileSync(join(dir, 'faultline.yaml'), withClaims(withApiProxy(), ADOPTED.checkoutErrors));
  writeFileSync(join(dir, 'graph.json'), JSON.stringify({ schemaVersion: 1, graph: sampleSnapshot(), ranking: sampleRanking() }));

  it('writes plan.json and plan.md from a saved graph and prints the scenario table', async () => {
    const { out } = await run(['plan', '--manifest', 'faultline.yaml', '--graph', 'graph.json', '--out-dir', 'out']);
    const plan = validatePlan(JSON.parse(readFileSync(join(dir, 'out', 'plan.json'), 'utf8')));
    expect(plan.scenarios).toHaveLength(8);
    expect(readFileSync(join(dir, 'out', 'plan.md'), 'utf8')).toContain('## Confidence statement');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Scenario\s+Claim\s+Edge\s+Fault\s+Landing$/);
    expect(out).toMatch(/checkout_p99_under_payments_slow_under_timeout\s+checkout_p99_under_800ms\s+orders->payments\s+latency\s+edge-latency/);
    expect(out).toMatch(/checkout_errors_under_payments_black_hole\s+checkout_errors_under_4pct, checkout_p99_under_800ms\s+orders->payments\s+timeout\s+edge-errors/);
    expect(lines.at(-1)).toMatch(/^8 scenario\(s\) for 5 claim\(s\) \(2 inferred\), 3 missing claim\(s\); wrote out\/plan\.json and plan\.md$/);
  });

  it('prints the plan as JSON with --json and says why --llm fell back when no endpoint is configured', async () => {
    const { out, err } = await run(['plan', '--manifest', 'faultline.yaml', '--graph', 'graph.json', '--out-dir', 'out-json', '--json', '--llm']);
    const plan = validatePlan(JSON.parse(out));
    expect(plan.generator).toEqual({ kind: 'rule', fallbackReason: 'LLM requested but not configured: no model (manifest llm.model or FAULTLINE_LLM_MODEL)' });
    expect(err).toContain('LLM not used: LLM requested but not configured');
  });

  it('reads traces from the manifest source when no graph is given', async () => {
    writeFileSync(join(dir, 'files.yaml'), `version: 1\nsystem: { name: fixture }\ntraces: { type: files, paths: [${JSON.stringify(traceFixture('jaeger-trace.tracegraph-testTrace.json'))}] }\n`);
    // No claims in this manifest: the plan is written, and the command fails because it is empty.
    await expect(run(['plan', '--manifest', 'files.yaml', '--out-dir', 'out-files'])).rejects.toMatchObject({ code: 'EMPTY', message: expect.stringContaining('no claim to test') });
    const plan = validatePlan(JSON.parse(readFileSync(join(dir, 'out-files', 'plan.json'), 'utf8')));
    expect(plan.system).toBe('fixture');
    expect(plan.architecture.services).toBeGreaterThan(0);
  });

  it('fails with MANIFEST_INVALID naming the key for a bad manifest', async () => {
    writeFileSync(join(dir, 'bad.yaml'), manifestYaml.replace('entrypoints:', 'entrypionts:'));
    await expect(run(['plan', '--manifest', 'bad.yaml', '--graph', 'graph.json'])).rejects.toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('unknown key "entrypionts"') });
  });

  it('fails with BAD_INPUT for a graph file that is not a snapshot', async () => {
    writeFileSync(join(dir, 'not-graph.json'), '{"hello": 1}');
    await expect(run(['plan', '--manifest', 'faultline.yaml', '--graph', 'not-graph.json'])).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('faultline proxies suggest', () => {
  it('suggests proxies for a trace file, writes populate JSON and explains TODO upstreams', async () => {
    const { out, err } = await run(['proxies', 'suggest', traceFixture('jaeger-trace.tracegraph-testTrace.json'), '--json', '--populate', 'populate.json', '--base-port', '26000']);
    const doc = JSON.parse(out) as { proxies: { name: string; listen: string; upstream: string }[]; populate: unknown[]; todo: { proxy: string }[] };
    expect(doc.proxies.length).toBeGreaterThan(0);
    expect(doc.proxies[0].listen).toBe('127.0.0.1:26000');
    expect(doc.proxies.every((p) => /^[a-z][a-z0-9_]*_to_[a-z][a-z0-9_]*$/.test(p.name))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'populate.json'), 'utf8'))).toEqual(doc.populate);
    for (const t of doc.todo) expect(err).toContain(`TODO ${t.proxy}:`);
  });

  it('prints a table and manifest YAML, skipping edges the manifest already proxies', async () => {
    writeFileSync(join(dir, 'fx.yaml'), `version: 1\nsystem: { name: fixture }\ntraces: { type: files, paths: [${JSON.stringify(traceFixture('jaeger-trace.tracegraph-testTrace.json'))}] }\n`);
    const { out } = await run(['proxies', 'suggest', '--manifest', 'fx.yaml']);
    expect(out.split('\n')[0]).toMatch(/^Proxy\s+Edge\s+Listen\s+Upstream$/);
    expect(out).toContain('proxies:\n  - name: ');
  });

  it('needs trace files or --manifest', async () => {
    await expect(run(['proxies', 'suggest'])).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
