/**
 * Client-side metrics per phase, from the run history. Latency of an op is
 * `completeMs - invokeMs`; for a timed-out op that is how long the client
 * waited before giving up, so timeouts enter the percentiles at (at least)
 * the timeout duration — the user waited that long. Errors count failed
 * responses and timeouts alike (both are unavailability from the user's
 * view); timeouts are also reported on their own.
 */
import type { Phase } from './claim.js';
import type { History, Op } from './history.js';
import type { PhaseMetrics } from './check-result.js';

/** The three phases in run order. */
export const PHASES: readonly Phase[] = ['baseline', 'fault', 'recovery'];

/** Latency the user saw for one op, in ms. */
export function latencyOf(op: Op): number {
  return Math.max(0, op.completeMs - op.invokeMs);
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of the
 * sample at or below it); NaN for an empty sample. `sorted` must be ascending.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Ascending latencies of ops. */
export function sortedLatencies(ops: readonly Op[]): number[] {
  return ops.map(latencyOf).sort((a, b) => a - b);
}

/** Ops invoked in a phase, optionally of one entrypoint. */
export function opsIn(history: History, phase: Phase, entrypoint?: string): Op[] {
  return history.ops.filter((o) => o.epoch === phase && (entrypoint === undefined || o.type === entrypoint));
}

/** Metrics of a set of ops over a phase of `durationMs`. */
export function metricsOf(phase: Phase, ops: readonly Op[], durationMs: number): PhaseMetrics {
  const lat = sortedLatencies(ops);
  const ok = ops.filter((o) => o.ok).length;
  const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : 0);
  return {
    phase,
    ops: ops.length,
    // Throughput counts successful ops only: what the system actually served.
    throughputPerSec: durationMs > 0 ? round((ok * 1000) / durationMs) : 0,
    errorRate: ops.length === 0 ? 0 : (ops.length - ok) / ops.length,
    timeouts: ops.filter((o) => o.timeout).length,
    p50Ms: round(percentile(lat, 50)),
    p95Ms: round(percentile(lat, 95)),
    p99Ms: round(percentile(lat, 99)),
  };
}

function durationOf(history: History, phase: Phase): number {
  const w = history.phases[phase];
  return Math.max(0, w.endMs - w.startMs);
}

/** Throughput, error rate, timeouts and p50/p95/p99 per phase over all entrypoints. */
export function phaseMetrics(history: History): PhaseMetrics[] {
  return PHASES.map((p) => metricsOf(p, opsIn(history, p), durationOf(history, p)));
}

/** The same metrics per entrypoint: entrypoint name → one row per phase. */
export function entrypointMetrics(history: History): Record<string, PhaseMetrics[]> {
  const names = [...new Set(history.ops.map((o) => o.type))].sort();
  const out: Record<string, PhaseMetrics[]> = {};
  for (const name of names) {
    out[name] = PHASES.map((p) => metricsOf(p, opsIn(history, p, name), durationOf(history, p)));
  }
  return out;
}
