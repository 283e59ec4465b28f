/**
 * How each fault family of claims/fault-repertoire.ts is sized: pure
 * functions from what the traces and the manifest say (edge percentiles,
 * timeout evidence, retries, the claim's threshold, the entrypoint's client
 * timeout, the phases) to Toxiproxy values. Every result carries a `sizing`
 * sentence naming the source of each number, so a reviewer can check it.
 */
import { FAULTS, type FaultType } from '../base/faults.js';
import type { GraphEdge } from '../graph/model.js';
import type { ClaimCheck } from './claim.js';

/** Toxiproxy latency above a minute is a hang, not a delay (base/faults.ts bounds it the same way). */
export const MAX_LATENCY_MS = FAULTS.latency.attributes.latency.max;
/** Past the caller's timeout by half again: every call crosses it, even with the callee's own jitter. */
export const BEYOND_TIMEOUT_FACTOR = 1.5;
/** Below a known timeout by a fifth: the caller waits instead of giving up. */
export const UNDER_TIMEOUT_FACTOR = 0.8;
/** A latency claim's threshold is overshot by a fifth, so the p99 crosses it despite noise. */
export const THRESHOLD_OVERSHOOT = 1.2;
/** A slow callee for claims without a threshold: three times its own p99. */
export const SLOW_P99_FACTOR = 3;
/** Failed calls a common circuit breaker needs to open (failure thresholds are usually 3–5). */
export const BREAKER_TRIP_CALLS = 5;
/** Client timeout of a manifest entrypoint without `timeoutMs` (generators/manifest.ts). */
export const DEFAULT_CLIENT_TIMEOUT_MS = 5000;

/** The kind of callee, as far as faults care: pooled request/response, or long-lived connections. */
export type CalleeKind = 'http' | 'rpc' | 'db' | 'cache' | 'queue' | 'other';

/** Callees whose clients hold few long-lived connections (a pool of sessions, one multiplexed socket). */
export const LONG_LIVED: readonly CalleeKind[] = ['db', 'cache', 'queue'];

/** What the table's trait rules look at. */
export interface EdgeTraits {
  mode: 'sync' | 'async';
  callee: CalleeKind;
  /** Client durations pile up at a constant cut-off (graph/timeout.ts). */
  timeoutEvidence: boolean;
  /** The traces show re-sends on this edge. */
  retries: boolean;
  /**
   * The claim's own entrypoint traffic never crosses this edge (a claim
   * scoped `degraded:` to a dependency it does not call): the fault reaches
   * it only through what it shares with the caller. Absent: unknown or crossed.
   */
  offPath?: boolean;
}

/** Everything a family's size may depend on. */
export interface SizingInput {
  edge: GraphEdge;
  traits: EdgeTraits;
  check: ClaimCheck;
  /** Observed latency of the claim's traced entrypoint(s), when traced. */
  entrypoint?: { p50: number; p99: number };
  /** Client timeout of the claim's entrypoint(s) from the manifest (`timeoutMs`). */
  entrypointTimeoutMs?: number;
  phases: { baselineMs: number; faultMs: number; recoveryMs: number };
}

/** A sized fault, in Toxiproxy's terms. */
export interface SizedFault {
  toxic: FaultType;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
  sizing: string;
  /** The fault phase must last at least this long for the fault to do its work (absent: any length). */
  minFaultMs?: number;
}

/**
 * Toxiproxy rolls toxicity once per connection. HTTP and RPC clients spread
 * calls over pools that re-dial, so a fraction touches about that share of
 * calls; a database, cache or broker client holds one or a few long-lived
 * connections, where a fraction only decides whether the fault lands at all.
 */
export function perConnection(traits: EdgeTraits): { toxicity: number; why: string } {
  // Toxiproxy rolls toxicity once per connection, when the toxic meets it. A
  // keep-alive pool dialled before the fault (HTTP clients, database and
  // broker clients alike) may never re-dial an unaffected connection, so a
  // fraction can touch none of them and the scenario ends "not proven".
  return traits.callee === 'http' || traits.callee === 'rpc'
    ? { toxicity: 1, why: `toxicity 1: ${traits.callee} clients keep pooled keep-alive connections, which a per-connection fraction may never reach` }
    : { toxicity: 1, why: `toxicity 1: a ${traits.callee} client holds few long-lived connections, where a fraction could touch none` };
}

/** The caller's timeout and where the number comes from, best evidence first. */
export function callerTimeout(input: SizingInput): { ms: number; source: string; observed: boolean } {
  const t = input.edge.timeout;
  if (t.evidence === 'observed' && t.cutoffMs !== undefined) {
    return { ms: t.cutoffMs, source: `the caller's observed timeout ${t.cutoffMs} ms (${t.hits ?? 0} calls on ${input.edge.id} cut off there)`, observed: true };
  }
  // Off the claim's path the claim's threshold says nothing of this caller's deadline.
  if (input.check.type === 'latency' && !input.traits.offPath) return { ms: input.check.thresholdMs, source: `no timeout evidence on ${input.edge.id}: the claim's threshold ${input.check.thresholdMs} ms`, observed: false };
  if (input.entrypointTimeoutMs !== undefined) return { ms: input.entrypointTimeoutMs, source: `no timeout evidence on ${input.edge.id}: the entrypoint's client timeoutMs ${input.entrypointTimeoutMs} ms`, observed: false };
  return { ms: DEFAULT_CLIENT_TIMEOUT_MS, source: `no timeout evidence on ${input.edge.id} and no entrypoint: the default client timeout ${DEFAULT_CLIENT_TIMEOUT_MS} ms`, observed: false };
}

/** Attempts per logical call the traces show: 1 + extra attempts per retried parent, rounded up. */
export function attemptsPerCall(edge: GraphEdge): number {
  const r = edge.retries;
  return r.retriedParents > 0 ? 1 + Math.ceil(r.extraAttempts / r.retriedParents) : 1;
}

/** Round up to a multiple of `step` (Toxiproxy values a person would write). */
export function roundUp(n: number, step = 10): number {
  return Math.ceil(n / step) * step;
}

/** Round to a whole ms. */
export function ms(n: number): number {
  return Math.round(n);
}
