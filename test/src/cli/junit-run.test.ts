/**
 * `faultline run` in a CI job, on the real toy system and faultline's own
 * proxy: `--junit` writes a schema-valid report of the run, GITHUB_STEP_SUMMARY
 * gets the headline and verdict table appended, and `--fail-on` decides the
 * exit code (3) from a list of verdicts and families; a bad `--fail-on`
 * value is a usage error (2) that lists what is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import type { Findings } from '../../../runners/record/result.js';
import { VERDICTS } from '../../../runners/record/result.js';
import { freePort } from '../../support/ports.js';
import { startToySystem, type ToySystem } from '../../runners/execute/toy-system.js';
import { toyPlan } from '../../runners/execute/toy-plan.js';
import { loadXsd, validateAgainst } from './junit-xsd.js';
import { reportForCi } from '../../../src/cli/ci-reports.js';
import { parseFailOn } from '../../../src/cli/fail-on.js';
import { findingsFor, plan as fakePlan } from '../fakes.js';

let toy: ToySystem;
let dir: string;
beforeAll(async () => {
  toy = await startToySystem();
  dir = mkdtempSync(join(tmpdir(), 'faultline-junit-run-'));
});
afterAll(async () => {
  await toy?.close();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

function cli(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({ FAULTLINE_DATA_DIR: dir, ...env }) };
  return { io, out, err };
}

describe('faultline run in CI', () => {
  it('writes a JUnit report, appends the job summary and exits 3 exactly when a verdict is in --fail-on', async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    toy.setUpstream(listen);
    const plan = toyPlan({ frontUrl: toy.frontUrl, proxyListen: listen, pricesAddress: toy.pricesAddress, phases: { baselineMs: 300, faultMs: 600, recoveryMs: 300 }, ratePerSec: 40 });
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '## an earlier step\n');
    const { io, err } = cli({ GITHUB_STEP_SUMMARY: summary });
    process.exitCode = undefined;
    const code = await main(['run', 'plan.json', '--out-dir', 'out', '--junit', 'reports/junit.xml', '--fail-on', 'FAIL,INCONCLUSIVE-env'], io);
    expect(err.filter((l) => l.startsWith('faultline:'))).toEqual([]);
    process.exitCode = undefined;

    const findings = JSON.parse(readFileSync(join(dir, 'out', 'findings.json'), 'utf8')) as Findings;
    const verdict = findings.results[0].verdict;
    expect(code).toBe(verdict.startsWith('FAIL') || verdict === 'INCONCLUSIVE-env' ? 3 : 0);

    const xml = readFileSync(join(dir, 'reports', 'junit.xml'), 'utf8');
    expect(validateAgainst(xml, loadXsd(fileURLToPath(new URL('../../fixtures/junit.xsd', import.meta.url))), 'testsuites')).toEqual([]);
    expect(xml).toContain('<testcase name="orders_available_under_prices_latency"');
    expect(xml).toContain(`<property name="orders_available_under_prices_latency.verdict" value="${verdict}"/>`);
    expect(err.join('\n')).toContain('junit.xml');

    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('## an earlier step\n')).toBe(true);
    expect(md).toContain(`**${findings.headline}**`);
    expect(md).toMatch(new RegExp(`\\| orders_available_under_prices_latency \\| ${verdict} \\|`));
  });

  it('rejects an unknown --fail-on value as a usage error (exit 2) naming what it accepts', async () => {
    const { io, err } = cli();
    expect(await main(['run', 'plan.json', '--fail-on', 'FAIL,FLAKY'], io)).toBe(2);
    expect(err.join('\n')).toContain('unknown verdict "FLAKY"');
    for (const v of ['FAIL', 'INCONCLUSIVE', 'PARTIAL', ...VERDICTS]) expect(err.join('\n')).toContain(v);
  });

  it('lists the verdicts --fail-on accepts in --help', async () => {
    const { io, out } = cli();
    expect(await main(['run', '--help'], io)).toBe(0);
    const help = out.join('\n').replace(/\s+/g, ' ');
    for (const v of ['FAIL', 'INCONCLUSIVE', 'PARTIAL', ...VERDICTS]) expect(help).toContain(v);
    expect(help).toContain('--junit <file>');
  });

  it('reports to CI the same way for run and sweep: exit 3 only for a listed verdict, summaries appended run after run', async () => {
    const p = fakePlan([{ id: 'a_breaks', edge: 'x->y', claims: ['c1'] }, { id: 'b_holds', edge: 'x->y', claims: ['c2'] }]);
    const findings = findingsFor(p, 'run-ci', { a_breaks: 'FAIL-reproducible', b_holds: 'PASS-hardening' });
    const summary = join(dir, 'summary-unit.md');
    const { io, err } = cli();
    const input = { findings, plan: p, planPath: join(dir, 'plans', 'p.json'), junit: 'unit/junit.xml', stepSummary: summary };
    expect(await reportForCi({ ...input, failOn: parseFailOn('FAIL') }, io)).toBe(3);
    expect(err.join('\n')).toContain('--fail-on: a_breaks FAIL-reproducible');
    expect(await reportForCi({ ...input, failOn: parseFailOn('INCONCLUSIVE,PARTIAL') }, io)).toBe(0);
    expect(await reportForCi(input, io)).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md.match(/\| a_breaks \| FAIL-reproducible \| SUT \|/g)).toHaveLength(3);
    const xml = readFileSync(join(dir, 'unit', 'junit.xml'), 'utf8');
    expect(xml).toContain('reproduce: faultline run plans/p.json --only a_breaks --seed');
  });
});
