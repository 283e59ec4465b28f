/**
 * How long and how hard a plan may fault, written once. The manifest schema
 * bounds the phases people write, the plan schema bounds every plan that is
 * loaded (a hand-edited plan.json, or one from another tool, goes through
 * the same bounds as a generated one), and the LLM generator keeps its
 * proposals inside the manifest's phases and the fault budget below. A
 * toxic's TTL is its fault phase plus a margin, so these bounds are also
 * what keeps a fault from outliving its run by days.
 */

/** Longest phase (baseline, fault or recovery) a manifest may ask for: an hour. */
export const MAX_PHASE_MS = 3_600_000;

/** Shortest phase a manifest may ask for: a second (a plan may be shorter, scaled down for a smoke run). */
export const MIN_PHASE_MS = 1000;

/**
 * Longest phases a plan may hold. Baseline and fault are the manifest's
 * bound; recovery may be twice that, because a recovery claim lengthens the
 * manifest's recovery phase by its own bound (itself at most an hour).
 */
export const PLAN_PHASE_MAX_MS = { baselineMs: MAX_PHASE_MS, faultMs: MAX_PHASE_MS, recoveryMs: 2 * MAX_PHASE_MS } as const;

/** Highest workload rate, requests per second, of a manifest or a plan. */
export const MAX_RATE_PER_SEC = 10_000;

/**
 * The fault budget of one LLM-generated plan: at most this many distinct
 * edges faulted, and at most this much fault time in total. The rule-based
 * generator needs no budget (it is deterministic and reviewed as code); the
 * LLM's answer is untrusted input that could otherwise ask for an outage on
 * every proxied edge.
 */
export interface FaultBudget {
  maxEdges: number;
  maxTotalFaultMs: number;
}

/** Distinct edges one LLM plan may fault. */
export const LLM_MAX_EDGES = 5;
/** One LLM plan's total fault time, in manifest fault phases. */
export const LLM_FAULT_PHASES = 10;

/** The LLM plan's budget for a manifest whose fault phase is `faultMs`: LLM_MAX_EDGES edges, LLM_FAULT_PHASES fault phases in total. */
export function llmFaultBudget(faultMs: number): FaultBudget {
  return { maxEdges: LLM_MAX_EDGES, maxTotalFaultMs: LLM_FAULT_PHASES * faultMs };
}
