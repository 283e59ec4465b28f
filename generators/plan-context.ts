/**
 * The lookups every generator needs, computed once per PlanInput: manifest
 * entrypoints ↔ trace entrypoints, which edges affect which claim, which
 * edge has a proxy, and a stable hash of the input (plan id and seeds).
 */
import { createHash } from 'node:crypto';
import type { GraphEdge } from '../graph/model.js';
import type { ManifestProxy } from './manifest.js';
import type { PlanInput } from './plan-generator.js';
import { hostResolver, matchEntrypoints, type EntrypointMap } from './entrypoint-match.js';
import { claimReach, type ClaimReach } from './claim-reach.js';
import type { RecoverySettings } from '../claims/claim.js';
import { matchProxyEdges } from '../graph/proxy-edges.js';


/** Plan-level recovery measurement defaults. */
export const DEFAULT_RECOVERY: RecoverySettings = { windowMs: 1000, bandFactor: 1.5, errorSlack: 0.05, holdMs: 2000 };

/** How many distinct top-ranked edges a plan targets first. */
export const TOP_EDGES = 10;

/** Precomputed lookups over one PlanInput. */
export interface PlanContext {
  input: PlanInput;
  epMap: EntrypointMap;
  reach: Map<string, ClaimReach>;
  /** Graph edges, plus the physical edges behind async hops that only a proxy names (generators/async-hop.ts). */
  edges: Map<string, GraphEdge>;
  /** Edge id → the manifest proxy carrying it. */
  proxies: Map<string, ManifestProxy>;
  /** Distinct edge ids in ranking order. */
  rankedEdges: string[];
  /** Hex sha256 of the input. */
  hash: string;
}

/** Build the context for one input. */
export function planContext(input: PlanInput): PlanContext {
  const { manifest, snapshot, ranking, claims } = input;
  const epMap = matchEntrypoints(manifest.entrypoints, snapshot.entrypoints, hostResolver(snapshot));
  const reach = new Map(claims.map((c) => [c.id, claimReach(c, snapshot, epMap, manifest.probes, manifest.proxies)] as const));
  const edges = new Map(snapshot.edges.map((e) => [e.id, e] as const));
  // Physical edges behind async hops (producer → broker) exist only through a proxy; they rank with the hop they carry.
  const carried = new Map<string, string[]>();
  for (const r of reach.values()) {
    for (const p of r.physical) {
      if (edges.has(p.edge.id)) continue;
      edges.set(p.edge.id, p.edge);
      carried.set(p.carries, [...(carried.get(p.carries) ?? []), p.edge.id]);
    }
  }
  const proxies = new Map<string, ManifestProxy>();
  for (const p of manifest.proxies) {
    // The names people write (`postgres`, a host:port) resolve to traced edges; an unmatched proxy keeps its literal id.
    const matched = matchProxyEdges(snapshot, p).edges;
    for (const id of [`${p.edge.from}->${p.edge.to}`, ...matched]) if (!proxies.has(id)) proxies.set(id, p);
  }
  const rankedEdges = [...new Set(ranking.items.flatMap((i) => [i.edge, ...(carried.get(i.edge) ?? [])]))].filter((id) => edges.has(id));
  const hash = createHash('sha256')
    .update(JSON.stringify([manifest, snapshot.edges, snapshot.entrypoints, snapshot.crossings, ranking, claims, input.missing, input.now.toISOString(), input.history ?? null]))
    .digest('hex');
  return { input, epMap, reach, edges, proxies, rankedEdges, hash };
}

/** 31-bit FNV-1a of a string (workload seeds). */
export function hash31(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}
