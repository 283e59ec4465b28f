/**
 * Landing evidence: did the fault touch real traffic? Judged from data that
 * moves when the fault acts, in order of strength — never from "the API
 * said OK":
 * 1. faultline-proxy counters. A toxic: it touched > 0 connections/requests
 *    during the fault window (a toxic present with 0 touches is proof it did
 *    not land, and ends the search). `down`/`flap` have no toxic to count:
 *    the proxy's connection counter stops growing (down) or slows (flap)
 *    during the fault while it grew in the baseline;
 * 2. traces (the spans of the workload's own ops): the target edge's
 *    latency, errors or retries moved, or its calls vanished;
 * 3. client-side timing of the entrypoints whose op traces cross the edge
 *    (an optional dependency hides in the mix of all entrypoints), then of
 *    the whole workload.
 */
import type { LandingSignal } from '../../generators/plan.js';
import { compareBoundary } from '../record/boundary-moves.js';
import type { ProxyCounters } from '../faults/fault-injector.js';
import type { BoundaryMetrics, LandingEvidence } from '../record/result.js';
import type { PhaseMetrics } from '../../claims/check-result.js';

/** What judgeLanding reads. */
export interface LandingInput {
  signal: LandingSignal;
  toxicName: string;
  /** The fault's type (`down`, `flap`, a toxic): faults without a toxic are counted by connections. */
  fault?: string;
  /** Counters when the baseline started; with the phase lengths they give the baseline connection rate. */
  countersBaseline?: ProxyCounters;
  countersBefore?: ProxyCounters;
  countersAfter?: ProxyCounters;
  /** Measured phase lengths in ms. */
  baselineMs?: number;
  faultMs?: number;
  boundaries: BoundaryMetrics[];
  targetEdge: string;
  metrics: PhaseMetrics[];
  /** Client metrics of only the entrypoints whose op traces cross the target edge. */
  crossing?: { entrypoints: string[]; metrics: PhaseMetrics[] };
}

/** A connection rate at most this share of the baseline's shows the proxy stopped (down) or choked (flap). */
const DOWN_RATE_SHARE = 0.1;
const FLAP_RATE_SHARE = 0.75;

function fromToxicCounters(input: LandingInput): LandingEvidence | undefined {
  const after = input.countersAfter?.toxics[input.toxicName];
  if (!after) return undefined;
  const before = input.countersBefore?.toxics[input.toxicName];
  const touched = after.touched - (before?.touched ?? 0);
  const requests = (after.requests ?? 0) - (before?.requests ?? 0);
  const resets = after.resets - (before?.resets ?? 0);
  const lines = [`toxic ${input.toxicName} touched ${touched} connections`];
  if (requests > 0) lines.push(`toxic ${input.toxicName} affected ${requests} HTTP requests`);
  if (resets > 0) lines.push(`toxic ${input.toxicName} sent ${resets} resets`);
  return { proven: touched > 0 || requests > 0, source: 'proxy-counters', evidence: lines };
}

/** For down/flap: the connection counter's rate in the fault against the baseline's; undefined when it cannot say. */
function fromConnections(input: LandingInput): { proven: boolean; line: string } | undefined {
  const { countersBaseline: b, countersBefore: f0, countersAfter: f1, baselineMs, faultMs } = input;
  if (!b || !f0 || !f1 || !baselineMs || !faultMs) return undefined;
  const base = f0.connections - b.connections;
  const fault = f1.connections - f0.connections;
  if (base <= 0) return undefined; // no new connection in the baseline: a pool, or no traffic; the counter cannot tell
  const share = input.fault === 'flap' ? FLAP_RATE_SHARE : DOWN_RATE_SHARE;
  const baseRate = base / baselineMs;
  const faultRate = fault / faultMs;
  const perSec = (r: number) => Math.round(r * 10_000) / 10;
  const line = `proxy ${f1.proxy} accepted ${fault} connections in the fault (${perSec(faultRate)}/s) against ${base} in the baseline (${perSec(baseRate)}/s)`;
  return { proven: faultRate <= baseRate * share, line };
}

function clientMoves(base: PhaseMetrics, fault: PhaseMetrics, who: string): string[] {
  const out: string[] = [];
  if (fault.p99Ms >= base.p99Ms * 1.5 && fault.p99Ms - base.p99Ms >= 20) out.push(`${who} p99 ${Math.round(base.p99Ms)}→${Math.round(fault.p99Ms)} ms`);
  if (fault.errorRate - base.errorRate >= 0.05) out.push(`${who} error rate ${Math.round(base.errorRate * 1000) / 10}%→${Math.round(fault.errorRate * 1000) / 10}%`);
  if (fault.timeouts > base.timeouts) out.push(`${who} timeouts ${base.timeouts}→${fault.timeouts}`);
  return out;
}

function movesOf(metrics: PhaseMetrics[], who: string): string[] {
  const base = metrics.find((m) => m.phase === 'baseline');
  const fault = metrics.find((m) => m.phase === 'fault');
  return base && fault && base.ops > 0 && fault.ops > 0 ? clientMoves(base, fault, who) : [];
}

/** Decide whether the fault landed, and on what evidence. */
export function judgeLanding(input: LandingInput): LandingEvidence {
  const counted = fromToxicCounters(input);
  if (counted) return counted;
  const looked: string[] = [];
  if (input.fault === 'down' || input.fault === 'flap') {
    const conn = fromConnections(input);
    if (conn?.proven) return { proven: true, source: 'proxy-counters', evidence: [conn.line] };
    looked.push(conn ? `${conn.line}: not fewer` : 'proxy connection counter cannot tell (no counters, or no new connection in the baseline)');
  } else {
    looked.push(input.countersAfter ? `proxy counters have no toxic ${input.toxicName}` : 'no proxy counters (not faultline\'s proxy)');
  }
  const at = (phase: string) => input.boundaries.find((b) => b.edge === input.targetEdge && b.phase === phase);
  const edgeBase = at('baseline');
  const edgeFault = at('fault');
  const edgeMoves = edgeBase ? compareBoundary(edgeBase, edgeFault) : [];
  if (edgeMoves.length) return { proven: true, source: 'traces', evidence: edgeMoves.map((m) => `edge ${input.targetEdge} ${m}`) };
  looked.push(edgeBase || edgeFault ? `edge ${input.targetEdge} did not move` : `no spans on edge ${input.targetEdge}`);
  if (input.crossing && input.crossing.entrypoints.length > 0) {
    const moved = movesOf(input.crossing.metrics, `client (${input.crossing.entrypoints.join(', ')}, whose traces cross ${input.targetEdge})`);
    if (moved.length) return { proven: true, source: 'client-timing', evidence: moved };
  }
  const client = movesOf(input.metrics, 'client');
  if (client.length) return { proven: true, source: 'client-timing', evidence: client };
  looked.push('client timing did not move');
  return { proven: false, source: 'none', evidence: [`expected: ${input.signal.expectation}`, ...looked] };
}
