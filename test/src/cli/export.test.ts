/**
 * `faultline export --chaostoolkit plan.json`: writes one valid Chaos
 * Toolkit experiment per scenario (and journals with `--findings …
 * --journal`) into --out, names nothing of the machine it ran on, and turns
 * bad input into a one-line reason with a stable code and exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import type { Plan } from '../../../generators/plan.js';
import { RulePlanGenerator } from '../../../generators/rule-generator.js';
import type { Findings } from '../../../runners/record/result.js';
import { sampleInput } from '../../generators/plan-input.js';
import { ctkProblems } from '../export/chaostoolkit-schema.js';

let dir: string;
let plan: Plan;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-export-'));
  plan = await new RulePlanGenerator().generate(sampleInput());
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
  const findings: Findings = {
    schemaVersion: 1, runId: 'run-9', planId: plan.id, system: plan.system, startedAt: '2026-01-02T03:04:05.000Z', finishedAt: '2026-01-02T03:10:05.000Z',
    headline: '', counts: {}, coverage: [], confidenceDelta: '',
    results: plan.scenarios.map((s) => ({
      scenarioId: s.id, claims: s.claims, verdict: 'PASS-hardening', verdictPath: [], checks: [], landing: { proven: true, source: 'client-timing', evidence: [] },
      metrics: [], boundaries: [], blame: 'unknown', blameReason: 'n/a', seed: s.workload.seed, attempts: 1, durationMs: 1000,
    })),
  };
  writeFileSync(join(dir, 'findings.json'), JSON.stringify(findings));
  writeFileSync(join(dir, 'broken.json'), '{"schemaVersion": 1, "runId": 3}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({}) };
  const code = await main(['export', ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('faultline export --chaostoolkit', () => {
  it('writes one valid experiment per scenario into --out, naming the plan as the user did', async () => {
    const { code, out } = await cli('--chaostoolkit', 'plan.json', '--out', 'ctk');
    expect(code).toBe(0);
    expect(out).toContain(`wrote ${plan.scenarios.length} Chaos Toolkit experiments to ctk`);
    const files = readdirSync(join(dir, 'ctk')).sort();
    expect(files).toEqual(plan.scenarios.map((s) => `${s.id}.experiment.json`).sort());
    for (const f of files) {
      const text = readFileSync(join(dir, 'ctk', f), 'utf8');
      expect(ctkProblems('experiment', JSON.parse(text))).toEqual([]);
      expect(text).not.toContain(dir);
      expect(text).toContain('"reproduce": "faultline run plan.json --only');
    }
  });

  it('writes a journal per scenario result with --findings and --journal, listing every file with --json', async () => {
    const { code, out } = await cli('--chaostoolkit', 'plan.json', '--out', 'ctk-run', '--findings', 'findings.json', '--journal', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(out) as { format: string; experiments: string[]; journals: string[] };
    expect(listed.format).toBe('chaostoolkit');
    expect(listed.journals).toEqual(plan.scenarios.map((s) => join('ctk-run', `${s.id}.journal.json`)));
    for (const f of listed.journals) expect(ctkProblems('journal', JSON.parse(readFileSync(join(dir, f), 'utf8')))).toEqual([]);
  });

  it('is a usage error (exit 2) without a format, or with --journal and --findings apart', async () => {
    expect(await cli('--out', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('BAD_INPUT: name a format to export to') });
    expect(await cli('--chaostoolkit', 'plan.json', '--journal')).toMatchObject({ code: 2, err: expect.stringContaining('--journal needs --findings') });
    expect(await cli('--chaostoolkit', 'plan.json', '--findings', 'findings.json')).toMatchObject({ code: 2, err: expect.stringContaining('add --journal') });
    expect(await cli('--chaostoolkit', 'plan.json', '--toxiproxy-url', 'localhost:8474')).toMatchObject({ code: 2 });
  });

  it('fails with a stable code (exit 1) for a missing plan, a file that is not a plan, or broken findings', async () => {
    expect(await cli('--chaostoolkit', 'nope.json')).toMatchObject({ code: 1, err: expect.stringMatching(/^faultline: NOT_FOUND: cannot read plan/) });
    expect(await cli('--chaostoolkit', 'findings.json')).toMatchObject({ code: 1, err: expect.stringMatching(/^faultline: PLAN_INVALID: /) });
    expect(await cli('--chaostoolkit', 'plan.json', '--out', 'ctk-bad', '--findings', 'broken.json', '--journal')).toMatchObject({ code: 1, err: 'faultline: BAD_INPUT: findings runId: must be a string' });
  });
});
