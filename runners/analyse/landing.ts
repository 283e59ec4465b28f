/**
 * Landing evidence: did the fault touch real traffic? Judged from data, in
 * order of strength — never from "the API said OK":
 * 1. faultline-proxy counters: the toxic touched > 0 connections/requests
 *    during the fault window (a toxic present with 0 touches is proof it
 *    did not land, and ends the search);
 * 2. traces: the target edge's latency, errors or retries moved between
 *    the baseline and fault windows;
 * 3. client-side timing: the workload's own latency, errors or timeouts
 *    moved between baseline and fault.
 */
import type { LandingSignal } from '../../generators/plan.js';
import { compareBoundary } from './boundaries.js';
import type { ProxyCounters } from '../faults/fault-injector.js';
import type { BoundaryMetrics, LandingEvidence } from '../record/result.js';
import type { PhaseMetrics } from '../../claims/check-result.js';

/** What judgeLanding reads. */
export interface LandingInput {
  signal: LandingSignal;
  toxicName: string;
  countersBefore?: ProxyCounters;
  countersAfter?: ProxyCounters;
  boundaries: BoundaryMetrics[];
  targetEdge: string;
  metrics: PhaseMetrics[];
}

function fromCounters(input: LandingInput): LandingEvidence | undefined {
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

function clientMoves(base: PhaseMetrics, fault: PhaseMetrics): string[] {
  const out: string[] = [];
  if (fault.p99Ms >= base.p99Ms * 1.5 && fault.p99Ms - base.p99Ms >= 20) out.push(`client p99 ${Math.round(base.p99Ms)}→${Math.round(fault.p99Ms)} ms`);
  if (fault.errorRate - base.errorRate >= 0.05) out.push(`client error rate ${Math.round(base.errorRate * 1000) / 10}%→${Math.round(fault.errorRate * 1000) / 10}%`);
  if (fault.timeouts > base.timeouts) out.push(`client timeouts ${base.timeouts}→${fault.timeouts}`);
  return out;
}

/** Decide whether the fault landed, and on what evidence. */
export function judgeLanding(input: LandingInput): LandingEvidence {
  const counted = fromCounters(input);
  if (counted) return counted;
  const at = (phase: string) => input.boundaries.find((b) => b.edge === input.targetEdge && b.phase === phase);
  const edgeBase = at('baseline');
  const edgeFault = at('fault');
  const edgeMoves = edgeBase && edgeFault ? compareBoundary(edgeBase, edgeFault) : edgeBase && !edgeFault ? compareBoundary(edgeBase, undefined) : [];
  if (edgeMoves.length) return { proven: true, source: 'traces', evidence: edgeMoves.map((m) => `edge ${input.targetEdge} ${m}`) };
  const base = input.metrics.find((m) => m.phase === 'baseline');
  const fault = input.metrics.find((m) => m.phase === 'fault');
  const client = base && fault && base.ops > 0 && fault.ops > 0 ? clientMoves(base, fault) : [];
  if (client.length) return { proven: true, source: 'client-timing', evidence: client };
  const looked = [
    input.countersAfter ? `proxy counters have no toxic ${input.toxicName}` : 'no proxy counters (not faultline\'s proxy)',
    edgeBase || edgeFault ? `edge ${input.targetEdge} did not move` : `no spans on edge ${input.targetEdge}`,
    'client timing did not move',
  ];
  return { proven: false, source: 'none', evidence: [`expected: ${input.signal.expectation}`, ...looked] };
}
