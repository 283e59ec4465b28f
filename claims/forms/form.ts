/**
 * What one claim form is made of. Every form (latency, at-most-once, …)
 * is one module exporting one ClaimForm; claims/forms/index.ts registers
 * them in a mapped type, so a form missing its schema, checker, reach rule
 * or rendering does not compile — it can no longer pass silently as
 * "insufficient" at run time.
 */
import type { ClaimCheck, ClaimType, Phase, RecoverySettings } from '../claim.js';
import type { History } from '../history.js';
import type { CheckResult } from '../check-result.js';
import type { FaultFamily } from '../fault-repertoire.js';

export type { ClaimType };

/** The check of one form. */
export type CheckOf<K extends ClaimType> = Extract<ClaimCheck, { type: K }>;

/**
 * Which edges carry a claim's effect (generators/claim-reach.ts applies it):
 * - `traffic`: every edge its entrypoints' traffic crosses (a `degraded`
 *   scope narrows it to edges into that dependency);
 * - `effect`: the edges that hand work to the probe's service — where an
 *   answer can be lost after the effect and retried, or a hand-off dropped —
 *   following an asynchronous hop to the broker edges of both its producer
 *   and its consumer, plus the consumer's own dependencies;
 * - `state`: every edge around the probe's service and the traffic reaching it
 *   (a half-applied write anywhere near the state can break an invariant).
 */
export type ReachRule = 'traffic' | 'effect' | 'state';

/** JSON-schema fragment of a check: its properties besides `type`, and which are required. */
export interface CheckSchema {
  properties: Record<string, unknown>;
  required: string[];
}

/** How a check reads in plan.md and scenario names. */
export interface CheckRendering<K extends ClaimType> {
  /** One line a person can read: `p99(checkout) < 800 ms in fault`. */
  text(check: CheckOf<K>): string;
  /**
   * The words of the claim-shaped front of a scenario id, unformatted
   * (`['checkout', 'p99']`; the generator snake-cases and joins them).
   */
  subject(check: CheckOf<K>): string[];
  /** Why the checker can tell a false claim from a true one under a fault (coverage adequacy). */
  oracle(check: CheckOf<K>): string;
}

/** One claim form, whole. */
export interface ClaimForm<K extends ClaimType> {
  type: K;
  /** The description line in the docs' claim-form table. */
  description: string;
  schema: CheckSchema;
  /** Manifest entrypoints the check drives or reads. */
  entrypoints(check: CheckOf<K>): string[];
  /** The probe the check reads, if any. */
  probe(check: CheckOf<K>): string | undefined;
  reach: ReachRule;
  /**
   * An invariant that holds whatever fails, read from probes and judged on
   * what one scenario did: every scenario watches it, not only those aimed
   * at it, because a bug may need a fault aimed elsewhere to show.
   */
  watched: boolean;
  /** Fault families that can falsify it, most likely first (derived from claims/fault-repertoire.ts). */
  families: readonly FaultFamily[];
  /** The checker's state model (safety forms) and the history fields it reads (claims/history.ts Op). */
  model(check: CheckOf<K>): { model?: string; historyFields: string[] };
  /** Phases the checker looks at. */
  observedPhases(check: CheckOf<K>): Phase[];
  /** A recovery phase at least this long, when the form needs one (absent: the manifest's). */
  minRecoveryMs?(check: CheckOf<K>, settings: RecoverySettings): number;
  /** The checker: pure, values in, a CheckResult out; never throws for a bad history. */
  check(claimId: string, check: CheckOf<K>, history: History, settings: RecoverySettings): CheckResult;
  render: CheckRendering<K>;
}
