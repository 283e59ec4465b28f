/**
 * Which edges can affect a claim, by its form's reach rule
 * (claims/forms/form.ts ReachRule). Shared by claim inference and the
 * generators so "affects" means one thing.
 */
import type { GraphEdge, GraphSnapshot } from '../graph/model.js';
import { resolveNode } from '../graph/node-names.js';
import type { Claim } from '../claims/claim.js';
import { checkEntrypoints, checkProbe, formOf } from '../claims/forms/index.js';
import type { ManifestProbe, ManifestProxy } from './manifest.js';
import type { EntrypointMap } from './entrypoint-match.js';
import { hopEdges, type PhysicalEdge } from './async-hop.js';

export { checkEntrypoints, checkProbe };

/** What a claim can be tied to in the graph. */
export interface ClaimReach {
  /** Edge id → traces (of the claim's entrypoints, or of paths reaching its probe's service) crossing it. */
  edges: Map<string, number>;
  /** Trace entrypoint ids the claim's entrypoints map to. */
  traceEntrypoints: string[];
  /** Physical edges in `edges` that the graph shows only as a logical async hop (their proxy carries the hop). */
  physical: PhysicalEdge[];
  /**
   * Edges in `edges` tried only after the others: a synchronous probe
   * service's own dependencies (see effectEdges).
   */
  secondary?: ReadonlySet<string>;
}

/**
 * Edges that can affect `claim`, with how many traces tie them to it.
 *
 * - `traffic` forms: every edge the claim's entrypoint traffic crosses; a
 *   claim scoped with `degraded` only the edges into that dependency (by
 *   node id or node type).
 * - `effect` forms over a probe of service S: the edges that hand S its
 *   work — a synchronous edge into S, or for an asynchronous hop P → S the
 *   edges that carry it (P → broker, S → broker) and S's own dependencies,
 *   since a consumer's retries and writes are where duplicates and losses
 *   happen. Other edges on the path only add noise to the plan.
 * - `state` forms, and effect forms whose service nothing leads into: every
 *   edge the traffic crosses or that touches the probe's service.
 */
export function claimReach(claim: Claim, snapshot: GraphSnapshot, epMap: EntrypointMap, probes: readonly ManifestProbe[], proxies: readonly ManifestProxy[] = []): ClaimReach {
  const traceEps = new Set(checkEntrypoints(claim.check).flatMap((n) => epMap.get(n) ?? []));
  const probeName = checkProbe(claim.check);
  const service = probes.find((p) => p.name === probeName)?.service;
  if (service !== undefined) {
    for (const ep of snapshot.entrypoints) if (reaches(snapshot, ep.id, ep.service, service)) traceEps.add(ep.id);
  }
  const edges = new Map<string, number>();
  for (const e of snapshot.edges) {
    const byEp = snapshot.crossings[e.id] ?? {};
    let n = 0;
    for (const ep of traceEps) n += byEp[ep] ?? 0;
    if (n > 0) edges.set(e.id, n);
    else if (service !== undefined && (e.source === service || e.target === service)) edges.set(e.id, e.calls);
  }
  const traceEntrypoints = [...traceEps].sort();
  if ('degraded' in claim.check && claim.check.degraded !== undefined) {
    return { edges: degradedScope(claim.check.degraded, snapshot, edges, traceEntrypoints, proxies), traceEntrypoints, physical: [] };
  }
  if (formOf(claim.check).reach === 'effect' && service !== undefined) {
    const effect = effectEdges(snapshot, service, edges, proxies);
    if (effect.edges.size > 0) return { ...effect, traceEntrypoints };
    return { edges, traceEntrypoints, physical: [], ...ownLinksFirst(snapshot, service, edges) };
  }
  if (formOf(claim.check).reach === 'traffic') return { edges: requestPath(snapshot, traceEntrypoints, edges), traceEntrypoints, physical: [] };
  return { edges, traceEntrypoints, physical: [] };
}

/**
 * A latency, availability or recovery claim is about what the caller waits
 * for: the edges whose caller sits on the synchronous path from the
 * entrypoint (the producer's enqueue included). A consumer's work behind an
 * asynchronous hop shares the trace but not the answer, so a fault there
 * cannot move the claim; keep the wider set only when nothing is left.
 */
function requestPath(snapshot: GraphSnapshot, traceEps: readonly string[], edges: Map<string, number>): Map<string, number> {
  const onPath = new Set(snapshot.entrypoints.filter((ep) => traceEps.includes(ep.id)).map((ep) => ep.service));
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of snapshot.edges) {
      if (e.mode === 'sync' && onPath.has(e.source) && !onPath.has(e.target)) {
        onPath.add(e.target);
        grew = true;
      }
    }
  }
  const byId = new Map(snapshot.edges.map((e) => [e.id, e] as const));
  const kept = new Map([...edges].filter(([id]) => onPath.has(byId.get(id)?.source ?? '')));
  return kept.size > 0 ? kept : edges;
}

/**
 * The edges into the dependency a claim is scoped to. First those its
 * entrypoint's traffic crosses. When it crosses none, the claim still says
 * "while X is degraded", and a dependency an entrypoint never calls can
 * still starve it through what they share (a service's socket pool,
 * threads, event loop, a retry storm's load): the edges into X from
 * services the traffic passes through, else every edge into X. A scope
 * that matches no node keeps nothing: the traces do not show it.
 */
function degradedScope(scope: string, snapshot: GraphSnapshot, edges: Map<string, number>, traceEps: readonly string[], proxies: readonly ManifestProxy[]): Map<string, number> {
  const byId = new Map(snapshot.edges.map((e) => [e.id, e] as const));
  // Node id, service name, db.system spelling, peer.service, dialled host or node type (graph/node-names.ts).
  const targets = new Set(resolveNode(snapshot, scope).map((m) => m.id));
  const consumerLinks = workerLinks(snapshot, targets, proxies);
  if (consumerLinks.size > 0) return consumerLinks;
  const crossed = new Map([...edges].filter(([id]) => targets.has(byId.get(id)?.target ?? '')));
  if (crossed.size > 0 || traceEps.length === 0) return crossed;
  const onPath = new Set(snapshot.entrypoints.filter((ep) => traceEps.includes(ep.id)).map((ep) => ep.service));
  for (const id of edges.keys()) {
    const e = byId.get(id);
    if (e) onPath.add(e.source).add(e.target);
  }
  const into = snapshot.edges.filter((e) => targets.has(e.target));
  const near = into.filter((e) => onPath.has(e.source));
  return new Map((near.length > 0 ? near : into).map((e) => [e.id, e.calls] as const));
}

/**
 * "While the worker is down", for a worker that nothing calls directly: its
 * work arrives only over asynchronous hops (a stream, a list, a queue), so
 * the graph's edges into it are logical and no proxy carries them. What a
 * fault can take away is the worker's own link to the broker: its
 * consumer → broker connection is the degraded worker, as the producer's
 * link is not. The same holds for a worker no traced edge leads into at
 * all. Empty when a scoped node has a synchronous caller (then the edges
 * into it are the scope).
 */
function workerLinks(snapshot: GraphSnapshot, targets: ReadonlySet<string>, proxies: readonly ManifestProxy[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const worker of targets) {
    const into = snapshot.edges.filter((e) => e.target === worker && e.source !== worker);
    if (into.length === 0) {
      // Nothing traced leads into it (its messages carry no trace context): its own links are all the traces show of it.
      for (const e of snapshot.edges) if (e.source === worker && e.target !== worker) out.set(e.id, e.calls);
      continue;
    }
    if (into.some((e) => e.mode !== 'async')) continue;
    for (const hop of into) {
      const { edges, synthesized } = hopEdges(snapshot, hop, proxies);
      for (const e of [...edges, ...synthesized.map((p) => p.edge)]) if (e.source === worker) out.set(e.id, Math.max(out.get(e.id) ?? 0, hop.calls));
    }
  }
  return out;
}

/**
 * The edges handing work to `service`: synchronous edges into it; for an
 * asynchronous hop P → service the edges carrying it (generators/async-hop.ts);
 * for a queue node Q the service reads (a synchronous S → `kafka:orders`), every other
 * producer's edge into Q. A consumer's own dependencies count too: they are
 * where its retried writes duplicate and its failed ones are lost.
 */
function effectEdges(snapshot: GraphSnapshot, service: string, wide: Map<string, number>, proxies: readonly ManifestProxy[]): { edges: Map<string, number>; physical: PhysicalEdge[]; secondary?: Set<string> } {
  const edges = new Map<string, number>();
  const physical: PhysicalEdge[] = [];
  const weight = (e: GraphEdge, hop?: GraphEdge) => wide.get(e.id) ?? (hop ? wide.get(hop.id) : undefined) ?? e.calls;
  const add = (e: GraphEdge, hop?: GraphEdge) => {
    if (!edges.has(e.id)) edges.set(e.id, weight(e, hop));
  };
  const types = new Map(snapshot.nodes.map((n) => [n.id, n.type] as const));
  const into = snapshot.edges.filter((e) => e.target === service && e.source !== service);
  // A service reads a queue node through synchronous client calls (poll, receive); its own sends are async producer edges.
  const queues = new Set(snapshot.edges.filter((e) => e.source === service && e.mode === 'sync' && types.get(e.target) === 'queue').map((e) => e.target));
  let consumer = queues.size > 0;
  for (const e of into) {
    add(e);
    if (e.mode !== 'async') continue;
    consumer = true;
    const hop = hopEdges(snapshot, e, proxies);
    for (const h of hop.edges) add(h, e);
    for (const p of hop.synthesized) {
      if (edges.has(p.edge.id)) continue;
      add(p.edge, e);
      physical.push(p);
    }
  }
  for (const e of snapshot.edges) if (queues.has(e.target) && e.source !== service) add(e);
  if (consumer) {
    for (const e of snapshot.edges) if (e.source === service) add(e);
    return { edges, physical };
  }
  // A synchronous service's own store is where a non-atomic check-then-act
  // (read the idempotency key, write, then record the key) opens its window:
  // slowed there, the service is still mid-write when its caller times out
  // and retries, while a fault on the edge into it delays both attempts
  // alike or only the answer. Tried after the edges into the service, so
  // they never lose their place.
  const secondary = new Set<string>();
  // A service nothing leads into keeps the wide set (claimReach's fallback).
  if (edges.size === 0) return { edges, physical };
  for (const e of snapshot.edges) {
    const store = types.get(e.target) === 'database' || types.get(e.target) === 'cache';
    if (e.source !== service || e.mode !== 'sync' || !store || edges.has(e.id)) continue;
    add(e);
    secondary.add(e.id);
  }
  return { edges, physical, ...(secondary.size > 0 ? { secondary } : {}) };
}

/**
 * A probe service no traced edge leads into: its work arrives over a hop
 * the traces do not show (a list or stream whose messages carry no trace
 * context, which is common). Its own links (to the broker it consumes
 * from, to the store it writes) are the only edges known to carry that
 * work, so they come first; the edges the entrypoint's traffic crosses
 * follow, as `secondary`.
 */
function ownLinksFirst(snapshot: GraphSnapshot, service: string, edges: Map<string, number>): { secondary?: Set<string> } {
  const own = new Set(snapshot.edges.filter((e) => e.source === service && edges.has(e.id)).map((e) => e.id));
  if (own.size === 0) return {};
  const secondary = new Set([...edges.keys()].filter((id) => !own.has(id)));
  return secondary.size > 0 ? { secondary } : {};
}

/** True when traffic of the entrypoint touches `service` (it enters there or crosses an edge into it). */
function reaches(snapshot: GraphSnapshot, epId: string, epService: string, service: string): boolean {
  if (epService === service) return true;
  return snapshot.edges.some((e) => e.target === service && (snapshot.crossings[e.id]?.[epId] ?? 0) > 0);
}
