/**
 * One direction of a link: bytes read from `src` run through the live toxic
 * chain for that stream and are written to `dst`. With no toxic the bytes
 * go straight through (the common, benchmarked case); otherwise chunks are
 * queued with their arrival time and processed in order, with back-pressure
 * on the source when too much is queued.
 */
import type { Socket } from 'node:net';
import type { ToxicStream } from '../../base/faults.js';
import type { Emit, ToxicRunner } from './toxics/types.js';

/** Above this many queued bytes the source is paused (like a full Go channel). */
const HIGH_WATER = 1 << 20;

/** What a pipe needs from its link. */
export interface PipeHost {
  readonly closed: boolean;
  /** The runners for this stream, in chain order (created on demand). */
  runners(stream: ToxicStream): ToxicRunner[];
  /** Count bytes read from the source. */
  countBytes(stream: ToxicStream, n: number): void;
  /** The source ended and everything before the end went through. */
  sourceEnded(stream: ToxicStream): void;
}

type Item = { data: Buffer; at: number } | { end: true };

/** Moves one stream's bytes through the toxic chain. */
export class Pipe {
  private readonly queue: Item[] = [];
  private queued = 0;
  private running = false;
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
    if (!this.running && this.queue.length === 0 && this.host.runners(this.stream).length === 0) {
      if (!this.dst.write(data) && !this.paused) {
        this.paused = true;
        this.src.pause();
        this.dst.once('drain', () => {
          this.paused = false;
          this.src.resume();
        });
      }
      return;
    }
    this.queued += data.length;
    if (this.queued > HIGH_WATER && !this.paused) {
      this.paused = true;
      this.src.pause();
    }
    this.enqueue({ data, at: performance.now() });
  }

  private enqueue(item: Item): void {
    this.queue.push(item);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.host.closed) {
        const item = this.queue.shift() as Item;
        if ('end' in item) {
          for (const r of this.host.runners(this.stream)) await r.end?.();
          if (!this.host.closed) this.host.sourceEnded(this.stream);
          continue;
        }
        await this.through(item.data, item.at);
        this.queued -= item.data.length;
        if (this.paused && this.queued < HIGH_WATER / 2) {
          this.paused = false;
          this.src.resume();
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Run one chunk through the chain as it is now (toxics added mid-connection apply). */
  private through(data: Buffer, at: number): Promise<void> {
    const runners = this.host.runners(this.stream);
    const stage = (i: number): Emit => async (buf) => {
      if (this.host.closed) return;
      if (i === runners.length) return this.write(buf);
      await runners[i].chunk(buf, at, stage(i + 1));
    };
    return stage(0)(data);
  }

  private write(buf: Buffer): Promise<void> {
    if (this.dst.destroyed || this.dst.writableEnded) return Promise.resolve();
    if (this.dst.write(buf)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.dst.off('drain', done);
        this.dst.off('close', done);
        resolve();
      };
      this.dst.once('drain', done);
      this.dst.once('close', done);
    });
  }
}
