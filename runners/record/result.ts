/**
 * What a run produces: per-scenario results with one of nine verdicts,
 * blame, recovery time and evidence, gathered into findings. Plain JSON
 * with a schemaVersion (findings.json); runners/record/findings-render.ts turns it
 * into Markdown.
 */
import type { Phase } from '../../claims/claim.js';
import type { Anomaly, CheckResult, PhaseMetrics, RecoveryResult } from '../../claims/check-result.js';

export const FINDINGS_SCHEMA_VERSION = 1 as const;

/** The nine verdicts of DESIGN.md, assigned by one decision tree (runners/analyse/verdict.ts). */
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
  boundaries: BoundaryMetrics[];
  blame: Blame;
  blameReason: string;
  seed: number;
  /** Attempts made (1 + re-runs on the same seed for a FAIL). */
  attempts: number;
  abort?: AbortRecord;
  /** Set when the environment prevented the run (precheck failed, proxy down). */
  envProblem?: string;
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
  coverage: { claimId: string; planned: number; proven: number; verdicts: Verdict[] }[];
  /** How the plan's confidence statement changed after running. */
  confidenceDelta: string;
}
