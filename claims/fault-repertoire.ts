/**
 * The fault repertoire: for every claim form, the fault families that can
 * falsify it, ranked by how likely each is to falsify it on an edge with
 * given traits, and how each is sized. Data, documented row by row; the
 * rule generator schedules from it (generators/fault-choice.ts) and the LLM
 * prompt includes it (renderRepertoire).
 *
 * Weights are 1 (can falsify it), 2 (often does), 3 (the usual way it
 * breaks in the field). Trait factors multiply a row's weight on one edge.
 * Rows name a failure mode: a second family scheduled for a claim must be
 * a different mode, or it would repeat the first experiment.
 */
import { fail } from '../base/errors.js';
import type { GraphEdge, NodeType } from '../graph/model.js';
import type { ClaimCheck, ClaimType } from './claim.js';
import { LONG_LIVED, type CalleeKind, type EdgeTraits, type SizedFault, type SizingInput } from './fault-sizing.js';
import { blackHole, connectionReset, flapping, outage, responseLost, slowBeyondTimeout, slowUnderTimeout } from './fault-sizes.js';

export type { CalleeKind, EdgeTraits, SizedFault, SizingInput } from './fault-sizing.js';

/** The fault families. */
export type FaultFamily = 'slow-beyond-timeout' | 'slow-under-timeout' | 'response-lost' | 'connection-reset' | 'black-hole' | 'outage' | 'flapping';

/**
 * What the caller experiences: `deadline` its own timeout fires (or would),
 * `slow` it gets a late answer, `lost-response` the work was done but the
 * answer never came, `broken-connection` the connection died mid-request,
 * `unavailable` the dependency refuses connections.
 */
export type FailureMode = 'deadline' | 'slow' | 'lost-response' | 'broken-connection' | 'unavailable';

/** A trait that raises (factor > 1) or lowers (< 1) a row on one edge for one claim. */
export interface TraitRule {
  /** Short name shown in rankings: `timeout evidence`. */
  label: string;
  applies(traits: EdgeTraits, check: ClaimCheck): boolean;
  factor: number;
  why: string;
}

/** One row of the table. */
export interface RepertoireRow {
  family: FaultFamily;
  mode: FailureMode;
  /** The fault in Toxiproxy's terms. */
  fault: string;
  /** What it does to the caller, and why that falsifies the claims below. */
  reason: string;
  /** Claim forms it can falsify, with weight 1..3. */
  falsifies: Partial<Record<ClaimType, 1 | 2 | 3>>;
  traits: readonly TraitRule[];
  /** The sizing rule in words (each result's `sizing` names the actual numbers). */
  sizes: string;
  size(input: SizingInput): SizedFault;
}

const SAFETY: readonly ClaimType[] = ['at-most-once', 'exactly-once', 'no-lost-ack', 'linearizable'];
const hasDegradedScope = (c: ClaimCheck) => 'degraded' in c && c.degraded !== undefined;
const TRAFFIC: readonly ClaimType[] = ['latency', 'availability', 'recovery'];
/** The claim's traffic does not cross the edge: only resources shared with the caller carry the fault to it. */
const offPath = (t: EdgeTraits, c: ClaimCheck) => t.offPath === true && TRAFFIC.includes(c.type);
const SHARED_WHY = 'the claim\'s traffic does not cross this edge, so only what it shares with the caller (sockets, workers, its event loop, a retry storm\'s load) carries the fault to it, and calls held to the caller\'s deadline exhaust that most';

/** The table. Order breaks ties in ranking: earlier rows are the more common field failures. */
export const FAULT_REPERTOIRE: readonly RepertoireRow[] = [
  {
    family: 'slow-beyond-timeout',
    mode: 'deadline',
    fault: 'latency, downstream, toxicity 1, no jitter',
    reason: 'The callee is merely slow, the caller gives up and, if it retries, re-sends work that is still being done: the most common way at-most-once and exactly-once break. A step of a multi-step write that times out was usually applied all the same, so a caller that neither compensates nor reconciles loses or creates value (conservation, the saga\'s classic failure). The caller also errors (availability) and its retries can storm. A consumer whose step times out takes the message up again after later ones (queue order).',
    falsifies: { 'at-most-once': 3, 'exactly-once': 3, conservation: 3, availability: 2, latency: 2, linearizable: 2, 'queue-order': 2, 'no-lost-ack': 1, recovery: 1 },
    traits: [
      { label: 'timeout evidence', applies: (t) => t.timeoutEvidence, factor: 1.5, why: 'the caller\'s deadline is known, so the delay sits just past it' },
      { label: 'no timeout evidence', applies: (t, c) => !t.timeoutEvidence && SAFETY.includes(c.type), factor: 0.6, why: 'no deadline seen: the caller may just wait instead of re-sending' },
      { label: 'retries', applies: (t) => t.retries, factor: 1.3, why: 'the traces show re-sends on this edge' },
      { label: 'async', applies: (t) => t.mode === 'async', factor: 0.7, why: 'an asynchronous hop\'s deadline is the producer\'s enqueue, which users rarely re-send' },
      { label: 'off the path', applies: offPath, factor: 1.5, why: SHARED_WHY },
    ],
    sizes: 'latency = caller\'s observed timeout × 1.5, no jitter; without timeout evidence the guess (the claim\'s thresholdMs for latency claims on the claim\'s own path, else the entrypoint\'s timeoutMs) with delays spread from 0.2 to 1.5 × it, so some calls cross the unknown deadline and some succeed late',
    size: slowBeyondTimeout,
  },
  {
    family: 'slow-under-timeout',
    mode: 'slow',
    fault: 'latency, downstream, toxicity 1, jitter 10% (= latency for queue order)',
    reason: 'A slow answer inside the deadline passes its whole delay up the call chain: falsifies latency SLOs and exposes blocking calls without a timeout; jittered on a hand-off it reorders deliveries.',
    falsifies: { latency: 3, 'queue-order': 2, availability: 1, recovery: 1 },
    traits: [
      { label: 'sync without timeout', applies: (t) => t.mode === 'sync' && !t.timeoutEvidence, factor: 1.3, why: 'a blocking call without a deadline passes the whole delay up' },
      { label: 'async', applies: (t, c) => t.mode === 'async' && c.type !== 'queue-order', factor: 0.3, why: 'a delay on an asynchronous hop does not reach the entrypoint\'s answer' },
      { label: 'async hand-off', applies: (t, c) => t.mode === 'async' && c.type === 'queue-order', factor: 1.5, why: 'jittered hand-offs overtake each other' },
      { label: 'off the path', applies: offPath, factor: 0.3, why: 'the claim\'s traffic does not cross this edge and a delay inside the deadline holds the caller\'s resources only briefly' },
    ],
    sizes: 'latency claims: thresholdMs × 1.2 − entrypoint p50; others: edge p99 × 3; at least the edge p99, below 0.8 × the caller\'s timeout',
    size: slowUnderTimeout,
  },
  {
    family: 'response-lost',
    mode: 'lost-response',
    fault: 'limit_data bytes 1, downstream; toxicity 0.5 on pooled HTTP/RPC, 1 on long-lived connections',
    reason: 'The request is delivered and the effect happens, the answer is lost: the caller sees an error and retries work that was done (duplicates) or reports a failure for work that happened, leaving the other steps of a multi-step write undone (conservation).',
    falsifies: { 'at-most-once': 3, 'exactly-once': 3, 'no-lost-ack': 2, linearizable: 2, conservation: 2, 'queue-order': 1 },
    traits: [
      { label: 'retries', applies: (t) => t.retries, factor: 1.5, why: 'the caller re-sends on error, so a lost answer becomes a duplicate' },
    ],
    sizes: 'bytes 1 (the first byte of the answer passes, then the connection closes)',
    size: responseLost,
  },
  {
    family: 'connection-reset',
    mode: 'broken-connection',
    fault: 'reset_peer after ~p50, upstream (the RST kills both directions); toxicity 0.5 on pooled HTTP/RPC, 1 on long-lived connections',
    reason: 'A connection dies mid-request: multi-step writes half-apply (conservation), hand-offs fail after the caller acknowledged (no-lost-ack), operations become indeterminate (linearizable), clients crash on unhandled errors. A consumer whose processing step fails is the usual way ordering breaks in the field: the message is retried, requeued or redelivered after the ones behind it, and an update applied without a version check overwrites a newer one (queue order).',
    falsifies: { conservation: 3, 'no-lost-ack': 3, 'queue-order': 3, linearizable: 2, availability: 2, 'exactly-once': 1, 'at-most-once': 1 },
    traits: [
      { label: 'long-lived connection', applies: (t) => LONG_LIVED.includes(t.callee), factor: 1.3, why: 'writes over long-lived connections half-apply and the client must reconnect' },
    ],
    sizes: 'reset after the edge p50 (the request is in flight)',
    size: connectionReset,
  },
  {
    family: 'black-hole',
    mode: 'deadline',
    fault: 'timeout 0, upstream, toxicity 1 (data stops, the connection stays open)',
    reason: 'Nothing answers and nothing closes: only the caller\'s own deadline ends the wait, so calls without timeouts hang (latency, availability) and pile up until the fault ends (recovery).',
    falsifies: { latency: 2, availability: 2, recovery: 1, 'no-lost-ack': 1 },
    traits: [
      { label: 'sync without timeout', applies: (t) => t.mode === 'sync' && !t.timeoutEvidence, factor: 1.5, why: 'no deadline seen: calls hang for as long as the fault lasts' },
      { label: 'timeout evidence', applies: (t) => t.timeoutEvidence, factor: 0.7, why: 'a deadline is known: this behaves like slow-beyond-timeout' },
      { label: 'off the path', applies: offPath, factor: 1.5, why: SHARED_WHY },
    ],
    sizes: 'timeout 0 for the whole fault phase',
    size: blackHole,
  },
  {
    family: 'outage',
    mode: 'unavailable',
    fault: 'down (proxy disabled), for max(fault phase, 5 failed calls × attempts × timeout or p99)',
    reason: 'The dependency is gone for longer than any retry budget: breakers must open and close again (recovery), degraded modes must serve (availability scoped to the dependency), work handed to a down broker must be kept and re-sent (no-lost-ack), and re-sent or retried work must not overtake what came after it (queue order).',
    falsifies: { recovery: 3, availability: 2, 'no-lost-ack': 2, 'queue-order': 2, conservation: 1, 'exactly-once': 1 },
    traits: [
      { label: 'degraded scope', applies: (_t, c) => hasDegradedScope(c), factor: 1.5, why: 'the claim is about the dependency being down' },
      { label: 'async hand-off', applies: (t, c) => t.mode === 'async' && (c.type === 'no-lost-ack' || c.type === 'exactly-once'), factor: 1.5, why: 'work handed to a broker that is down must be kept and re-sent' },
      { label: 'long-lived connection', applies: (t) => LONG_LIVED.includes(t.callee), factor: 1.2, why: 'a database, cache or broker outage is the canonical degraded mode' },
    ],
    sizes: 'down for max(manifest faultMs, 5 × attempts per call × (observed timeout or edge p99)); the fault phase is lengthened to match',
    size: outage,
  },
  {
    family: 'flapping',
    mode: 'unavailable',
    fault: 'flap {down_ms, up_ms}, toxicity 1',
    reason: 'The dependency keeps going away and coming back: breakers that never half-open stay open, reconnect logic must run every time, retries straddle the transitions, and a cache that missed an invalidation while it was away serves the old value when it returns (each return is another chance to read it).',
    falsifies: { recovery: 2, linearizable: 2, availability: 1, 'no-lost-ack': 1, latency: 1 },
    traits: [
      { label: 'async', applies: (t) => t.mode === 'async', factor: 1.2, why: 'producers and consumers must reconnect each time' },
      { label: 'cache', applies: (t, c) => t.callee === 'cache' && c.type === 'linearizable', factor: 1.5, why: 'writes go on while the cache is away, so its entries go stale; a stale read shows only in the moment after it returns, which flapping repeats' },
      { label: 'retries', applies: (t) => t.retries, factor: 1.2, why: 'retries straddle the down/up transitions' },
    ],
    sizes: 'down_ms = 5 × attempts × (timeout or p99), up_ms = 10 × edge p99 (each at least 1 s); at least two cycles',
    size: flapping,
  },
];

/** Every family, in table order. */
export const FAULT_FAMILIES: readonly FaultFamily[] = FAULT_REPERTOIRE.map((r) => r.family);

/** A family ranked for one claim on one edge. */
export interface RankedFamily {
  row: RepertoireRow;
  score: number;
  /** The trait rules that moved the score, `timeout evidence ×1.5`. */
  because: string[];
}

/** Families that can falsify `check` on an edge with `traits`, most likely first (ties: table order). */
export function rankFamilies(check: ClaimCheck, traits: EdgeTraits): RankedFamily[] {
  const out: RankedFamily[] = [];
  for (const row of FAULT_REPERTOIRE) {
    const weight = row.falsifies[check.type];
    if (weight === undefined) continue;
    const hit = row.traits.filter((r) => r.applies(traits, check));
    const score = hit.reduce<number>((s, r) => s * r.factor, weight);
    out.push({ row, score: Math.round(score * 1000) / 1000, because: hit.map((r) => `${r.label} ×${r.factor}`) });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** The families that can falsify a claim form, by weight (ties: table order). */
export function familiesOf(type: ClaimType): FaultFamily[] {
  return FAULT_REPERTOIRE.filter((r) => r.falsifies[type] !== undefined)
    .sort((a, b) => (b.falsifies[type] ?? 0) - (a.falsifies[type] ?? 0))
    .map((r) => r.family);
}

/** The row of a family. */
export function repertoireRow(family: FaultFamily): RepertoireRow {
  const row = FAULT_REPERTOIRE.find((r) => r.family === family);
  if (!row) throw fail('BAD_INPUT', `unknown fault family ${JSON.stringify(family)}`);
  return row;
}

/** An edge's traits, from the graph (the callee's node type tells a cache from a database). */
export function edgeTraits(edge: GraphEdge, calleeType?: NodeType): EdgeTraits {
  const callee: CalleeKind =
    calleeType === 'queue' || edge.protocol === 'messaging' ? 'queue'
      : calleeType === 'cache' ? 'cache'
        : calleeType === 'database' || edge.protocol === 'db' ? 'db'
          : edge.protocol === 'http' || edge.protocol === 'rpc' ? edge.protocol : 'other';
  return {
    mode: edge.mode,
    callee,
    timeoutEvidence: edge.timeout.evidence === 'observed',
    retries: edge.retries.extraAttempts > 0 || edge.retries.amplification > 1,
  };
}

/** A row's claim forms with their weights, heaviest first. */
function familyForms(row: RepertoireRow): [ClaimType, number][] {
  const out: [ClaimType, number][] = [];
  for (const [form, weight] of Object.entries(row.falsifies) as [ClaimType, number | undefined][]) if (weight !== undefined) out.push([form, weight]);
  return out.sort((a, b) => b[1] - a[1]);
}

/** The table as text, for the LLM prompt (and for a person). */
export function renderRepertoire(): string {
  const lines = ['Fault repertoire (family: fault; falsifies form×weight 1..3; traits that move it; sizing):'];
  for (const r of FAULT_REPERTOIRE) {
    const forms = familyForms(r).map(([f, w]) => `${f}×${w}`).join(', ');
    const traits = r.traits.map((t) => `${t.label} ×${t.factor} (${t.why})`).join('; ');
    lines.push(`- ${r.family} [${r.mode}]: ${r.fault}. ${r.reason} Falsifies: ${forms}. Traits: ${traits}. Sizing: ${r.sizes}.`);
  }
  lines.push('Toxicity: 1 on database, cache, queue and other long-lived connections and whenever the effect must land (timeouts, outages); a fraction only for per-request faults (http_error, http_delay) or pooled HTTP edges.');
  return lines.join('\n');
}
