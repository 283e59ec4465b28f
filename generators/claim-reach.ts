/**
 * Which edges can affect a claim: an edge does when traffic of one of the
 * claim's entrypoints crosses it (snapshot.crossings), or when the claim's
 * probe reads the state of a service that a path through the edge reaches.
 * Shared by claim inference and the generators so "affects" means one thing.
 */
import type { GraphSnapshot } from '../graph/model.js';
import type { Claim, ClaimCheck } from '../claims/claim.js';
import type { ManifestProbe } from './manifest.js';
import type { EntrypointMap } from './entrypoint-match.js';

/** The manifest entrypoint names a check drives or reads. */
export function checkEntrypoints(check: ClaimCheck): string[] {
  if (check.type === 'linearizable') return [...new Set([check.writeEntrypoint, check.readEntrypoint])];
  if ('entrypoint' in check && check.entrypoint !== undefined) return [check.entrypoint];
  return [];
}

/** The probe a check reads, if any. */
export function checkProbe(check: ClaimCheck): string | undefined {
  return 'probe' in check ? check.probe : undefined;
}

/** What a claim can be tied to in the graph. */
export interface ClaimReach {
  /** Edge id → traces (of the claim's entrypoints, or of paths reaching its probe's service) crossing it. */
  edges: Map<string, number>;
  /** Trace entrypoint ids the claim's entrypoints map to. */
  traceEntrypoints: string[];
}

/**
 * Edges that can affect `claim`, with how many traces tie them to it.
 *
 * - A claim scoped with `degraded` is affected only by edges into that
 *   dependency (by node id or node type).
 * - A duplicate/lost-effect claim (at-most-once, exactly-once, no-lost-ack,
 *   queue order) over a probe of service S is affected by the edges into S:
 *   that is where a response can be lost after the effect and retried, or a
 *   hand-off dropped. Other edges on the path only add noise to the plan.
 * - Otherwise: every edge the claim's entrypoint traffic crosses, or that
 *   touches the probe's service.
 */
export function claimReach(claim: Claim, snapshot: GraphSnapshot, epMap: EntrypointMap, probes: readonly ManifestProbe[]): ClaimReach {
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
  return { edges: narrow(claim.check, snapshot, edges, service), traceEntrypoints: [...traceEps].sort() };
}

const EFFECT_CHECKS = new Set(['at-most-once', 'exactly-once', 'no-lost-ack', 'queue-order']);

/** Apply the `degraded` scope and the effect-claim rule; keep the wider set when the narrow one is empty. */
function narrow(check: ClaimCheck, snapshot: GraphSnapshot, edges: Map<string, number>, service: string | undefined): Map<string, number> {
  const byId = new Map(snapshot.edges.map((e) => [e.id, e] as const));
  let keep: ((target: string) => boolean) | undefined;
  if ('degraded' in check && check.degraded !== undefined) {
    const scope = check.degraded;
    const types = new Map(snapshot.nodes.map((n) => [n.id, n.type as string] as const));
    keep = (target) => target === scope || types.get(target) === scope;
    // A scope that matches nothing keeps nothing: the claim is about a dependency the traces do not show.
    return new Map([...edges].filter(([id]) => keep!(byId.get(id)?.target ?? '')));
  }
  if (service !== undefined && EFFECT_CHECKS.has(check.type)) {
    const into = new Map([...edges].filter(([id]) => byId.get(id)?.target === service));
    if (into.size > 0) return into;
  }
  return edges;
}

/** True when traffic of the entrypoint touches `service` (it enters there or crosses an edge into it). */
function reaches(snapshot: GraphSnapshot, epId: string, epService: string, service: string): boolean {
  if (epService === service) return true;
  return snapshot.edges.some((e) => e.target === service && (snapshot.crossings[e.id]?.[epId] ?? 0) > 0);
}
