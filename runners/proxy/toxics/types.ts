/**
 * The shape every toxic implementation shares. A toxic is instantiated once
 * per link (connection) and direction, like a Toxiproxy ToxicStub, and reads
 * its attributes live from the shared spec so an update (`POST/PATCH
 * /proxies/{p}/toxics/{t}`) reaches connections that are already open.
 */
import type { ToxicSpec } from '../../faults/fault-injector.js';
import type { ToxicCounter } from '../counters.js';

/** What a toxic may do to the connection it sits on. */
export interface LinkControl {
  /** Graceful close of both sides once what was already forwarded is flushed. */
  close(): void;
  /** Abortive close of the socket that `stream` writes to (TCP RST, like SO_LINGER 0). */
  reset(stream: ToxicSpec['stream']): void;
  /** Write bytes straight back to the client (http_error answers). */
  replyToClient(bytes: Buffer): void;
  readonly closed: boolean;
}

/**
 * Passes one piece of data on to the next toxic in the chain (or the
 * socket). Returns nothing when the piece went all the way through at once,
 * a promise when a later stage holds it: a runner that returns what `emit`
 * returns keeps the chain synchronous (see pipe.ts), and `await emit(...)`
 * works either way.
 */
export type Emit = (data: Buffer) => Promise<void> | void;

/** One toxic's behaviour on one link. */
export interface ToxicRunner {
  /**
   * Handle one chunk that arrived at `arrivedAt` (ms, performance.now());
   * call `emit` for what passes. A toxic that does not change a chunk passes
   * the same Buffer on (no copy) and, when it does not wait either, returns
   * `emit`'s result instead of awaiting it, so the chunk is not queued.
   */
  chunk(data: Buffer, arrivedAt: number, emit: Emit): Promise<void> | void;
  /** The stream ended (EOF from the source); may delay it (slow_close). */
  end?(): Promise<void> | void;
  /** The toxic was removed while this link was open. */
  removed?(): void;
  /** The link closed; release timers. */
  dispose?(): void;
}

/** Everything a toxic implementation is built from. */
export interface ToxicContext {
  /** The live spec (attributes may change under it). */
  readonly spec: () => ToxicSpec;
  readonly link: LinkControl;
  readonly counter: ToxicCounter;
  /** Uniform [0,1) source, injectable so tests can pin toxicity draws. */
  readonly random: () => number;
  /**
   * Aborted when the toxic is removed from this link or the link closes:
   * every `sleep` given it ends at once, so held data goes on (as Toxiproxy
   * flushes a removed toxic) and no timer outlives its toxic — a removed
   * 600 s latency toxic once kept a stopping proxy alive for minutes.
   */
  readonly signal: AbortSignal;
}

/** Builds a runner for one link; per-connection toxicity was already drawn. */
export type ToxicFactory = (ctx: ToxicContext) => ToxicRunner;

/**
 * Resolve after `ms` milliseconds, at once for ms ≤ 0, or as soon as
 * `signal` aborts (the toxic was removed or its link closed). The timer is
 * cleared on abort and never holds the event loop open by itself.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}
