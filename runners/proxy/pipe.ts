/**
 * One direction of a link: bytes read from `src` run through the live toxic
 * chain for that stream and are written to `dst`.
 *
 * A chunk goes through synchronously, in the `data` event that read it,
 * whenever every stage does: with no toxic, or with toxics that pass it on
 * at once (noop, slow_close, a bandwidth of 0), the chunk is handed to the
 * socket by reference, neither copied nor queued, as a bare relay would.
 * Only when a stage has to wait (a sleeping latency toxic, or a full
 * destination) does the pipe queue later chunks with their arrival time and
 * process them in order, as Toxiproxy's ToxicStub goroutines do with their
 * channels.
 *
 * Back-pressure is per link, so a slow reader holds up its own connection
 * only: a full destination pauses the source at once (like `stream.pipe`),
 * and a toxic that holds data pauses it once HIGH_WATER bytes are queued
 * (a full Go channel in Toxiproxy).
 */
import type { Socket } from 'node:net';
import type { ToxicStream } from '../../base/faults.js';
import type { ToxicRunner } from './toxics/types.js';

/** Above this many queued bytes the source is paused (like a full Go channel). */
const HIGH_WATER = 1 << 20;

/** What a pipe needs from its link. */
export interface PipeHost {
  readonly closed: boolean;
  /** The runners for this stream, in chain order (created on demand). */
  runners(stream: ToxicStream): ToxicRunner[];
  /** Count bytes read from the source. */
  countBytes(stream: ToxicStream, n: number): void;
  /** Count bytes handed to the destination after the toxics (Toxiproxy's "sent"). */
  countSent(stream: ToxicStream, n: number): void;
  /** The source ended and everything before the end went through. */
  sourceEnded(stream: ToxicStream): void;
}

type Item = { data: Buffer; at: number } | { end: true };

/** Moves one stream's bytes through the toxic chain. */
export class Pipe {
  private readonly queue: Item[] = [];
  private queued = 0;
  /** A chunk is in flight asynchronously; new chunks queue behind it. */
  private running = false;
  /** The destination refused a write and has not drained yet. */
  private blocked = false;
  private paused = false;

  constructor(
    private readonly stream: ToxicStream,
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly host: PipeHost,
  ) {
    src.on('data', (data: Buffer) => this.onData(data));
    src.on('end', () => this.enqueue({ end: true }));
  }

  private onData(data: Buffer): void {
    this.host.countBytes(this.stream, data.length);
    if (this.running || this.queue.length > 0) {
      this.queued += data.length;
      this.enqueue({ data, at: performance.now() });
      this.flow();
      return;
    }
    const pending = this.through(data);
    if (pending) void this.drain(pending);
  }

  private enqueue(item: Item): void {
    this.queue.push(item);
    if (!this.running) void this.drain();
  }

  /** Wait for the chunk in flight (if any), then work the queue down in order. */
  private async drain(pending?: Promise<void>): Promise<void> {
    this.running = true;
    try {
      if (pending) await pending;
      while (this.queue.length > 0 && !this.host.closed) {
        const item = this.queue.shift() as Item;
        if ('end' in item) {
          for (const r of this.host.runners(this.stream)) await r.end?.();
          if (!this.host.closed) this.host.sourceEnded(this.stream);
          continue;
        }
        const p = this.through(item.data, item.at);
        if (p) await p;
        this.queued -= item.data.length;
        this.flow();
      }
    } finally {
      this.running = false;
      this.flow();
    }
  }

  /** Pause or resume the source: a refused write, or too much queued behind a toxic. */
  private flow(): void {
    const hold = this.blocked || this.queued > HIGH_WATER || (this.paused && this.queued > HIGH_WATER / 2);
    if (hold && !this.paused) {
      this.paused = true;
      this.src.pause();
    } else if (!hold && this.paused) {
      this.paused = false;
      this.src.resume();
    }
  }

  /**
   * Run one chunk through the chain as it is now (toxics added
   * mid-connection apply). Returns nothing when the chunk went through at
   * once, a promise when some stage is still holding it.
   */
  private through(data: Buffer, at?: number): void | Promise<void> {
    const runners = this.host.runners(this.stream);
    // The clock is read only for a chain, which may need the arrival time.
    return runners.length === 0 ? this.write(data) : this.stage(runners, 0, data, at ?? performance.now());
  }

  private stage(runners: ToxicRunner[], i: number, buf: Buffer, at: number): void | Promise<void> {
    if (this.host.closed) return;
    if (i === runners.length) return this.write(buf);
    return runners[i].chunk(buf, at, (b) => this.stage(runners, i + 1, b, at));
  }

  private write(buf: Buffer): void | Promise<void> {
    if (this.dst.destroyed || this.dst.writableEnded) return;
    this.host.countSent(this.stream, buf.length);
    if (this.dst.write(buf)) return;
    this.blocked = true;
    this.flow();
    return new Promise((resolve) => {
      const done = () => {
        this.dst.off('drain', done);
        this.dst.off('close', done);
        this.blocked = false;
        resolve();
      };
      this.dst.once('drain', done);
      this.dst.once('close', done);
    });
  }
}
