import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/command.js';
import { isFaultlineError } from '../../../base/errors.js';
import { runProxy } from '../../../src/cli/commands/proxy.js';

function fakeIo(cwd: string): CliIO & { lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return {
    lines,
    errs,
    out: (t) => lines.push(t),
    err: (t) => errs.push(t),
    interactive: false,
    config: () => {
      throw new Error('not used');
    },
    cwd,
  };
}

describe('faultline proxy command', () => {
  it('serves the API with the populated proxies until told to stop, then closes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-proxy-'));
    try {
      await writeFile(join(dir, 'populate.json'), JSON.stringify([{ name: 'db', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }]));
      const io = fakeIo(dir);
      let stop!: (s: string) => void;
      const running = runProxy({ host: '127.0.0.1', port: '0', config: 'populate.json', json: true }, io, new Promise((r) => (stop = r)));
      while (io.lines.length === 0) await new Promise((r) => setTimeout(r, 10));
      const printed = JSON.parse(io.lines[0]) as { url: string; proxies: { name: string; enabled: boolean }[] };
      expect(printed.proxies).toEqual([expect.objectContaining({ name: 'db', upstream: '127.0.0.1:9', enabled: true })]);
      const listed = (await (await fetch(`${printed.url}/proxies`)).json()) as Record<string, unknown>;
      expect(Object.keys(listed)).toEqual(['db']);
      stop('SIGTERM');
      await running;
      expect(io.errs).toEqual(['SIGTERM: closing proxies']);
      await expect(fetch(`${printed.url}/version`)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a populate file entry without upstream, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-proxy-'));
    try {
      await writeFile(join(dir, 'bad.json'), JSON.stringify([{ name: 'x', listen: '127.0.0.1:0' }]));
      const err = await runProxy({ host: '127.0.0.1', port: '0', config: 'bad.json' }, fakeIo(dir), new Promise(() => undefined)).catch((e: unknown) => e);
      expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
      expect((err as Error).message).toContain('[0].upstream must be a string');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
