import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './ports.js';

/** A private redis-server started for one test file, on a free port. */
export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Start a private `redis-server` on a free loopback port with no persistence.
 * Never touches port 6379 or any server this process did not start.
 */
export async function startRedis(): Promise<PrivateRedis> {
  // A free port can be taken between picking and binding it: try another.
  for (let attempt = 1; ; attempt++) {
    const started = await startOn(await freePort());
    if (started || attempt >= 3) {
      if (!started) throw new Error('redis-server exited before listening, three times');
      return started;
    }
  }
}

async function startOn(port: number): Promise<PrivateRedis | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!(await waitForPort(port, 10_000, () => child.exitCode !== null))) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True once the port accepts connections; false when `gone()` says the server died first. */
async function waitForPort(port: number, timeoutMs: number, gone: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone()) return false;
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return true;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
