/**
 * The names people use for a graph node, and resolving them. A database
 * becomes the node `postgresql:kitchen` (db.system plus db.namespace), yet a
 * manifest says `postgres`, `pg`, `db:5432` or `database`; a Kubernetes
 * service is `reviews.bookinfo` and a manifest says `reviews`. Proxies'
 * edge endpoints and claims' `degraded:` scopes all resolve through
 * {@link resolveNode}, so "which node is meant" has one answer.
 */
import type { GraphNode, GraphSnapshot } from './model.js';

/** How a name matched a node, best first. */
export type NameMatch = 'id' | 'service' | 'system' | 'peer-service' | 'address' | 'type';

/** One node a name resolves to. */
export interface NodeMatch {
  id: string;
  how: NameMatch;
}

/** Spellings of `db.system` / `messaging.system` values people write, lower case → the semconv value. */
const SYSTEM_SPELLINGS: Record<string, string> = {
  postgres: 'postgresql', pg: 'postgresql', pgsql: 'postgresql', psql: 'postgresql',
  mongo: 'mongodb', mariadb: 'mysql', sqlserver: 'mssql', 'sql-server': 'mssql',
  elastic: 'elasticsearch', es: 'elasticsearch', rabbit: 'rabbitmq', memcache: 'memcached',
};

/** Names for node types people write beside the type itself. */
const TYPE_SPELLINGS: Record<string, string> = { db: 'database', broker: 'queue', topic: 'queue' };

/** At most this many aliases are kept per node. */
const MAX_ALIASES = 50;

/** `postgres` → `postgresql`; unknown names are returned lower-cased. */
export function canonicalSystem(name: string): string {
  const lower = name.toLowerCase();
  return SYSTEM_SPELLINGS[lower] ?? lower;
}

/** The host of `host:port`, `[v6]:port` or a bare host. */
export function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (v6) return v6[1];
  const i = address.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(address.slice(i + 1)) && address.indexOf(':') === i ? address.slice(0, i) : address;
}

/** What the callers of one node showed about it (the builder's edge statistics fit). */
export interface CallerView {
  addresses: ReadonlySet<string>;
  peerServices: ReadonlySet<string>;
}

/**
 * The aliases of a node from its system and what its callers' spans said:
 * `peer.service`, and each dialled `host:port` with its host. The id itself
 * is not repeated. Sorted and capped.
 */
export function aliasesOf(id: string, system: string | undefined, callers: Iterable<CallerView>): string[] {
  const out = new Set<string>();
  if (system !== undefined) out.add(system);
  for (const c of callers) {
    for (const p of c.peerServices) out.add(p);
    for (const a of c.addresses) {
      out.add(a);
      out.add(hostOf(a));
    }
  }
  out.delete(id);
  return [...out].sort().slice(0, MAX_ALIASES);
}

/**
 * The nodes `name` means, best tier only: the node id (exact, then any
 * case); a service's short name (`reviews` → `reviews.bookinfo`) or a
 * longer DNS name of it; its `db.system` in any common spelling, a
 * `peer.service`, or a host / `host:port` callers dialled; finally a node
 * type (`database`, `cache`, `queue`, `external`, `service`, or `db`).
 * Empty when nothing matches. `edges`, when given, tell dialled addresses
 * apart from `peer.service` names in `how`.
 */
export function resolveNode(snapshot: Pick<GraphSnapshot, 'nodes'> & Partial<Pick<GraphSnapshot, 'edges'>>, name: string): NodeMatch[] {
  const q = name.trim();
  const lower = q.toLowerCase();
  const nodes = snapshot.nodes;
  let hits = nodes.filter((n) => n.id === q);
  if (hits.length === 0) hits = nodes.filter((n) => n.id.toLowerCase() === lower);
  if (hits.length > 0) return hits.map((n) => ({ id: n.id, how: 'id' }));

  hits = nodes.filter((n) => n.type === 'service' && isShortOrLongName(n.id.toLowerCase(), lower));
  if (hits.length > 0) return hits.map((n) => ({ id: n.id, how: 'service' }));

  const system = canonicalSystem(lower);
  const aliased: NodeMatch[] = [];
  for (const n of nodes) {
    const how = aliasMatch(n, lower, system, snapshot.edges);
    if (how !== undefined) aliased.push({ id: n.id, how });
  }
  if (aliased.length > 0) return aliased;

  const type = TYPE_SPELLINGS[lower] ?? lower;
  return nodes.filter((n) => n.type === type).map((n) => ({ id: n.id, how: 'type' }));
}

/** `reviews` for `reviews.bookinfo`, or `reviews.bookinfo.svc.cluster.local` for it. */
function isShortOrLongName(id: string, q: string): boolean {
  return id.startsWith(`${q}.`) || q.startsWith(`${id}.`);
}

function aliasMatch(n: GraphNode, lower: string, system: string, edges: GraphSnapshot['edges'] | undefined): NameMatch | undefined {
  if (n.system !== undefined && canonicalSystem(n.system) === system) return 'system';
  const aliases = n.aliases ?? [];
  if (!aliases.some((a) => a.toLowerCase() === lower)) return undefined;
  if (edges === undefined) return 'peer-service';
  const dialled = edges.some((e) => e.target === n.id && e.serverAddresses.some((a) => a.toLowerCase() === lower || hostOf(a).toLowerCase() === lower));
  return dialled ? 'address' : 'peer-service';
}
