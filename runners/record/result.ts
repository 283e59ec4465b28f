/**
 * What a run produces: per-scenario results with one of nine verdicts,
 * blame, recovery time and evidence, gathered into findings. Plain JSON
 * with a schemaVersion (findings.json); runners/record/findings-render.ts turns it
 * into Markdown.
 */
import type { Phase } from '../../claims/claim.js';
import type { Anomaly, CheckResult, PhaseMetrics, RecoveryResult } from '../../claims/check-result.js';
import type { Timeline } from './timeline.js';

export const FINDINGS_SCHEMA_VERSION = 1 as const;

/** The nine verdicts of docs/architecture.md, assigned by one decision tree (runners/analyse/verdict.ts). */
export const VERDICTS = [
  'PASS-smoke',
  'PASS-hardening',
  'FAIL-reproducible',
  'FAIL-nondeterministic',
  'INCONCLUSIVE-env',
  'INCONCLUSIVE-oracle-too-weak',
  'INCONCLUSIVE-fault-not-proven',
  'PARTIAL-surface',
  'PARTIAL-model',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Who is to blame for a finding. */
export type Blame = 'SUT' | 'harness' | 'checker' | 'environment' | 'unknown';

/** Per service-boundary movement in one phase, from the spans of that window. */
export interface BoundaryMetrics {
  edge: string;
  phase: Phase;
  calls: number;
  errorRate: number;
  p99Ms: number;
  retries: number;
}

/** Landing evidence: did the fault touch real traffic? */
export interface LandingEvidence {
  proven: boolean;
  source: 'proxy-counters' | 'traces' | 'client-timing' | 'none';
  /** Human lines: `toxic touched 212 connections`, `edge p99 41→655 ms`. */
  evidence: string[];
}

/** Safety-guard abort record. */
export interface AbortRecord {
  condition: string;
  /** From the violating window's end to the toxic's removal. */
  abortLatencyMs: number;
}

/**
 * Lasting damage: an entrypoint or probe that was healthy in the scenario's
 * baseline and still failed after the fault was gone and a grace period
 * passed — a process that stopped answering, or a pool the fault leaked.
 * The most serious finding there is, whatever claim the scenario targeted.
 */
export interface LastingDamage {
  /** `entrypoint orders`, `probe charges` */
  subject: string;
  /** What it answered at the last check: `ECONNREFUSED`, `HTTP 503`. */
  error: string;
  /** ISO time it has been failing since, as far as the history shows. */
  since: string;
  /** How long it was re-checked after the recovery phase: `4 checks over 10 s`. */
  checked: string;
}

/** The result of one scenario. */
export interface ScenarioResult {
  scenarioId: string;
  claims: string[];
  verdict: Verdict;
  /** The decision-tree path that led to the verdict, one step per entry. */
  verdictPath: string[];
  checks: CheckResult[];
  landing: LandingEvidence;
  recovery?: RecoveryResult;
  metrics: PhaseMetrics[];
  /** Per-second latency, error rate and throughput across the phases (runners/record/timeline.ts); absent when the scenario did not run. */
  timeline?: Timeline;
  boundaries: BoundaryMetrics[];
  blame: Blame;
  blameReason: string;
  seed: number;
  /** Attempts made (1 + re-runs on the same seed for a FAIL). */
  attempts: number;
  abort?: AbortRecord;
  /** Set when the environment prevented the run (precheck failed, proxy down). */
  envProblem?: string;
  /** True when `envProblem` is the system under test not answering (precheck, hooks, probes), not the harness. */
  systemDown?: boolean;
  /** Entrypoints and probes that did not come back after this scenario's fault. */
  lastingDamage?: LastingDamage[];
  /** Set when the scenario could not run because the system under test was down: `the system under test has been down since scenario x`. */
  notRun?: string;
  /** How the after-dump was read: whether the system had settled first. */
  quiescence?: { reached: boolean; condition: string; waitedMs: number; detail?: string };
  /** Which halting guards applied to this scenario and which conditions were exempt. */
  halting?: { guards: string[]; exempt: string[] };
  durationMs: number;
}

/** Findings for one run of one plan. */
export interface Findings {
  schemaVersion: typeof FINDINGS_SCHEMA_VERSION;
  runId: string;
  planId: string;
  system: string;
  startedAt: string;
  finishedAt: string;
  headline: string;
  results: ScenarioResult[];
  /** Verdict → count. */
  counts: Partial<Record<Verdict, number>>;
  /** Claims the plan meant to cover vs. what the run actually proved. */
  /**
   * Per claim: scenarios aimed at it, how many held with hardening evidence,
   * their verdicts, and the scenarios whose checks falsified it (aimed or
   * watched: a FAIL aimed at this claim but caused by another claim's check
   * does not count against this one).
   */
  coverage: { claimId: string; planned: number; proven: number; verdicts: Verdict[]; falsifiedBy?: string[] }[];
  /** How the plan's confidence statement changed after running. */
  confidenceDelta: string;
}
