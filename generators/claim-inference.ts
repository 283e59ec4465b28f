/**
 * Claims the traces suggest. A system whose owners wrote no claims still
 * gets a plan: observed baselines become candidate claims (marked
 * `inferred`, with the evidence), and behaviour that no claim covers becomes
 * a missing claim the reviewer is asked to confirm or write.
 */
import type { GraphEdge, GraphEntrypoint, GraphSnapshot, RiskRanking } from '../graph/model.js';
import type { Claim, MissingClaim } from '../claims/claim.js';
import type { ManifestEntrypoint, ManifestProbe } from './manifest.js';
import { hostResolver, matchEntrypoints } from './entrypoint-match.js';
import { checkEntrypoints, claimReach } from './claim-reach.js';
import { snake } from './snake-id.js';

/** Result of inferClaims. */
export interface InferredClaims {
  /** Candidate claims (source `inferred`), never duplicating a user claim. */
  claims: Claim[];
  missing: MissingClaim[];
}

/** Options of inferClaims. */
export interface InferOptions {
  /** State probes (an idempotency / lost-ack claim is checkable only with one). */
  probes?: readonly ManifestProbe[];
  /** How many top risks are checked for claim coverage (default 10). */
  topRisks?: number;
}

/** Multiplier from observed p99 to the candidate SLO. */
const LATENCY_HEADROOM = 2;

/** Infer candidate claims and list what no claim covers. */
export function inferClaims(
  snapshot: GraphSnapshot,
  ranking: RiskRanking,
  userClaims: readonly Claim[],
  entrypoints: readonly ManifestEntrypoint[],
  opts: InferOptions = {},
): InferredClaims {
  const probes = opts.probes ?? [];
  const epMap = matchEntrypoints(entrypoints, snapshot.entrypoints, hostResolver(snapshot));
  const claims: Claim[] = [];
  const missing: MissingClaim[] = [];
  const ids = new Set(userClaims.map((c) => c.id));
  const add = (c: Claim) => {
    if (ids.has(c.id)) return;
    ids.add(c.id);
    claims.push(c);
  };
  const userChecks = (type: string, ep: string) =>
    userClaims.some((c) => c.check.type === type && checkEntrypoints(c.check).includes(ep));

  for (const ep of entrypoints) {
    const traced = snapshot.entrypoints.filter((t) => (epMap.get(ep.name) ?? []).includes(t.id));
    const calls = traced.reduce((s, t) => s + t.calls, 0);
    if (calls === 0) continue;
    const p99 = Math.max(...traced.map((t) => t.latency.p99));
    const errors = traced.reduce((s, t) => s + t.errors, 0);
    const where = traced.map((t) => JSON.stringify(t.id)).join(', ');
    if (!userChecks('latency', ep.name)) {
      const threshold = roundUpNice(Math.max(p99, 1) * LATENCY_HEADROOM);
      add({
        id: `${snake(ep.name)}_p99_under_${threshold}ms`,
        text: `p99 of ${ep.method.toUpperCase()} ${ep.name} stays under ${threshold} ms during the fault phase`,
        category: 'performance-slo',
        check: { type: 'latency', entrypoint: ep.name, percentile: 99, thresholdMs: threshold, phase: 'fault' },
        source: 'inferred',
        evidence: `observed p99 ${fmt(p99)} ms over ${calls.toLocaleString('en-US')} calls of ${where}; candidate = ${LATENCY_HEADROOM}× rounded up`,
      });
    }
    if (!userChecks('availability', ep.name)) {
      const rate = errors / calls;
      const bound = Math.min(0.5, Math.max(0.01, Math.ceil(rate * 2 * 100) / 100));
      add({
        id: `${snake(ep.name)}_errors_under_${Math.round(bound * 100)}pct`,
        text: `error rate of ${ep.method.toUpperCase()} ${ep.name} stays under ${Math.round(bound * 100)}% during the fault phase`,
        category: 'availability',
        check: { type: 'availability', entrypoint: ep.name, maxErrorRate: bound, phase: 'fault' },
        source: 'inferred',
        evidence: `observed error rate ${(rate * 100).toFixed(2)}% (${errors} of ${calls} calls of ${where}); candidate = 2× with a 1% floor`,
      });
    }
  }

  for (const e of snapshot.edges) {
    const crossingEps = entrypointsCrossing(snapshot, e, entrypoints, epMap);
    const probe = probes.find((p) => p.service === e.target);
    if (isRetriedWrite(e, snapshot)) inferIdempotency(e, crossingEps, probe, userClaims, add, missing);
    if (e.mode === 'async') inferNoLostAck(e, crossingEps, probe, userClaims, add, missing);
  }

  missing.push(...uncoveredRisks(snapshot, ranking, userClaims, epMap, probes, opts.topRisks ?? 10));
  for (const t of snapshot.entrypoints) {
    if (![...epMap.values()].some((ids) => ids.includes(t.id))) {
      missing.push({
        observation: `traces show entrypoint ${JSON.stringify(t.id)} (${t.calls} calls) that no manifest entrypoint drives`,
        subject: t.id,
        suggestedCategory: 'performance-slo',
        suggestion: `add an entrypoint for ${t.method} ${t.route} (or set traceEntrypoint) and a latency or availability claim on it`,
      });
    }
  }
  return { claims, missing };
}

type Add = (c: Claim) => void;

function inferIdempotency(e: GraphEdge, eps: ManifestEntrypoint[], probe: ManifestProbe | undefined, user: readonly Claim[], add: Add, missing: MissingClaim[]): void {
  const covered = user.some((c) => (c.check.type === 'at-most-once' || c.check.type === 'exactly-once') && (probe === undefined || c.check.probe === probe.name));
  if (covered && probe !== undefined) return;
  const ep = eps.find((x) => x.idempotencyHeader !== undefined) ?? eps[0];
  const observation = `${e.id} is retried (${e.retries.extraAttempts} extra attempts over ${e.retries.retriedParents} parents, amplification ${e.retries.amplification.toFixed(2)}) on a write`;
  if (probe === undefined) {
    missing.push({
      observation,
      subject: e.id,
      suggestedCategory: 'idempotency',
      suggestion: `add a probe dumping ${e.target}'s records (with service: ${e.target}) and an at-most-once claim keyed by the request key`,
    });
    return;
  }
  const selector = `$.${snake(probe.name)}[*].requestKey`;
  add({
    id: `${snake(probe.name)}_at_most_once`,
    text: `no two records in the ${probe.name} probe share a request key (retries on ${e.id} must not duplicate effects)`,
    category: 'idempotency',
    check: { type: 'at-most-once', probe: probe.name, selector, ...(ep ? { entrypoint: ep.name } : {}) },
    source: 'inferred',
    evidence: `${observation}; the selector ${selector} is a guess to confirm`,
  });
  missing.push({ observation, subject: e.id, suggestedCategory: 'idempotency', suggestion: `confirm or correct the inferred at-most-once claim on probe ${probe.name}` });
}

function inferNoLostAck(e: GraphEdge, eps: ManifestEntrypoint[], probe: ManifestProbe | undefined, user: readonly Claim[], add: Add, missing: MissingClaim[]): void {
  if (user.some((c) => c.check.type === 'no-lost-ack' || c.check.type === 'exactly-once')) return;
  const observation = `${e.id} is asynchronous (${e.calls} messages): an acknowledged operation could be lost between producer and consumer`;
  const ep = eps.find((x) => x.idempotencyHeader !== undefined) ?? eps[0];
  if (probe === undefined || ep === undefined) {
    missing.push({
      observation,
      subject: e.id,
      suggestedCategory: 'durability',
      suggestion: `add a probe of what ${e.target} records (with service: ${e.target}) and a no-lost-ack claim: every acknowledged operation has a matching record`,
    });
    return;
  }
  const selector = `$.${snake(probe.name)}[*].requestKey`;
  add({
    id: `${snake(ep.name)}_acks_not_lost_via_${snake(e.target)}`,
    text: `every ${ep.name} the workload saw acknowledged has a matching record in the ${probe.name} probe`,
    category: 'durability',
    check: { type: 'no-lost-ack', probe: probe.name, selector, entrypoint: ep.name },
    source: 'inferred',
    evidence: `${observation}; the selector ${selector} is a guess to confirm`,
  });
}

function uncoveredRisks(snapshot: GraphSnapshot, ranking: RiskRanking, user: readonly Claim[], epMap: ReturnType<typeof matchEntrypoints>, probes: readonly ManifestProbe[], top: number): MissingClaim[] {
  const covered = new Set<string>();
  for (const c of user) for (const id of claimReach(c, snapshot, epMap, probes).edges.keys()) covered.add(id);
  const out: MissingClaim[] = [];
  const seen = new Set<string>();
  for (const item of ranking.items) {
    if (seen.size >= top) break;
    if (seen.has(item.edge)) continue;
    seen.add(item.edge);
    if (covered.has(item.edge)) continue;
    const eps = Object.keys(snapshot.crossings[item.edge] ?? {}).sort();
    out.push({
      observation: `risky edge ${item.edge} (score ${item.score.toFixed(2)}: ${item.reason}) is crossed by ${eps.length > 0 ? eps.map((x) => JSON.stringify(x)).join(', ') : 'no traced entrypoint'} but no user claim covers it`,
      subject: item.edge,
      suggestedCategory: 'performance-slo',
      suggestion: `write a latency or availability claim on an entrypoint that crosses ${item.edge}`,
    });
  }
  return out;
}

function entrypointsCrossing(snapshot: GraphSnapshot, e: GraphEdge, eps: readonly ManifestEntrypoint[], epMap: ReturnType<typeof matchEntrypoints>): ManifestEntrypoint[] {
  const crossing = snapshot.crossings[e.id] ?? {};
  return eps.filter((ep) => (epMap.get(ep.name) ?? []).some((id) => (crossing[id] ?? 0) > 0));
}

/** A retried edge whose calls are writes: a POST/PUT/PATCH operation, or traffic of a POST entrypoint. */
function isRetriedWrite(e: GraphEdge, snapshot: GraphSnapshot): boolean {
  if (e.retries.extraAttempts <= 0 && e.retries.amplification <= 1) return false;
  if (e.operations.some((op) => /^(POST|PUT|PATCH)\b/i.test(op))) return true;
  const byEp = snapshot.crossings[e.id] ?? {};
  return snapshot.entrypoints.some((t: GraphEntrypoint) => t.method.toUpperCase() === 'POST' && (byEp[t.id] ?? 0) > 0);
}

/** Round up to a number a person would write: 10s below 100, 50s below 1000, 100s above. */
export function roundUpNice(n: number): number {
  const step = n < 100 ? 10 : n < 1000 ? 50 : n < 10_000 ? 100 : 1000;
  return Math.ceil(n / step) * step;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
