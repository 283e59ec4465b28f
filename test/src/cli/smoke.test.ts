import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    interactive: false,
    cwd: process.cwd(),
    config: (o) => loadConfig({}, o),
  };
}

describe('faultline CLI', () => {
  it('lists every command in --help', async () => {
    const io = captureIO();
    const code = await main(['--help'], io);
    expect(code).toBe(0);
    const help = io.stdout.join('\n');
    for (const cmd of ['collect', 'graph', 'plan', 'proxies', 'run', 'sweep', 'serve', 'worker', 'proxy', 'demo']) {
      expect(help).toMatch(new RegExp(`\\n\\s+${cmd}\\b`));
    }
  });

  it('exits non-zero with a one-line reason for a missing trace file', async () => {
    const io = captureIO();
    const code = await main(['graph', 'no-such-file.json'], io);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/^faultline: [A-Z_]+: .*no-such-file\.json/m);
  });

  it('exits 2 on an unknown command', async () => {
    const io = captureIO();
    expect(await main(['frobnicate'], io)).toBe(2);
  });
});
