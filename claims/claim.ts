/**
 * Claims: what the product promises, as a sentence for people plus a form a
 * checker can evaluate over a run's history and state probes.
 */

/** Claim categories (docs/architecture.md, "Claims"). */
export type ClaimCategory =
  | 'safety'
  | 'liveness'
  | 'durability'
  | 'performance-slo'
  | 'availability'
  | 'idempotency'
  | 'ordering'
  | 'isolation'
  | 'recovery';

/** Which run phase a per-phase check looks at. */
export type Phase = 'baseline' | 'fault' | 'recovery';

/**
 * A JSON selector into a probe dump: a small JSONPath subset
 * (`$.orders[*].requestKey`, `$.stock[*].qty`, `$.count`).
 */
export type Selector = string;

/**
 * The machine-checkable form of a claim. `degraded` scopes a latency,
 * availability or recovery claim to faults on one dependency ("while the
 * cache is degraded"): a node id of the graph (`redis`, `payments`) or a node
 * type (`cache`, `database`, `queue`, `external`, `service`).
 */
export type ClaimCheck =
  /** pNN latency of an entrypoint stays under a threshold during a phase. */
  | { type: 'latency'; entrypoint: string; percentile: 50 | 90 | 95 | 99; thresholdMs: number; phase: Phase; degraded?: string }
  /** Error rate of an entrypoint stays under a bound during a phase. */
  | { type: 'availability'; entrypoint: string; maxErrorRate: number; phase: Phase; degraded?: string }
  /** After the fault ends the entrypoint is back inside its baseline band within a bound. */
  | { type: 'recovery'; entrypoint: string; withinMs: number; degraded?: string }
  /** No two records in the probe share a workload-generated key. */
  | { type: 'at-most-once'; probe: string; selector: Selector; entrypoint?: string }
  /** Every acknowledged operation has exactly one matching record in the probe. */
  | { type: 'exactly-once'; probe: string; selector: Selector; entrypoint?: string }
  /** Every acknowledged operation has at least one matching record in the probe. */
  | { type: 'no-lost-ack'; probe: string; selector: Selector; entrypoint?: string }
  /** A sum (or count) over a probe equals its value before the run once nothing is in flight. */
  | { type: 'conservation'; probe: string; selector: Selector; aggregate?: 'sum' | 'count' }
  /** Items in a probe appear in the order the workload acknowledged them (prefix order). */
  | { type: 'queue-order'; probe: string; selector: Selector; entrypoint?: string }
  /** Operations on the entrypoints form a linearizable register or per-key map history. */
  | { type: 'linearizable'; model: 'register' | 'kv'; readEntrypoint: string; writeEntrypoint: string; valueSelector?: Selector };

/** The name of a claim form (`latency`, `at-most-once`, …); each has a module in claims/forms/. */
export type ClaimType = ClaimCheck['type'];

/** A claim, from the user or inferred from traces. */
export interface Claim {
  /** Stable id, snake_case: `checkout_p99_under_800ms`. */
  id: string;
  text: string;
  category: ClaimCategory;
  check: ClaimCheck;
  /** `user` when written by a person, `inferred` when derived from traces. */
  source: 'user' | 'inferred';
  /** For inferred claims: the evidence, e.g. `observed p99 412 ms over 1,204 calls`. */
  evidence?: string;
}

/** Behaviour the traces show that no claim covers. */
export interface MissingClaim {
  /** What was observed. */
  observation: string;
  /** Edge or entrypoint concerned. */
  subject: string;
  /** The claim category a user should consider writing. */
  suggestedCategory: ClaimCategory;
  /** A suggested claim the user could adopt (also emitted as an inferred claim when checkable). */
  suggestion: string;
}

/** One checker of an oracle, bound to the claim it evaluates. */
export interface OracleCheck {
  claimId: string;
  check: ClaimCheck;
}

/** Recovery measurement settings (plan-level defaults, overridable per scenario). */
export interface RecoverySettings {
  /** Sliding window length. */
  windowMs: number;
  /** Band = baseline p99 × bandFactor (latency) and baseline error rate + errorSlack. */
  bandFactor: number;
  errorSlack: number;
  /** How long the window must stay inside the band to count as recovered. */
  holdMs: number;
}
