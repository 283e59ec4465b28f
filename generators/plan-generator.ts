/**
 * The PlanGenerator seam: claims + ranked graph → Plan. Two implementations,
 * rule-based (generators/rule-generator.ts, the default, deterministic) and
 * LLM-backed (generators/llm-generator.ts, which falls back to the rules).
 */
import type { GraphSnapshot, RiskRanking } from '../graph/model.js';
import type { Claim, MissingClaim } from '../claims/claim.js';
import type { Manifest } from './manifest.js';
import type { Plan } from './plan.js';

/** Earlier sweep outcomes a generator may weigh (scenarios that failed or were inconclusive come first). */
export interface PlanHistory {
  previous: { scenarioId: string; verdict: string }[];
}

/** Everything a generator reads. Plain values: the same input gives the same rule-based plan. */
export interface PlanInput {
  manifest: Manifest;
  snapshot: GraphSnapshot;
  ranking: RiskRanking;
  /** User claims followed by inferred ones. */
  claims: Claim[];
  missing: MissingClaim[];
  /** The plan's creation time (an input, so plans are reproducible). */
  now: Date;
  history?: PlanHistory;
  /** A Mermaid diagram of the ranked graph; graph/mermaid.ts draws one when absent. */
  mermaid?: string;
}

/** Turns a PlanInput into a Plan. */
export interface PlanGenerator {
  /** `rule` or `llm`. */
  readonly kind: 'rule' | 'llm';
  generate(input: PlanInput): Promise<Plan>;
}
