/**
 * `faultline plan --strict`: a manifest proxy on an edge the traces do not
 * show is a warning in the plan by default, and a non-zero exit naming it
 * with --strict (for CI gates that must not plan around a typo).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import type { Plan } from '../../../generators/plan.js';
import { snapshot } from '../fakes.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-strict-'));
  const graph = snapshot(['frontend->checkout', 'checkout->payments']);
  const latency = { count: 10, p50: 1, p95: 2, p99: 3, max: 4 };
  graph.entrypoints = [{ id: 'frontend POST /checkout', service: 'frontend', method: 'POST', route: '/checkout', calls: 10, errors: 0, latency }];
  graph.crossings = { 'frontend->checkout': { 'frontend POST /checkout': 10 }, 'checkout->payments': { 'frontend POST /checkout': 10 } };
  writeFileSync(join(dir, 'graph.json'), JSON.stringify(graph));
  writeFileSync(join(dir, 'faultline.yaml'), `version: 1
system: { name: shop }
traces: { type: files, paths: [none.json] }
proxies:
  - { name: checkout-payments, listen: 127.0.0.1:21001, upstream: 127.0.0.1:9, edge: { from: checkout, to: payments } }
  - { name: ghost-proxy, listen: 127.0.0.1:21002, upstream: 127.0.0.1:9, edge: { from: checkout, to: ghost } }
entrypoints: [{ name: checkout, method: POST, url: "http://127.0.0.1:9/checkout" }]
claims:
  - { id: checkout_available, text: "Checkout stays available.", category: availability, check: { type: availability, entrypoint: checkout, maxErrorRate: 0.05, phase: fault } }
`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({ FAULTLINE_DATA_DIR: join(dir, 'data') }, o) };
}

describe('faultline plan --strict', () => {
  it('lists a proxy on an untraced edge in the plan and still succeeds without --strict', async () => {
    const io = cli();
    expect(await main(['plan', '--manifest', 'faultline.yaml', '--graph', 'graph.json', '--out-dir', 'lenient'], io), io.stderr.join('\n')).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'lenient', 'plan.json'), 'utf8')) as Plan;
    expect(plan.unmatched?.proxies.map((p) => p.proxy)).toEqual(['ghost-proxy']);
    expect(io.stderr.join('\n')).toMatch(/^warning: 1 proxy matches no traced edge: ghost-proxy \(.+\(--strict makes this an error\)$/m);
  });

  it('exits non-zero with --strict, naming the proxy and why', async () => {
    const io = cli();
    expect(await main(['plan', '--manifest', 'faultline.yaml', '--graph', 'graph.json', '--out-dir', 'strict', '--strict'], io)).toBe(1);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/^faultline: MANIFEST_INVALID: --strict: 1 proxy matches no traced edge: ghost-proxy \(.+\)/m);
    expect(err).toContain('"ghost" names no node of the traced graph');
  });
});
