/**
 * A mergeable quantile sketch after DDSketch (Masson, Rim & Lee, "DDSketch:
 * a fast and fully-mergeable quantile sketch with relative-error
 * guarantees", VLDB 2019). Values fall into logarithmic buckets
 * `(γ^(i-1), γ^i]` with `γ = (1+α)/(1-α)`; answering with the bucket's
 * midpoint `2γ^i/(γ+1)` is within relative error `α` of every value in it.
 *
 * Memory is bounded: at most `maxBuckets` buckets are kept. When a new value
 * would widen the range past that, the lowest buckets are collapsed into one
 * (DDSketch's "collapsing lowest" store), which only degrades accuracy of the
 * lowest quantiles — the tail (p95/p99) that faultline cares about stays exact
 * to `α`. With α = 1% the range 1 µs … 10⁶ ms needs ~1,040 buckets, so the
 * default cap of 2,048 is never reached by real latencies.
 */

/** Serialised form of a {@link QuantileSketch}. */
export interface SketchJSON {
  alpha: number;
  maxBuckets: number;
  /** Count of values ≤ the minimum indexable value (zero and negatives). */
  zero: number;
  /** Index of `counts[0]`. */
  offset: number;
  counts: number[];
  count: number;
  min: number;
  max: number;
}

/** Values at or below this (ms) are counted in the zero bucket. */
const MIN_VALUE = 1e-9;

/** A DDSketch-style quantile sketch over non-negative values (milliseconds in faultline). */
export class QuantileSketch {
  readonly alpha: number;
  readonly maxBuckets: number;
  private readonly gamma: number;
  private readonly logGamma: number;
  private counts: number[] = [];
  private offset = 0;
  private zero = 0;
  private n = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(alpha = 0.01, maxBuckets = 2048) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`sketch alpha must be in (0,1), got ${alpha}`);
    this.alpha = alpha;
    this.maxBuckets = Math.max(2, Math.floor(maxBuckets));
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
  }

  /** Number of values added. */
  get count(): number {
    return this.n;
  }

  /** Largest value added (exact), 0 when empty. */
  get max(): number {
    return this.n === 0 ? 0 : this.hi;
  }

  /** Smallest value added (exact), 0 when empty. */
  get min(): number {
    return this.n === 0 ? 0 : this.lo;
  }

  /** Add one value (`n` times). NaN is ignored; negatives count as zero. */
  add(value: number, n = 1): void {
    if (Number.isNaN(value) || n <= 0) return;
    this.n += n;
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    if (value <= MIN_VALUE) {
      this.zero += n;
      return;
    }
    this.addAt(this.index(value), n);
  }

  /** Fold another sketch with the same alpha into this one. */
  merge(other: QuantileSketch): void {
    if (other.alpha !== this.alpha) throw new RangeError(`cannot merge sketches with alpha ${this.alpha} and ${other.alpha}`);
    if (other.n === 0) return;
    this.n += other.n;
    this.zero += other.zero;
    this.lo = Math.min(this.lo, other.lo);
    this.hi = Math.max(this.hi, other.hi);
    other.counts.forEach((c, i) => {
      if (c > 0) this.addAt(other.offset + i, c);
    });
  }

  /**
   * The value at quantile `q` (0..1): the value of rank `floor(q·(count−1))`
   * in sorted order, within relative error α. 0 when empty.
   */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.n - 1));
    if (rank < this.zero) return Math.max(0, Math.min(this.lo, 0));
    let cum = this.zero;
    for (let i = 0; i < this.counts.length; i++) {
      cum += this.counts[i];
      if (cum > rank) return this.clamp(this.valueOf(this.offset + i));
    }
    return this.hi;
  }

  /** Number of values in buckets whose representative value lies in `[lo, hi]`. */
  countBetween(lo: number, hi: number): number {
    let c = lo <= 0 ? this.zero : 0;
    for (const [value, count] of this.buckets()) if (value >= lo && value <= hi) c += count;
    return c;
  }

  /** Non-empty buckets as `[representative value, count]`, ascending (zero bucket excluded). */
  *buckets(): Generator<[number, number]> {
    for (let i = 0; i < this.counts.length; i++) {
      if (this.counts[i] > 0) yield [this.valueOf(this.offset + i), this.counts[i]];
    }
  }

  toJSON(): SketchJSON {
    return {
      alpha: this.alpha,
      maxBuckets: this.maxBuckets,
      zero: this.zero,
      offset: this.offset,
      counts: [...this.counts],
      count: this.n,
      min: this.min,
      max: this.max,
    };
  }

  /** Rebuild a sketch from {@link QuantileSketch.toJSON} output. */
  static fromJSON(json: SketchJSON): QuantileSketch {
    const s = new QuantileSketch(json.alpha, json.maxBuckets);
    s.counts = [...json.counts];
    s.offset = json.offset;
    s.zero = json.zero;
    s.n = json.count;
    if (json.count > 0) {
      s.lo = json.min;
      s.hi = json.max;
    }
    return s;
  }

  private index(value: number): number {
    return Math.ceil(Math.log(value) / this.logGamma);
  }

  private valueOf(index: number): number {
    return (2 * Math.pow(this.gamma, index)) / (this.gamma + 1);
  }

  private clamp(v: number): number {
    return Math.min(this.hi, Math.max(this.lo, v));
  }

  private addAt(index: number, n: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(n);
      return;
    }
    if (index < this.offset) {
      // Below the kept range: grow downwards unless that would exceed the cap,
      // in which case the value joins the lowest bucket (collapsing lowest).
      const grow = this.offset - index;
      if (this.counts.length + grow > this.maxBuckets) {
        this.counts[0] += n;
        return;
      }
      this.counts.unshift(...new Array<number>(grow).fill(0));
      this.offset = index;
    } else if (index >= this.offset + this.counts.length) {
      const needed = index - this.offset + 1;
      if (needed > this.maxBuckets) this.collapseLowest(needed - this.maxBuckets);
      while (this.counts.length < index - this.offset + 1) this.counts.push(0);
    }
    this.counts[index - this.offset] += n;
  }

  /** Move the window up by `k` buckets, folding everything below it into its lowest bucket. */
  private collapseLowest(k: number): void {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    if (k >= this.counts.length) {
      this.counts = [sum(this.counts)];
    } else {
      const folded = sum(this.counts.slice(0, k + 1));
      this.counts = this.counts.slice(k);
      this.counts[0] = folded;
    }
    this.offset += k;
  }
}
