/**
 * The demo's Redis: the one at `redisUrl` when given, else a private
 * `redis-server` from PATH on a free loopback port, without persistence.
 * Never port 6379: a developer's own Redis is not the demo's to touch.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { fail, isFaultlineError } from '../../../base/errors.js';
import { freePort } from './free-port.js';

/** A Redis the demo uses; `stop()` stops it only when the demo started it. */
export interface DemoRedis {
  url: string;
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Use `redisUrl`, or start a private redis-server. */
export async function ensureRedis(redisUrl: string | undefined): Promise<DemoRedis> {
  if (redisUrl) return { url: redisUrl, stop: async () => undefined };
  // A free port can be taken (by another process's ephemeral connection)
  // between picking it and redis-server binding it: then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrivateRedis(await freePort());
    } catch (err) {
      const exitedEarly = isFaultlineError(err, 'BACKEND_UNAVAILABLE') && err.details?.exitedBeforeListening === true;
      if (attempt >= 3 || !exitedEarly) throw err;
    }
  }
}

async function startPrivateRedis(port: number): Promise<DemoRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-demo-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.once('error', () => resolve()); });
  const spawnError = new Promise<never>((_, reject) => child.once('error', (err: NodeJS.ErrnoException) => {
    rmSync(dir, { recursive: true, force: true });
    reject(err.code === 'ENOENT'
      ? fail('BACKEND_UNAVAILABLE', 'redis-server not found on PATH: install redis-server or set REDIS_URL')
      : fail('BACKEND_UNAVAILABLE', `cannot start redis-server: ${err.message}`));
  }));
  spawnError.catch(() => undefined); // observed below; this only stops an unhandled rejection after the race
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = (async () => {
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
      if (child.exitCode !== null) throw fail('BACKEND_UNAVAILABLE', `redis-server exited with code ${child.exitCode} before listening`, { exitedBeforeListening: true });
      if (Date.now() > deadline) throw fail('BACKEND_UNAVAILABLE', `redis-server did not listen on 127.0.0.1:${port} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}
