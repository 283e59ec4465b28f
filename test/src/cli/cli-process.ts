/**
 * Spawning the real `faultline` CLI (cli-entry.ts under tsx) for tests that
 * signal it, with helpers to wait for a line of its output and for its exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
/** The package root: `--import tsx` resolves from the working directory. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A running CLI process with everything it printed so far. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout/stderr text matching `re` (rejects if the process exits first or after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code and signal (rejects after `ms`). */
  exited(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn `faultline <args>` in the package root (give paths absolute) with `env` added to this process's environment. */
export function spawnCli(args: string[], opts: { env?: Record<string, string> } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => { for (const l of listeners) l(); };
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); changed(); });
  child.stderr!.on('data', (b: Buffer) => { err += b.toString(); changed(); });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => { resolve({ code, signal }); changed(); });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(re, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no output matching ${re} within ${ms} ms; stderr:\n${err}`)), ms);
        const check = () => {
          const m = re.exec(out) ?? re.exec(err);
          if (m) done(undefined, m);
          else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`exited (${child.exitCode ?? child.signalCode}) before printing ${re}; stderr:\n${err}`));
        };
        const done = (e?: Error, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (e) reject(e);
          else resolve(m!);
        };
        listeners.add(check);
        check();
      });
    },
    exited(ms) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new Error(`still running ${ms} ms later; stderr:\n${err}`)), ms); });
      return Promise.race([exit, late]).finally(() => clearTimeout(timer));
    },
  };
}
