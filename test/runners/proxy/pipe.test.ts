/**
 * The pipe hands a chunk on by reference and at once when nothing in the
 * chain needs to wait: with no toxic and with a noop toxic the Buffer the
 * source read is the very Buffer the destination is given, in the same
 * `data` event (not copied, not queued behind a promise). Fake sockets, so
 * this is about behaviour, not speed.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Pipe, type PipeHost } from '../../../runners/proxy/pipe.js';
import { noop } from '../../../runners/proxy/toxics/stream-toxics.js';
import type { ToxicContext, ToxicRunner } from '../../../runners/proxy/toxics/types.js';

/** A destination that records what it was given and can refuse writes. */
class FakeDst extends EventEmitter {
  readonly written: Buffer[] = [];
  destroyed = false;
  writableEnded = false;
  accept = true;
  write(b: Buffer): boolean {
    this.written.push(b);
    return this.accept;
  }
}

/** A source that records pause/resume. */
class FakeSrc extends EventEmitter {
  paused = false;
  pause() { this.paused = true; }
  resume() { this.paused = false; }
}

function pipeWith(runners: ToxicRunner[]) {
  const src = new FakeSrc();
  const dst = new FakeDst();
  const host: PipeHost = { closed: false, runners: () => runners, countBytes: () => undefined, countSent: () => undefined, sourceEnded: () => undefined };
  new Pipe('downstream', src as unknown as Socket, dst as unknown as Socket, host);
  return { src, dst };
}

const noopRunner = () => noop({} as ToxicContext);

describe('Pipe', () => {
  it.each([
    ['no toxic', () => []],
    ['a noop toxic', () => [noopRunner()]],
    ['three noop toxics', () => [noopRunner(), noopRunner(), noopRunner()]],
  ])('passes each chunk on by reference, in the same data event, with %s', (_label, chain) => {
    const { src, dst } = pipeWith(chain());
    const chunks = [Buffer.from('first'), Buffer.from('second')];
    for (const c of chunks) {
      src.emit('data', c);
      expect(dst.written.at(-1)).toBe(c);
    }
    expect(dst.written).toHaveLength(2);
  });

  it('pauses the source when the destination refuses a write, and resumes it on drain, keeping order', async () => {
    const { src, dst } = pipeWith([noopRunner()]);
    dst.accept = false;
    const a = Buffer.from('a');
    src.emit('data', a);
    expect(src.paused).toBe(true);
    // A chunk already read before the pause took effect waits its turn.
    const b = Buffer.from('b');
    src.emit('data', b);
    expect(dst.written).toEqual([a]);
    dst.accept = true;
    dst.emit('drain');
    await new Promise((r) => setImmediate(r));
    expect(dst.written[1]).toBe(b);
    expect(src.paused).toBe(false);
  });
});
