/**
 * The plan: claims plus the ranked graph, turned into scenarios that each
 * try to falsify named claims under one named fault. Plain JSON with a
 * schemaVersion; validated by generators/plan-schema.ts on every load.
 */
import type { Claim, MissingClaim, OracleCheck, Phase, RecoverySettings } from '../claims/claim.js';
import type { FaultType, ToxicStream } from '../base/faults.js';
import type { FaultFamily } from '../claims/fault-repertoire.js';
import type { TraceSourceSpec } from '../ingest/trace-source.js';
import type { ManifestEntrypoint, ManifestHook, ManifestProbe, ManifestProxy, ManifestQuiescence } from './manifest.js';

export const PLAN_SCHEMA_VERSION = 1 as const;

/** A failure hypothesis tied to claims and ranked risks. */
export interface Hypothesis {
  id: string;
  text: string;
  claims: string[];
  /** RiskItem ids that motivated it. */
  risks: string[];
}

/** The fault of a scenario, in Toxiproxy's terms (base/faults.ts: `down` = disabled proxy, `flap` = toggled). */
export interface ScenarioFault {
  toxic: FaultType;
  stream: ToxicStream;
  toxicity: number;
  /** Toxiproxy attributes in its units (latency ms, bandwidth KB/s, slicer µs, …). */
  attributes: Record<string, number>;
  /** Why these values: `latency = observed p99 412 ms × 3`. */
  sizing: string;
  /** The repertoire family it belongs to (claims/fault-repertoire.ts); absent for hand-written or older plans. */
  family?: FaultFamily;
}

/** How the workload drives the system. */
export interface ScenarioWorkload {
  entrypoints: { name: string; weight: number }[];
  ratePerSec: number;
  seed: number;
}

/** What proves the fault touched real traffic. */
export interface LandingSignal {
  /** `proxy-counters` needs faultline's proxy; the others work with any Toxiproxy. */
  kind: 'proxy-counters' | 'edge-latency' | 'edge-errors' | 'client-timing';
  /** Human description of the expected movement. */
  expectation: string;
}

/** A halting condition evaluated during the fault phase. */
export interface HaltingCondition {
  entrypoint?: string;
  maxErrorRate: number;
  windowMs: number;
  /**
   * `outside-hypothesis` (default): protects only what a scenario does not
   * target — an error spike on the scenario's own entrypoints under its own
   * fault is the experiment working, not a reason to stop it. `always`: a
   * user stop condition that applies even there (ChAP / AWS FIS style).
   */
  scope?: 'outside-hypothesis' | 'always';
}

/** One halting guard of a scenario: a condition narrowed to the entrypoints it protects there. */
export interface ScenarioGuard {
  entrypoints: string[];
  maxErrorRate: number;
  windowMs: number;
  /** Why it applies: `protects stock, which no claim of this scenario targets`. */
  why: string;
}

/** The halting conditions one scenario runs under (generators/halting-scope.ts), for a reviewer to see. */
export interface ScenarioHalting {
  guards: ScenarioGuard[];
  /** Conditions left out, each with why. */
  exempt: string[];
}

/** One scenario. */
export interface Scenario {
  /** Claim-shaped name: `checkout_p99_under_payments_latency`. */
  id: string;
  title: string;
  claims: string[];
  hypotheses: string[];
  target: { edge: string; proxy: string };
  fault: ScenarioFault;
  workload: ScenarioWorkload;
  oracle: OracleCheck[];
  /**
   * Invariants of claims the scenario is not aimed at, checked too
   * (claims/forms `watched`): a failure is a FAIL of this scenario; a check
   * that cannot judge here (no ops of its entrypoint) is left out, never
   * making the scenario weaker. Absent in older plans.
   */
  watch?: OracleCheck[];
  /** For safety-type claims: the model the checker uses and the history fields it needs. */
  model?: string;
  historyFields?: string[];
  landing: LandingSignal;
  exitCriteria: string[];
  phases: { baselineMs: number; faultMs: number; recoveryMs: number };
  /** True when the fault uses a toxic only faultline's proxy has. */
  requiresFaultlineProxy: boolean;
  /** Which phases the oracle looks at (for adequacy reasoning). */
  observedPhases: Phase[];
  /** Which halting conditions apply to this scenario, and which are exempt (absent in older plans: derived at run time). */
  halting?: ScenarioHalting;
}

/** A row of the coverage matrix: claim × risk. */
export interface CoverageRow {
  claimId: string;
  scenarios: string[];
  risks: string[];
  covered: boolean;
  note?: string;
}

/** The plan document. */
export interface Plan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  id: string;
  createdAt: string;
  system: string;
  generator: {
    kind: 'rule' | 'llm';
    model?: string;
    promptTokens?: number;
    completionTokens?: number;
    latencyMs?: number;
    /** Set when the LLM failed and the rule-based plan was used instead. */
    fallbackReason?: string;
    /** Scenarios the LLM proposed that were dropped, with why. */
    dropped?: { scenario: string; reason: string }[];
    /** LLM proposals kept but cut down to the manifest's phases or the plan's fault budget, with what was cut. */
    clamped?: { scenario: string; reason: string }[];
  };
  architecture: { summary: string; mermaid: string; services: number; edges: number };
  claims: Claim[];
  missingClaims: MissingClaim[];
  hypotheses: Hypothesis[];
  scenarios: Scenario[];
  coverage: CoverageRow[];
  adequacy: { claimId: string; argument: string }[];
  residualUncertainty: string[];
  confidence: string;
  recovery: RecoverySettings;
  halting: HaltingCondition[];
  /** Entrypoints and proxies copied from the manifest so a plan runs on its own. */
  entrypoints: ManifestEntrypoint[];
  proxies: ManifestProxy[];
  probes: ManifestProbe[];
  /** Calls made before every scenario attempt (copied from the manifest's hooks). */
  hooks?: { beforeScenario: ManifestHook[] };
  /** Where the system's traces can be read during a run (per-phase spans for landing evidence and blast radius). */
  traces?: TraceSourceSpec;
  /** The manifest's Toxiproxy API, so `faultline run` and workers fault through it rather than a proxy of their own. */
  toxiproxy?: { url?: string };
  /** When the after-dump may be read (copied from the manifest; absent: the default, generators/manifest.ts). */
  quiescence?: ManifestQuiescence;
  /** Manifest entrypoints and proxies that match nothing traced, with why (absent when all match). */
  unmatched?: {
    entrypoints: { entrypoint: string; reason: string }[];
    proxies: { proxy: string; reason: string; candidates: string[] }[];
  };
}
