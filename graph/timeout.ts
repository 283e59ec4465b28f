/**
 * Timeout evidence from latency alone. A client timeout shows up as error
 * calls whose durations pile up at one constant (the configured cut-off)
 * with almost nothing slower than it, well above the typical call. We look
 * for that shape in the per-edge sketches, so no raw durations are kept.
 */
import type { GraphEdge } from './model.js';
import type { QuantileSketch } from './sketch.js';

/** Tunables of the detector, exposed for tests and documentation. */
export const TIMEOUT_RULE = {
  /** Durations within ±2% of the cut-off count as hits. */
  band: 0.02,
  /** At least this many error calls at the cut-off. */
  minHits: 3,
  /** …and at least this share of all error calls. */
  minShareOfErrors: 0.1,
  /** The cut-off must be at least this multiple of the edge's median latency. */
  minMedianMultiple: 2,
  /** At most this share of all calls may be slower than the band (a timeout is a ceiling). */
  maxShareAbove: 0.01,
} as const;

/** Decide whether an edge's error latencies show a constant cut-off. */
export function detectTimeout(all: QuantileSketch, errors: QuantileSketch): GraphEdge['timeout'] {
  const none: GraphEdge['timeout'] = { evidence: 'none' };
  if (errors.count < TIMEOUT_RULE.minHits) return none;
  let best = { center: 0, hits: 0 };
  for (const [value] of errors.buckets()) {
    const hits = errors.countBetween(value * (1 - TIMEOUT_RULE.band), value * (1 + TIMEOUT_RULE.band));
    if (hits > best.hits || (hits === best.hits && value > best.center)) best = { center: value, hits };
  }
  if (best.hits < TIMEOUT_RULE.minHits || best.hits < TIMEOUT_RULE.minShareOfErrors * errors.count) return none;
  if (best.center < TIMEOUT_RULE.minMedianMultiple * all.quantile(0.5)) return none;
  const above = all.countBetween(best.center * (1 + TIMEOUT_RULE.band) + Number.EPSILON, Infinity);
  if (above > Math.max(1, TIMEOUT_RULE.maxShareAbove * all.count)) return none;
  return { evidence: 'observed', cutoffMs: roundTo3(best.center), hits: best.hits };
}

/** Three significant digits: the sketch is only 1% accurate anyway. */
function roundTo3(v: number): number {
  if (v === 0) return 0;
  const p = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
  return Math.round(v * p) / p;
}
