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

/** Passes one piece of data on to the next toxic in the chain (or the socket). */
export type Emit = (data: Buffer) => Promise<void>;

/** One toxic's behaviour on one link. */
export interface ToxicRunner {
  /** Handle one chunk that arrived at `arrivedAt` (ms, performance.now()); call `emit` for what passes. */
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
}

/** Builds a runner for one link; per-connection toxicity was already drawn. */
export type ToxicFactory = (ctx: ToxicContext) => ToxicRunner;

/** Resolve after `ms` milliseconds (or at once for ms ≤ 0); never holds the event loop open. */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
