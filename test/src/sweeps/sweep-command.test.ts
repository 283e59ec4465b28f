import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { registerSweep } from '../../../src/cli/commands/sweep.js';
import { isFaultlineError } from '../../../base/errors.js';
import { traceFixture } from '../../support/fixtures.js';

function io(dir: string): CliIO & { outLines: string[] } {
  const outLines: string[] = [];
  return { outLines, out: (t) => void outLines.push(t), err: () => {}, interactive: false, cwd: dir, config: (o) => loadConfig({}, { dataDir: o?.dataDir ?? join(dir, 'data') }) };
}

function program(cli: CliIO): Command {
  const p = new Command('faultline').exitOverride();
  registerSweep(p, cli);
  return p;
}

describe('faultline sweep', () => {
  it('runs one sweep over a trace file, prints the sweep record as JSON, and fails as empty when it tested nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-sweep-cli-'));
    writeFileSync(join(dir, 'm.yaml'), `version: 1\nsystem: { name: fixture }\ntraces: { type: files, paths: [${JSON.stringify(traceFixture('jaeger-trace.tracegraph-testTrace.json'))}] }\n`);
    const cli = io(dir);
    // The manifest has no claims: the plan has no scenario, and an empty sweep is not a success.
    await expect(program(cli).parseAsync(['sweep', '--manifest', 'm.yaml', '--json'], { from: 'user' })).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'EMPTY') && /tested nothing: plan .* has no scenario: there is no claim to test; fix: /.test(e.message));
    const record = JSON.parse(cli.outLines.join('\n'));
    expect(record).toMatchObject({ status: 'empty', trigger: 'cli', system: 'fixture', diff: { first: true }, error: { code: 'EMPTY' } });
    expect(readdirSync(join(dir, 'data', 'sweeps'))).toEqual([`${record.id}.json`]);
    expect(readdirSync(join(dir, 'data', 'plans')).sort()).toEqual([`${record.planId}.json`, `${record.planId}.md`]);
  });

  it('fails with MANIFEST_INVALID naming the key of a bad manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-sweep-cli-'));
    writeFileSync(join(dir, 'm.yaml'), 'version: 1\nsystem: { name: x }\ntraces: { type: carrier-pigeon }\n');
    await expect(program(io(dir)).parseAsync(['sweep', '--manifest', 'm.yaml'], { from: 'user' })).rejects.toSatisfy((e: unknown) => isFaultlineError(e, 'MANIFEST_INVALID') && e.message.includes('traces'));
  });
});
