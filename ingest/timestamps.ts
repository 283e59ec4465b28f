/**
 * Nanosecond timestamps → microseconds without precision loss and without
 * bigint. OTLP times are fixed64 nanoseconds (≈1.7e18, beyond
 * Number.MAX_SAFE_INTEGER): JSON carries them as decimal strings (OTLP JSON
 * encoding: 64-bit integers are strings), protobufjs as Long {low, high}.
 * Microseconds (≈1.7e15) are exact in a double; the sub-µs remainder is kept
 * separately so durations can stay fractional.
 */

/** Reused output slot: `us` integer microseconds, `fracNs` 0..999 remaining nanoseconds. */
export interface NanoParts {
  us: number;
  fracNs: number;
}

const DIGITS = /^\d+$/;

/**
 * Split a nanosecond timestamp (decimal string, number or Long-like) into
 * `out`. Returns false when the value is missing or not a non-negative
 * integer (the caller decides whether that skips or repairs the span).
 */
export function splitNanos(raw: unknown, out: NanoParts): boolean {
  if (typeof raw === 'string') {
    const n = raw.length;
    // Fast path for the usual 19-digit string: one pass over the char codes,
    // no regex and no substrings. With at most 16 leading digits only the last
    // step can round, and only above 2^53, which the safe-integer check rejects
    // exactly as Number(slice) would; longer strings take the general path.
    if (n > 3 && n <= 19) {
      let us = 0;
      const cut = n - 3;
      for (let i = 0; i < cut; i++) {
        const d = raw.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return false;
        us = us * 10 + d;
      }
      let frac = 0;
      for (let i = cut; i < n; i++) {
        const d = raw.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return false;
        frac = frac * 10 + d;
      }
      out.us = us;
      out.fracNs = frac;
      return Number.isSafeInteger(us);
    }
    if (!DIGITS.test(raw)) return false;
    if (n <= 3) {
      out.us = 0;
      out.fracNs = Number(raw);
    } else {
      // String arithmetic: the last three digits are the sub-µs part.
      out.us = Number(raw.slice(0, n - 3));
      out.fracNs = Number(raw.slice(n - 3));
    }
    return Number.isSafeInteger(out.us);
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) return false;
    const us = Math.floor(raw / 1000);
    out.us = us;
    out.fracNs = Math.max(0, Math.min(999, Math.round(raw - us * 1000)));
    return true;
  }
  if (raw !== null && typeof raw === 'object' && typeof (raw as { low?: unknown }).low === 'number') {
    const { low, high } = raw as { low: number; high: number };
    // ns = high·2^32 + low, and 2^32 = 4294967·1000 + 296, so
    // ns = 1000·(high·4294967) + (high·296 + low): both parts exact in doubles.
    const hi = high >>> 0;
    const rest = hi * 296 + (low >>> 0);
    out.us = hi * 4294967 + Math.floor(rest / 1000);
    out.fracNs = rest % 1000;
    return Number.isSafeInteger(out.us);
  }
  return false;
}

/** Microseconds (integer) of a nanosecond timestamp, or `undefined` when unusable. */
export function nanosToUs(raw: unknown): number | undefined {
  const p: NanoParts = { us: 0, fracNs: 0 };
  return splitNanos(raw, p) ? p.us : undefined;
}
