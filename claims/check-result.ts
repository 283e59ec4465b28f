/**
 * What a checker returns over a history: anomalies, how much it consumed and
 * whether it could do its job, plus the per-phase metrics and recovery
 * measurement checkers share. Plain JSON; findings embed these values.
 */
import type { Phase } from './claim.js';

/** One anomaly a checker found, with enough context to check it by hand. */
export interface Anomaly {
  message: string;
  /** Op ids involved. */
  ops?: number[];
  key?: string;
}

/** A checker's result over a history. */
export interface CheckResult {
  claimId: string;
  checker: string;
  /** True when no anomaly was found. */
  ok: boolean;
  /** Ops (or probe records) the checker actually consumed. */
  opsConsumed: number;
  anomalies: Anomaly[];
  /** `checked 4,213 ops, 0 anomalies` */
  summary: string;
  /**
   * False when the checker could not do its job: too few ops in the window,
   * a missing probe, a history without the fields it needs.
   */
  sufficient: boolean;
  /** Why not sufficient. */
  insufficientReason?: string;
  /** Total anomalies found when `anomalies` is a capped list (absent: the list is complete). */
  anomalyCount?: number;
  /** Set when the model could check only part of the history (e.g. the linearizability search gave up on a key). */
  partialModel?: string;
  /** Parts of the claim's surface the history never exercised (entrypoints, keys). */
  unexercised?: string[];
}

/** Entrypoint metrics for one phase, from the history. */
export interface PhaseMetrics {
  phase: Phase;
  ops: number;
  throughputPerSec: number;
  errorRate: number;
  timeouts: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Recovery measurement result. */
export interface RecoveryResult {
  /** Ms from fault removal to recovery; null when it did not recover within the window. */
  recoveredAfterMs: number | null;
  windowMs: number;
  holdMs: number;
  /** The band used, e.g. `p99 ≤ 120 ms and error rate ≤ 1%`. */
  band: string;
  /** `did not recover within 10000 ms` when null. */
  note?: string;
}

