/**
 * Toxics that end connections (Toxiproxy toxics/slow_close.go, timeout.go,
 * reset_peer.go, limit_data.go). Timeouts and delays are in ms, limits in
 * bytes.
 */
import { sleep, type ToxicFactory } from './types.js';

/** Delays the close by `delay` ms after the source ends. */
export const slowClose: ToxicFactory = ({ spec, signal }) => ({
  chunk: (data, _at, emit) => emit(data),
  end: () => sleep(spec().attributes.delay, signal),
});

/**
 * Drops all data and closes the connection after `timeout` ms; with 0 it
 * never closes on its own. Removing the toxic closes the held connection
 * (Toxiproxy's TimeoutToxic.Cleanup), since the dropped bytes are gone.
 */
export const timeout: ToxicFactory = ({ spec, link }) => {
  const ms = spec().attributes.timeout;
  const timer = ms > 0 ? setTimeout(() => link.close(), ms) : undefined;
  timer?.unref();
  return {
    chunk: () => undefined,
    removed: () => link.close(),
    dispose: () => clearTimeout(timer),
  };
};

/**
 * On the first data after it applies, waits `timeout` ms and resets the
 * connection: the peer sees ECONNRESET instead of a clean FIN. The data is
 * swallowed, so once a chunk is taken the reset always follows, as in
 * Toxiproxy (reset_peer.go waits out its timeout whether or not the toxic
 * was removed meanwhile). Removal only cuts the wait short: a link left
 * open without the swallowed bytes is a stream no real network produces,
 * and its client waits forever for answers to requests the server never
 * saw (a Redis client stuck in its handshake kept a fixed service failing
 * long after the fault was gone).
 */
export const resetPeer: ToxicFactory = ({ spec, link, counter, signal }) => {
  let fired = false;
  return {
    async chunk() {
      if (fired) return;
      fired = true;
      await sleep(spec().attributes.timeout, signal);
      // The signal also aborts when the link closes; then there is nothing left to reset.
      if (link.closed) return;
      counter.resets += 1;
      link.reset(spec().stream);
    },
  };
};

/** Passes exactly `bytes` bytes, then closes the connection. */
export const limitData: ToxicFactory = ({ spec, link }) => {
  let passed = 0;
  return {
    async chunk(data, _at, emit) {
      const limit = spec().attributes.bytes;
      const allowed = Math.max(0, limit - passed);
      const piece = data.length > allowed ? data.subarray(0, allowed) : data;
      if (piece.length > 0) {
        passed += piece.length;
        await emit(piece);
      }
      if (passed >= limit) link.close();
    },
  };
};
