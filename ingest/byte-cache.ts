/**
 * A small hash table from byte ranges of one input document to values, so a
 * reader can map repeated byte strings (attribute keys, span names) without
 * decoding each occurrence into a new string first. Entries are positions in
 * the current document, so {@link ByteCache.reset} per document drops them
 * all (a generation bump, no clearing). The table never grows and a lookup
 * probes a few slots at most: high-cardinality or hostile input only makes
 * it miss, never slow or large.
 */

const PROBES = 8;

/** Byte range of the current document → V, for at most `size` ranges. */
export class ByteCache<V> {
  private readonly mask: number;
  private readonly gens: Int32Array;
  private readonly hashes: Int32Array;
  private readonly starts: Float64Array;
  private readonly lens: Int32Array;
  private readonly values: (V | undefined)[];
  private gen = 0;
  private buf: Uint8Array = new Uint8Array(0);
  /** Free slot found by the last missed {@link get} (-1: none), and that key's range and hash. */
  private free = -1;
  private freeStart = 0;
  private freeLen = 0;
  private freeHash = 0;

  /** `size` must be a power of two. */
  constructor(size: number) {
    this.mask = size - 1;
    this.gens = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.starts = new Float64Array(size);
    this.lens = new Int32Array(size);
    this.values = new Array<V | undefined>(size).fill(undefined);
  }

  /** Forget every entry and read positions from `buf` from now on. */
  reset(buf: Uint8Array): void {
    this.buf = buf;
    if (++this.gen === 0x7fffffff) {
      this.gens.fill(0);
      this.gen = 1;
    }
  }

  /** The value stored for the bytes `[start, end)`, or undefined; a miss may then be stored with {@link set}. */
  get(start: number, end: number): V | undefined {
    const buf = this.buf;
    const len = end - start;
    // The length and four sampled bytes (first, last, middle, quarter), FNV-style:
    // far cheaper than hashing every byte, and a collision only costs a compare.
    let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
    if (len > 0) {
      h = Math.imul(h ^ (buf[start] | (buf[end - 1] << 8) | (buf[start + (len >> 1)] << 16) | (buf[start + (len >> 2)] << 24)), 0x01000193);
      h ^= h >>> 15;
    }
    this.free = -1;
    for (let p = 0; p < PROBES; p++) {
      const slot = (h + p) & this.mask;
      if (this.gens[slot] !== this.gen) {
        this.free = slot;
        this.freeStart = start;
        this.freeLen = len;
        this.freeHash = h;
        return undefined;
      }
      if (this.hashes[slot] === h && this.lens[slot] === len && this.sameAt(this.starts[slot], start, len)) return this.values[slot];
    }
    return undefined;
  }

  /** Store `value` for the bytes of the last missed {@link get}, when it found a free slot. */
  set(value: V): void {
    const slot = this.free;
    if (slot < 0) return;
    this.gens[slot] = this.gen;
    this.hashes[slot] = this.freeHash;
    this.starts[slot] = this.freeStart;
    this.lens[slot] = this.freeLen;
    this.values[slot] = value;
    this.free = -1;
  }

  private sameAt(a: number, b: number, n: number): boolean {
    const buf = this.buf;
    for (let i = 0; i < n; i++) if (buf[a + i] !== buf[b + i]) return false;
    return true;
  }
}
