/**
 * One demo service as a child process: `node --import tsx <file>`, configured
 * through its environment, ready when it reports its port over the IPC
 * channel. The IPC channel doubles as a lifeline: a service exits when the
 * channel closes (runtime/service-process.ts), so a launcher that dies
 * without stopping its children leaves no orphans.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fail } from '../../../base/errors.js';

/** How to start one service. */
export interface ServiceChildOptions {
  name: string;
  /** Absolute path of the service's entry file. */
  file: string;
  /** Working directory (the repository root, where `tsx` resolves). */
  cwd: string;
  env: Record<string, string>;
  log?: (line: string) => void;
  /** How long to wait for readiness (default 30 s: several tsx compiles share the CPU). */
  readyTimeoutMs?: number;
}

/** How a service process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started service. */
export interface ServiceChild {
  name: string;
  port: number;
  pid: number;
  /** Resolves when the process has ended, for whatever reason (a supervisor watches it). */
  exited: Promise<ServiceExit>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 3 s); resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** The parent's environment minus what would change how the child runs or traces. */
function baseEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'NODE_OPTIONS' || k.startsWith('OTEL_') || k.startsWith('VITEST')) continue;
    out[k] = v;
  }
  return out;
}

/** Start a service and wait until it listens. */
export async function startServiceChild(opts: ServiceChildOptions): Promise<ServiceChild> {
  // A compiled service (faultline run from dist/) needs no TypeScript loader.
  const child: ChildProcess = spawn(process.execPath, opts.file.endsWith('.ts') ? ['--import', 'tsx', opts.file] : [opts.file], {
    cwd: opts.cwd,
    env: { ...baseEnv(), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const tail: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.log?.(`${opts.name}: ${line}`);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  const exited = new Promise<ServiceExit>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode, signal: null }));
  });

  const stop = async (graceMs = 3000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  };

  const timeoutMs = opts.readyTimeoutMs ?? 30_000;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(fail('NOT_READY', `${opts.name} did not become ready within ${timeoutMs} ms`, { service: opts.name, log: tail.slice() })), timeoutMs);
      child.on('message', (msg: { type?: string; port?: number }) => {
        if (msg?.type === 'ready' && typeof msg.port === 'number') { clearTimeout(timer); resolve(msg.port); }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(fail('NOT_READY', `${opts.name} exited (${signal ?? `code ${code}`}) before it was ready: ${tail.slice(-3).join(' | ')}`, { service: opts.name, log: tail.slice() }));
      });
      child.once('error', (err) => { clearTimeout(timer); reject(fail('NOT_READY', `cannot start ${opts.name}: ${err.message}`, { service: opts.name })); });
    });
    return { name: opts.name, port, pid: child.pid ?? -1, exited, stop };
  } catch (err) {
    await stop(500);
    throw err;
  }
}
