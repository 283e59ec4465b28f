/**
 * A scenario's history as a per-second series: latency percentiles, error
 * rate and throughput across baseline, fault and recovery, with the phase
 * boundaries. The three per-phase rows of `metrics` say *whether* a claim
 * held; this says *when* things moved, which is what a reviewer looks at
 * first (findings.html draws it). Compact on purpose: parallel arrays of
 * numbers, a few kB per scenario, kept in findings.json.
 */
import type { History } from '../../claims/history.js';
import { latencyOf, percentile } from '../../claims/phase-metrics.js';

/** At most this many buckets: a long scenario gets wider buckets rather than a huge findings.json. */
export const MAX_BUCKETS = 1800;

/** Per-bucket series of one scenario; times are ms from the baseline's start. */
export interface Timeline {
  /** Bucket width in ms (1000 unless the scenario was longer than {@link MAX_BUCKETS} s). */
  stepMs: number;
  /** When the fault was applied and removed, and when the recovery phase ended. */
  faultStartMs: number;
  faultEndMs: number;
  endMs: number;
  /** Ops invoked in each bucket. */
  ops: number[];
  /** Share of those ops that failed or timed out (0–1); null for a bucket without ops. */
  errorRate: (number | null)[];
  /** Successful ops per second completed in each bucket. */
  throughput: number[];
  /** Latency percentiles of the ops invoked in each bucket, in ms; null without ops. */
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The timeline of a history; buckets are aligned to the baseline's start. */
export function timelineOf(history: History): Timeline {
  const { baseline, fault, recovery } = history.phases;
  const t0 = baseline.startMs;
  const endMs = Math.max(0, recovery.endMs - t0);
  const stepMs = Math.max(1000, Math.ceil(endMs / MAX_BUCKETS / 1000) * 1000);
  const n = Math.max(1, Math.ceil(endMs / stepMs));
  const latencies: number[][] = Array.from({ length: n }, () => []);
  const ops = new Array<number>(n).fill(0);
  const errors = new Array<number>(n).fill(0);
  const served = new Array<number>(n).fill(0);
  const bucket = (ms: number) => Math.min(n - 1, Math.max(0, Math.floor((ms - t0) / stepMs)));
  for (const op of history.ops) {
    const b = bucket(op.invokeMs);
    ops[b] += 1;
    if (!op.ok) errors[b] += 1;
    latencies[b].push(latencyOf(op));
    if (op.ok) served[bucket(op.completeMs)] += 1;
  }
  const pct = (p: number) => latencies.map((l) => (l.length ? round1(percentile(l.sort((a, b) => a - b), p)) : null));
  return {
    stepMs,
    faultStartMs: Math.round(fault.startMs - t0),
    faultEndMs: Math.round(fault.endMs - t0),
    endMs: Math.round(endMs),
    ops,
    errorRate: ops.map((k, i) => (k ? Math.round((errors[i] / k) * 1000) / 1000 : null)),
    throughput: served.map((k) => round1((k * 1000) / stepMs)),
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
  };
}
