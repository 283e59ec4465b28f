import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerRun } from '../../../src/cli/commands/run.js';
import { registerWorker } from '../../../src/cli/commands/worker.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { isFaultlineError } from '../../../base/errors.js';
import type { Findings } from '../../../runners/record/result.js';
import { freePort } from '../../support/ports.js';
import { startToySystem, type ToySystem } from './toy-system.js';
import { toyPlan } from './toy-plan.js';

let toy: ToySystem;
let dir: string;
beforeAll(async () => {
  toy = await startToySystem();
  dir = mkdtempSync(join(tmpdir(), 'faultline-run-'));
});
afterAll(async () => {
  await toy?.close();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({ FAULTLINE_DATA_DIR: dir, ...env }) };
  return { cli, out, err };
}

function program(cli: CliIO): Command {
  const p = new Command('faultline').exitOverride();
  registerRun(p, cli);
  registerWorker(p, cli);
  return p;
}

describe('faultline run', () => {
  it('runs a plan on an in-process fault proxy, prints progress and a verdict table, and writes findings', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    toy.setUpstream(listen);
    const plan = toyPlan({ frontUrl: toy.frontUrl, proxyListen: listen, pricesAddress: toy.pricesAddress, phases: { baselineMs: 500, faultMs: 800, recoveryMs: 500 }, ratePerSec: 50 });
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const { cli, out, err } = io();
    toy.settings.bug = true;
    try {
      await program(cli).parseAsync(['run', 'plan.json', '--out-dir', 'out', '--fail-on', 'FAIL'], { from: 'user' });
    } finally {
      toy.settings.bug = false; // never leak the planted bug into the next test
    }
    const findings = JSON.parse(readFileSync(join(dir, 'out', 'findings.json'), 'utf8')) as Findings;
    expect(findings.results.map((r) => r.verdict)).toEqual(['FAIL-reproducible']);
    expect(readFileSync(join(dir, 'out', 'findings.md'), 'utf8').length).toBeGreaterThan(0);
    // findings.html: one timeline chart for the one scenario, drawn from the per-second series findings.json carries.
    expect(findings.results[0].timeline?.ops.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'out', 'findings.html'), 'utf8').match(/<figure class="timeline"/g)).toHaveLength(1);
    expect(err.some((l) => l.startsWith('[1/1] orders_available_under_prices_latency  fault'))).toBe(true);
    const table = out.join('\n');
    expect(table).toMatch(/scenario\s+verdict\s+blame\s+recovery\s+evidence/);
    expect(table).toMatch(/orders_available_under_prices_latency\s+FAIL-reproducible\s+SUT/);
    expect(process.exitCode).toBe(3);
    process.exitCode = undefined;
  });

  it('prints findings as JSON with --json, honours --only and --seed, and exits 0 when only PASS', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    toy.setUpstream(listen);
    const plan = toyPlan({ frontUrl: toy.frontUrl, proxyListen: listen, pricesAddress: toy.pricesAddress, phases: { baselineMs: 300, faultMs: 500, recoveryMs: 300 }, ratePerSec: 50 });
    const other = structuredClone(plan.scenarios[0]);
    other.id = 'not_this_one';
    plan.scenarios.push(other);
    writeFileSync(join(dir, 'plan2.json'), JSON.stringify(plan));
    const { cli, out } = io();
    await program(cli).parseAsync(['run', 'plan2.json', '--json', '--only', 'orders_available_under_prices_latency', '--seed', '99', '--out-dir', 'out2', '--fail-on', 'FAIL'], { from: 'user' });
    const printed = JSON.parse(out.join('\n')) as Findings;
    expect(printed.results.map((r) => [r.scenarioId, r.seed])).toEqual([['orders_available_under_prices_latency', 99]]);
    expect(printed.results[0].verdict.startsWith('PASS')).toBe(true);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('rejects bad flags naming them', async () => {
    const { cli } = io();
    await expect(program(cli).parseAsync(['run', 'plan.json', '--phase-scale', '0'], { from: 'user' })).rejects.toThrow('--phase-scale must be a number above 0, got "0"');
    await expect(program(cli).parseAsync(['run', 'plan.json', '--fail-on', 'PASS'], { from: 'user' })).rejects.toThrow('--fail-on: unknown verdict "PASS"');
  });

  it('rejects a plan that is not valid with PLAN_INVALID', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ schemaVersion: 1, id: 'x' }));
    const { cli } = io();
    await expect(program(cli).parseAsync(['run', 'bad.json'], { from: 'user' })).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'PLAN_INVALID'));
    writeFileSync(join(dir, 'notjson.json'), '{');
    await expect(program(cli).parseAsync(['run', 'notjson.json'], { from: 'user' })).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'PLAN_INVALID'));
  });
});

describe('faultline worker', () => {
  it('needs REDIS_URL and says so', async () => {
    const { cli } = io();
    await expect(program(cli).parseAsync(['worker'], { from: 'user' })).rejects.toThrow('faultline worker needs REDIS_URL');
  });
});
