/**
 * Toxics that reshape data in flight (Toxiproxy toxics/noop.go, latency.go,
 * bandwidth.go, slicer.go), with Toxiproxy's units: latency and jitter in
 * ms, rate in KB/s where 1 KB = 1000 bytes, slicer sizes in bytes and its
 * delay in µs.
 */
import { sleep, type Emit, type ToxicFactory } from './types.js';

/**
 * Passes everything through (Toxiproxy's `noop`): the same Buffer, at once,
 * so an installed noop costs a function call per chunk and nothing more.
 */
export const noop: ToxicFactory = () => ({
  chunk: (data, _at, emit) => emit(data),
});

/**
 * Delays every chunk by latency ± jitter, measured from when the chunk
 * arrived, so back-to-back chunks are pipelined rather than delayed in series.
 */
export const latency: ToxicFactory = ({ spec, random, signal }) => ({
  async chunk(data, arrivedAt, emit) {
    const { latency: ms, jitter } = spec().attributes;
    const delay = ms + (jitter > 0 ? Math.round((random() * 2 - 1) * jitter) : 0);
    await sleep(arrivedAt + delay - performance.now(), signal);
    await emit(data);
  },
});

/**
 * Limits throughput to `rate` KB/s. Big chunks are cut into 100 ms worth of
 * bytes so the stream trickles instead of stalling, as Toxiproxy does.
 * Rate 0 means unlimited.
 */
export const bandwidth: ToxicFactory = ({ spec, signal }) => ({
  chunk(data, _at, emit) {
    const rate = spec().attributes.rate;
    return rate <= 0 ? emit(data) : trickle(data, rate, emit, signal);
  },
});

/** `data` at `rate` KB/s, in slices of 100 ms worth of bytes. */
async function trickle(data: Buffer, rate: number, emit: Emit, signal: AbortSignal): Promise<void> {
  const bytesPerMs = rate; // rate KB/s × 1000 B/KB ÷ 1000 ms/s
  const slice = Math.max(1, rate * 100);
  for (let off = 0; off < data.length; off += slice) {
    const piece = data.subarray(off, off + slice);
    await sleep(piece.length / bytesPerMs, signal);
    await emit(piece);
  }
}

/**
 * Cuts chunks into pieces of average_size ± size_variation bytes with
 * `delay` µs between them (a fragmented network or a slow writer).
 */
export const slicer: ToxicFactory = ({ spec, random, link, signal }) => ({
  async chunk(data, _at, emit) {
    const { average_size: avg, size_variation: variation, delay } = spec().attributes;
    if (avg <= 0) return emit(data);
    let off = 0;
    while (off < data.length && !link.closed) {
      const jitter = variation > 0 ? Math.round((random() * 2 - 1) * Math.min(variation, avg - 1)) : 0;
      const size = Math.max(1, avg + jitter);
      await emit(data.subarray(off, off + size));
      off += size;
      if (off < data.length) await sleepMicros(delay, signal);
    }
  },
});

/** Sub-millisecond delays still yield to the event loop so pieces leave as separate writes. */
function sleepMicros(us: number, signal: AbortSignal): Promise<void> {
  if (us >= 1000) return sleep(us / 1000, signal);
  return new Promise((resolve) => setImmediate(resolve));
}
