/**
 * A fixed-size pool of keep-alive HTTP connections to one service, the way a
 * database driver pools its connections: a call checks one connection out,
 * and must hand it back (healthy, or broken so it is replaced). A caller
 * that does not get one within `acquireTimeoutMs` fails fast instead of
 * queueing without bound.
 */
import { Agent } from 'node:http';

/** One pooled connection: a keep-alive agent limited to a single socket. */
export interface PooledConnection {
  readonly id: number;
  readonly agent: Agent;
}

/** Raised when no connection became free in time. */
export class PoolExhaustedError extends Error {
  constructor(waitedMs: number, size: number) {
    super(`no pooled connection free within ${waitedMs} ms (all ${size} checked out)`);
    this.name = 'PoolExhaustedError';
  }
}

/** What the pool looks like now, for the debug probe. */
export interface PoolStats {
  size: number;
  idle: number;
  checkedOut: number;
  waiting: number;
}

interface Waiter {
  resolve(conn: PooledConnection): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** The pool. */
export class ConnectionPool {
  private idle: PooledConnection[] = [];
  private readonly out = new Set<PooledConnection>();
  private waiters: Waiter[] = [];
  private nextId = 1;

  constructor(private readonly size: number, private readonly acquireTimeoutMs: number) {
    for (let i = 0; i < size; i++) this.idle.push(this.open());
  }

  private open(): PooledConnection {
    return { id: this.nextId++, agent: new Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 1000 }) };
  }

  /** Check a connection out; rejects with PoolExhaustedError after the acquire timeout. */
  acquire(): Promise<PooledConnection> {
    const conn = this.idle.pop();
    if (conn) {
      this.out.add(conn);
      return Promise.resolve(conn);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new PoolExhaustedError(this.acquireTimeoutMs, this.size));
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Hand a connection back; a broken one is closed and replaced by a fresh one. */
  release(conn: PooledConnection, broken: boolean): void {
    if (!this.out.delete(conn)) return;
    let back = conn;
    if (broken) {
      conn.agent.destroy();
      back = this.open();
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.out.add(back);
      waiter.resolve(back);
    } else {
      this.idle.push(back);
    }
  }

  /** Close every connection and start over with a full pool (what a restart does). */
  reset(): void {
    for (const c of [...this.idle, ...this.out]) c.agent.destroy();
    this.out.clear();
    this.idle = [];
    for (let i = 0; i < this.size; i++) this.idle.push(this.open());
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error('pool reset'));
    }
  }

  stats(): PoolStats {
    return { size: this.size, idle: this.idle.length, checkedOut: this.out.size, waiting: this.waiters.length };
  }

  close(): void {
    for (const c of [...this.idle, ...this.out]) c.agent.destroy();
  }
}
