/**
 * The physical edges behind an asynchronous hop. The graph shows a
 * producer→consumer hand-off as one logical edge (the consumer span is the
 * producer span's child or link), but no proxy carries that edge: the bytes
 * go producer → broker and consumer → broker. The broker is a node both
 * sides call, by a traced edge or a manifest proxy; a side whose broker
 * calls only a proxy names gets a physical edge built from the hop.
 */
import type { GraphEdge, GraphSnapshot } from '../graph/model.js';
import type { ManifestProxy } from './manifest.js';

/** A physical edge a proxy carries that the graph shows only as the logical hop `carries`. */
export interface PhysicalEdge {
  edge: GraphEdge;
  /** The logical producer→consumer edge whose bytes it carries. */
  carries: string;
}

/** The edges carrying one async hop: the broker edges of both sides, and the producer edges the graph lacks. */
export interface HopEdges {
  /** Graph edges: producer → broker and consumer → broker. */
  edges: GraphEdge[];
  /** Broker edges only a manifest proxy names, with the hop's statistics. */
  synthesized: PhysicalEdge[];
}

const proxyId = (p: ManifestProxy) => `${p.edge.from}->${p.edge.to}`;

/**
 * The brokers of `hop` (producer→consumer): non-service nodes both sides
 * talk to, by a graph edge or a manifest proxy. Matching on both sides keeps
 * a broker address that also carries other logical edges (the same Redis as
 * a cache for a third service) from pulling those in.
 */
export function brokersOf(snapshot: GraphSnapshot, hop: GraphEdge, proxies: readonly ManifestProxy[]): string[] {
  const types = new Map(snapshot.nodes.map((n) => [n.id, n.type] as const));
  const callees = (service: string) => new Set([
    ...snapshot.edges.filter((e) => e.source === service).map((e) => e.target),
    ...proxies.filter((p) => p.edge.from === service).map((p) => p.edge.to),
  ]);
  const producer = callees(hop.source);
  return [...callees(hop.target)].filter((b) => producer.has(b) && types.get(b) !== 'service' && b !== hop.target).sort();
}

/** The physical edges of an async hop (see the module comment). */
export function hopEdges(snapshot: GraphSnapshot, hop: GraphEdge, proxies: readonly ManifestProxy[]): HopEdges {
  const byId = new Map(snapshot.edges.map((e) => [e.id, e] as const));
  const types = new Map(snapshot.nodes.map((n) => [n.id, n.type] as const));
  const edges: GraphEdge[] = [];
  const synthesized: PhysicalEdge[] = [];
  for (const broker of brokersOf(snapshot, hop, proxies)) {
    for (const side of [hop.source, hop.target]) {
      const id = `${side}->${broker}`;
      const known = byId.get(id);
      if (known) edges.push(known);
      else if (proxies.some((p) => proxyId(p) === id)) {
        // No spans of this side's broker calls: the hop's spans are the best
        // statistics of them (same count, latency and errors).
        const type = types.get(broker);
        const protocol = type === 'queue' ? 'messaging' : type === 'cache' || type === 'database' ? 'db' : hop.protocol;
        synthesized.push({ edge: { ...hop, id, source: side, target: broker, protocol, mode: 'async' }, carries: hop.id });
      }
    }
  }
  return { edges, synthesized };
}
