/**
 * The one shape every benchmark module returns. A bench module exports
 * `run(): Promise<BenchResult[]>`; bench/run.ts runs them and prints a table.
 */

/** One measured figure. */
export interface BenchResult {
  /** Which bench produced it, e.g. `ingest` (bench/run.ts fills in the module name when absent). */
  bench?: string;
  /** What was measured, e.g. `otlp-json ingest→graph`. */
  name: string;
  value: number;
  /** Unit of `value`: `spans/s`, `MB`, `ratio`, `ms`, … */
  unit: string;
  /** The same measure for the baseline it is compared with (e.g. bare parse, direct connection), in `unit`. */
  baseline?: number;
  /** value / baseline (or the ratio the target is about). */
  ratio?: number;
  /** The target in words, e.g. `≥ 0.5`; absent when informational. */
  target?: string;
  /** Whether the target was met; absent when informational. */
  pass?: boolean;
  /** Anything a reader needs to interpret the figure. */
  note?: string;
}

/** A benchmark module. */
export interface BenchModule {
  run(): Promise<BenchResult[]>;
}
