/**
 * Running statistics of one caller→callee edge, kept as graphology edge
 * attributes. Everything here is O(1) in the number of calls: counters,
 * two quantile sketches and capped sets.
 */
import type { GraphEdge, LatencySummary } from './model.js';
import { QuantileSketch } from './sketch.js';
import type { CallFact } from './trace-analysis.js';
import { amplification } from './retry.js';
import { detectTimeout } from './timeout.js';

/** Distinct operations / addresses remembered per edge. */
export const MAX_OPERATIONS = 50;
export const MAX_ADDRESSES = 20;

/**
 * Redis commands that wait for data by design (BLPOP, XREADGROUP … BLOCK):
 * their duration is the idle wait of a consumer, not the callee's speed, so
 * it would make a quiet work list look like the slowest dependency.
 */
const BLOCKING_READS = new Set(['BLPOP', 'BRPOP', 'BRPOPLPUSH', 'BLMOVE', 'BLMPOP', 'BZPOPMIN', 'BZPOPMAX', 'BZMPOP', 'XREAD', 'XREADGROUP']);

/** True for a call whose duration is a designed wait (a blocking read), not latency. */
export function isBlockingRead(operation: string): boolean {
  // Called for every call on the ingest path: rule out by the first letter
  // (every such command starts with B or X) before cutting out the verb.
  const first = operation.charCodeAt(0) | 0x20;
  if (first !== 0x62 && first !== 0x78) return false;
  const space = operation.indexOf(' ');
  return BLOCKING_READS.has((space < 0 ? operation : operation.slice(0, space)).toUpperCase());
}

/** Latency percentiles of a sketch. */
export function summarise(s: QuantileSketch): LatencySummary {
  return { count: s.count, p50: round(s.quantile(0.5)), p95: round(s.quantile(0.95)), p99: round(s.quantile(0.99)), max: round(s.max) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Accumulator for one edge. */
export class EdgeStats {
  mode: 'sync' | 'async';
  protocol: GraphEdge['protocol'];
  calls = 0;
  errors = 0;
  readonly latency = new QuantileSketch();
  /** Latencies of failed calls only: the timeout detector looks for a pile-up here. */
  readonly errorLatency = new QuantileSketch();
  readonly operations = new Set<string>();
  operationsTruncated = false;
  readonly addresses = new Set<string>();
  /** `peer.service` names callers gave the callee (capped like addresses). */
  readonly peerServices = new Set<string>();
  retriedParents = 0;
  extraAttempts = 0;

  /** `${source}->${target}` */
  readonly id: string;

  constructor(readonly source: string, readonly target: string, first: CallFact) {
    this.id = `${source}->${target}`;
    this.mode = first.mode;
    this.protocol = first.protocol;
  }

  /** Fold in one call. */
  add(c: CallFact): void {
    this.calls += 1;
    // A blocking read still counts as a call (and an error when it fails),
    // but its wait is left out of the edge's latency and timeout evidence.
    const waited = isBlockingRead(c.operation);
    if (!waited) this.latency.add(c.durationMs);
    if (c.error) {
      this.errors += 1;
      if (!waited) this.errorLatency.add(c.durationMs);
    }
    // A pair seen both ways is reported as sync: the blocking call is the riskier one.
    if (c.mode === 'sync') this.mode = 'sync';
    if (this.protocol === 'other') this.protocol = c.protocol;
    if (!this.operations.has(c.operation)) {
      if (this.operations.size < MAX_OPERATIONS) this.operations.add(c.operation);
      else this.operationsTruncated = true;
    }
    if (c.serverAddress && this.addresses.size < MAX_ADDRESSES) this.addresses.add(c.serverAddress);
    if (c.peerService !== undefined && this.peerServices.size < MAX_ADDRESSES) this.peerServices.add(c.peerService);
  }

  /** The edge as plain data. */
  toEdge(): GraphEdge {
    const edge: GraphEdge = {
      id: this.id,
      source: this.source,
      target: this.target,
      mode: this.mode,
      protocol: this.protocol,
      calls: this.calls,
      errors: this.errors,
      errorRate: this.calls === 0 ? 0 : this.errors / this.calls,
      latency: summarise(this.latency),
      operations: [...this.operations].sort(),
      serverAddresses: [...this.addresses].sort(),
      retries: {
        retriedParents: this.retriedParents,
        extraAttempts: this.extraAttempts,
        amplification: amplification(this.calls, this.extraAttempts),
      },
      timeout: detectTimeout(this.latency, this.errorLatency),
    };
    if (this.operationsTruncated) edge.operationsTruncated = true;
    return edge;
  }
}
