/**
 * The size of each fault family (rows of claims/fault-repertoire.ts). Each
 * function is pure and explains every number it produces.
 */
import { FAULTS, type FaultType } from '../base/faults.js';
import {
  attemptsPerCall, BEYOND_TIMEOUT_FACTOR, BREAKER_TRIP_CALLS, callerTimeout, LONG_LIVED, MAX_LATENCY_MS, ms, perConnection, roundUp,
  SLOW_P99_FACTOR, THRESHOLD_OVERSHOOT, UNDER_TIMEOUT_FACTOR, type SizedFault, type SizingInput,
} from './fault-sizing.js';

/** Flap half-periods faultline accepts (base/faults.ts `flap`). */
const FLAP_BOUNDS = { min: FAULTS.flap.attributes.down_ms.min, max: FAULTS.flap.attributes.down_ms.max };
/** An outage never needs to outlast this (ten minutes: the longest wait base/faults.ts accepts). */
const MAX_OUTAGE_MS = 600_000;
/** The shortest delay of a spread over an unknown deadline, as a share of the guess. */
const UNKNOWN_DEADLINE_LOW = 0.2;

/**
 * Latency just past the caller's timeout: it gives up, and if it retries it
 * re-sends. Without timeout evidence the deadline is a guess, and one delay
 * either crosses the real one or does not; the delays then spread from a
 * fifth of the guess to half again past it, so calls past the real deadline
 * give up (retries, compensation) and calls under it succeed late (a lease,
 * hold or lock taken before them has expired by then).
 */
export function slowBeyondTimeout(input: SizingInput): SizedFault {
  const t = callerTimeout(input);
  const latency = Math.min(MAX_LATENCY_MS, roundUp(t.ms * BEYOND_TIMEOUT_FACTOR));
  if (!t.observed) {
    const lo = roundUp(t.ms * UNKNOWN_DEADLINE_LOW);
    const mid = Math.min(MAX_LATENCY_MS, roundUp((lo + latency) / 2));
    const jitter = Math.max(0, mid - lo);
    return {
      toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: mid, jitter },
      sizing: `delays spread over ${lo}–${mid + jitter} ms (${UNKNOWN_DEADLINE_LOW} to ${BEYOND_TIMEOUT_FACTOR} × ${t.source}; latency ${mid} ± ${jitter} ms): with the deadline unknown, calls past it give up and calls under it succeed late; toxicity 1 because every call must be slowed`,
    };
  }
  return {
    toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency, jitter: 0 },
    sizing: `latency = ${t.source} × ${BEYOND_TIMEOUT_FACTOR} = ${latency} ms${latency === MAX_LATENCY_MS ? ` (capped at ${MAX_LATENCY_MS} ms)` : ''}, no jitter, so every call outlasts the deadline; toxicity 1 because the give-up must happen on every connection`,
  };
}

/**
 * Latency between the edge's own p99 and the caller's timeout. For a latency
 * claim it is sized from the claim: threshold × 1.2 − entrypoint p50 is what
 * pushes the entrypoint's percentile over the threshold even if the warm-up
 * traces were noisy.
 */
export function slowUnderTimeout(input: SizingInput): SizedFault {
  const { edge, check } = input;
  const t = callerTimeout(input);
  const cap = t.observed || check.type !== 'latency'
    ? { ms: Math.min(MAX_LATENCY_MS, t.ms * UNDER_TIMEOUT_FACTOR), why: `${UNDER_TIMEOUT_FACTOR} × ${t.source}` }
    : input.entrypointTimeoutMs !== undefined
      ? { ms: Math.min(MAX_LATENCY_MS, input.entrypointTimeoutMs * UNDER_TIMEOUT_FACTOR), why: `${UNDER_TIMEOUT_FACTOR} × the entrypoint's client timeoutMs ${input.entrypointTimeoutMs} ms` }
      : { ms: MAX_LATENCY_MS, why: `the ${MAX_LATENCY_MS} ms latency bound` };
  let want: number;
  let why: string;
  if (check.type === 'latency') {
    const p50 = input.entrypoint?.p50 ?? 0;
    want = check.thresholdMs * THRESHOLD_OVERSHOOT - p50;
    why = `claim threshold ${check.thresholdMs} ms × ${THRESHOLD_OVERSHOOT} − ${input.entrypoint ? `entrypoint p50 ${ms(p50)} ms` : 'entrypoint p50 0 ms (not traced)'} = ${ms(want)} ms`;
  } else {
    want = edge.latency.p99 * SLOW_P99_FACTOR;
    why = `edge p99 ${edge.latency.p99} ms × ${SLOW_P99_FACTOR} = ${ms(want)} ms`;
  }
  const floor = Math.max(edge.latency.p99, 50);
  const latency = Math.min(MAX_LATENCY_MS, roundUp(Math.max(Math.min(want, cap.ms), floor)));
  const capped = want > cap.ms ? `, capped below the timeout at ${cap.why} = ${ms(cap.ms)} ms (beyond it the slow-beyond-timeout family applies)` : '';
  const jitter = check.type === 'queue-order' ? latency : Math.min(MAX_LATENCY_MS, roundUp(latency / 10));
  const jitterWhy = check.type === 'queue-order' ? `jitter ${jitter} ms (= latency) so hand-offs overtake each other` : `jitter ${jitter} ms (10%)`;
  return {
    toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency, jitter },
    sizing: `latency = ${why}${capped}, at least the edge's own p99 ${edge.latency.p99} ms (50 ms floor) → ${latency} ms, ${jitterWhy}; toxicity 1 so the delay reaches the percentile`,
  };
}

/** The request is delivered, the answer is cut after its first byte: the effect happened, the caller sees an error. */
export function responseLost(input: SizingInput): SizedFault {
  const share = perConnection(input.traits);
  return {
    toxic: 'limit_data', stream: 'downstream', toxicity: share.toxicity, attributes: { bytes: 1 },
    sizing: `answers from ${input.edge.target} cut after 1 byte (limit_data closes the connection); ${share.why}; observed retry amplification ${input.edge.retries.amplification.toFixed(2)}`,
  };
}

/** A TCP reset mid-request: both directions die, writes may be half-applied. */
export function connectionReset(input: SizingInput): SizedFault {
  const share = perConnection(input.traits);
  const { edge } = input;
  const longLived = LONG_LIVED.includes(input.traits.callee);
  // One HTTP request per pooled connection at a time: a reset after the p50
  // lands while that request is in flight. A database, cache or broker
  // connection carries a stream of commands for minutes, and its client
  // dials it again at once: reset within the p50 and every new connection
  // dies during its handshake, which is an outage, not a partial failure.
  // Left to carry several commands first, it dies mid-stream, so some steps
  // of a sequence commit and the next one fails.
  const after = longLived
    ? ms(Math.min(RESET_LONG_LIVED_MAX_MS, Math.max(RESET_LONG_LIVED_MIN_MS, edge.latency.p99 * 10)))
    : ms(Math.max(0, edge.latency.p50));
  const p99 = edge.latency.count > 0 ? `the observed p99 ${edge.latency.p99} ms` : 'the p99 (no sample: every traced call was a blocking read)';
  const why = longLived
    ? `10 × ${p99}, within ${RESET_LONG_LIVED_MIN_MS}–${RESET_LONG_LIVED_MAX_MS} ms: each ${input.traits.callee} connection carries several commands, then dies mid-stream, so a multi-step write half-applies instead of never starting`
    : `observed p50 ${edge.latency.p50} ms, so the request is in flight`;
  return {
    toxic: 'reset_peer', stream: 'upstream', toxicity: share.toxicity, attributes: { timeout: after },
    sizing: `connections on ${edge.id} reset ${after} ms after data first flows (${why}; a reset kills both directions); ${share.why}`,
  };
}

/** Bounds of a long-lived connection's life under connection-reset. */
const RESET_LONG_LIVED_MIN_MS = 100;
const RESET_LONG_LIVED_MAX_MS = 1000;

/** Data stops and the connection stays open: only a caller's own deadline ends the wait. */
export function blackHole(input: SizingInput): SizedFault {
  const t = input.edge.timeout;
  const deadline = t.evidence === 'observed' ? `the caller's observed timeout ${t.cutoffMs} ms ends each wait` : 'no timeout evidence: callers without a deadline hang until the fault ends';
  return {
    toxic: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 },
    sizing: `requests on ${input.edge.id} vanish and connections stay open (timeout 0) for the whole fault phase; ${deadline}; toxicity 1 because the hang must land`,
  };
}

/** Worst time of one failing logical call: attempts × (timeout or p99). */
function failingCall(input: SizingInput): { ms: number; why: string; attempts: number } {
  const e = input.edge;
  const attempts = attemptsPerCall(e);
  const unit = e.timeout.evidence === 'observed' && e.timeout.cutoffMs !== undefined
    ? { ms: e.timeout.cutoffMs, why: `observed timeout ${e.timeout.cutoffMs} ms` }
    : { ms: e.latency.p99, why: `edge p99 ${e.latency.p99} ms` };
  return { ms: attempts * unit.ms, attempts, why: `${attempts} attempt(s) per call (${e.retries.extraAttempts} extra over ${e.retries.retriedParents} retried parents) × ${unit.why}` };
}

/** The proxy disabled for longer than any breaker window or retry budget the traces suggest. */
export function outage(input: SizingInput): SizedFault {
  const call = failingCall(input);
  const trip = BREAKER_TRIP_CALLS * call.ms;
  const need = Math.min(MAX_OUTAGE_MS, roundUp(Math.max(input.phases.faultMs, trip), 100));
  return {
    toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {},
    minFaultMs: need,
    sizing: `proxy down for ${need} ms = max(the manifest's fault phase ${input.phases.faultMs} ms, ${BREAKER_TRIP_CALLS} failed calls to open a breaker × ${call.why} = ${ms(trip)} ms): longer than the retry budget, so retries run out and breakers open`,
  };
}

/** Down long enough to trip a breaker, up long enough for a half-open probe, at least twice. */
export function flapping(input: SizingInput): SizedFault {
  const call = failingCall(input);
  const clamp = (n: number) => Math.min(FLAP_BOUNDS.max, Math.max(1000, roundUp(n, 100)));
  const down = clamp(BREAKER_TRIP_CALLS * call.ms);
  const up = clamp(10 * input.edge.latency.p99);
  const cycles = 2 * (down + up);
  const type: FaultType = 'flap';
  return {
    toxic: type, stream: 'downstream', toxicity: 1, attributes: { down_ms: down, up_ms: up },
    minFaultMs: Math.max(input.phases.faultMs, cycles),
    sizing: `down ${down} ms (${BREAKER_TRIP_CALLS} failed calls × ${call.why}, at least 1 s) so a breaker opens, up ${up} ms (10 × edge p99 ${input.edge.latency.p99} ms, at least 1 s) so a half-open probe can succeed; fault phase ≥ ${Math.max(input.phases.faultMs, cycles)} ms for two cycles`,
  };
}
