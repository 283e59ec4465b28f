/**
 * Keeps a service running the way a process manager does (systemd's
 * `Restart=always`, Kubernetes' restartPolicy): a process that dies is
 * started again after a back-off that doubles with each crash in a row
 * (1 s, 2 s, 4 s, capped at 8 s) and resets once a process has stayed up
 * for 30 s. A crash is still a crash — requests in flight are lost and the
 * service is unreachable until it is back — but one crash cannot take the
 * system down for the rest of a run. A restarted service binds a new port;
 * `onRestart` re-points whatever reaches it (the proxies in front of it).
 */
import { startServiceChild as startChild, type ServiceChild as Child, type ServiceChildOptions as ChildOptions } from '../../demo/launch/service-child.js';

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 8000;
const STABLE_AFTER_MS = 30_000;

/** Supervisor settings. */
export interface SupervisorOptions extends ChildOptions {
  /** Called with the new port after each restart. */
  onRestart(port: number): Promise<void>;
}

/** A supervised service. */
export interface SupervisedService {
  readonly name: string;
  /** The current process's port. */
  readonly port: number;
  /** The current process's pid. */
  readonly pid: number;
  /** Unexpected exits so far. */
  readonly crashes: number;
  /** Stop the service and supervising it. */
  stop(): Promise<void>;
}

/** Start a service and restart it whenever it dies unless stopped. */
export async function supervise(opts: SupervisorOptions): Promise<SupervisedService> {
  let current: Child = await startChild(opts);
  let crashes = 0;
  let inARow = 0;
  let stopped = false;
  let startedAt = Date.now();
  let wake: (() => void) | undefined;
  const log = opts.log ?? (() => undefined);
  /** A pause that stop() cuts short. */
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    wake = () => { clearTimeout(t); resolve(); };
  });

  const watch = (async () => {
    for (;;) {
      const exit = await current.exited;
      if (stopped) return;
      crashes += 1;
      inARow = Date.now() - startedAt >= STABLE_AFTER_MS ? 1 : inARow + 1;
      const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** (inARow - 1), MAX_BACKOFF_MS);
      log(`${opts.name}: exited unexpectedly (${exit.signal ?? `code ${exit.code}`}); restarting in ${backoff} ms`);
      await pause(backoff);
      // Start attempts repeat until one succeeds or the service is stopped.
      for (;;) {
        if (stopped) return;
        try {
          current = await startChild(opts);
          startedAt = Date.now();
          if (stopped) {
            await current.stop();
            return;
          }
          await opts.onRestart(current.port);
          log(`${opts.name}: restarted on port ${current.port}`);
          break;
        } catch (err) {
          log(`${opts.name}: restart failed: ${(err as Error).message}`);
          await pause(MAX_BACKOFF_MS);
        }
      }
    }
  })();

  return {
    name: opts.name,
    get port() { return current.port; },
    get pid() { return current.pid; },
    get crashes() { return crashes; },
    async stop() {
      stopped = true;
      wake?.();
      await current.stop();
      await watch;
    },
  };
}
