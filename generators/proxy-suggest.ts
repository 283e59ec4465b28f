/**
 * Proxy definitions for the graph's edges, so a user can put every risky
 * call behind a proxy: manifest `proxies:` entries plus Toxiproxy's populate
 * JSON (`[{name, listen, upstream, enabled}]`, as `toxiproxy-cli`/`POST
 * /populate` take it).
 *
 * The upstream is always `host:port`: the address the traces show the
 * caller dialling (`server.address`/`server.port`), a service DNS name
 * before a pod IP, a bare host completed with its `db.system`'s or
 * broker's default port. What the traces cannot tell becomes a `TODO`
 * (listed in `todo`) that the manifest loader rejects by name, so a
 * placeholder never reaches a run. A proxy's own address is never an
 * upstream: traces recorded through proxies dialled their listen address,
 * whose upstream is the real callee.
 *
 * A logical async hop (producer → consumer, both services) gets no proxy of
 * its own: it travels over producer → broker and consumer → broker
 * (generators/async-hop.ts finds the broker), so those get the proxies, a
 * producer → broker one even when the graph shows only the hop. With no
 * broker in the graph, the address the producer dialled is the broker; with
 * neither, nothing is proposed. Every hop is listed in `logical` with what
 * carries it.
 */
import type { GraphEdge, GraphSnapshot } from '../graph/model.js';
import { canonicalSystem, hostOf } from '../graph/node-names.js';
import { sameAddress } from '../graph/proxy-edges.js';
import { brokersOf } from './async-hop.js';
import type { ProxySpec } from '../base/proxy-spec.js';
import type { ManifestProxy } from './manifest.js';
import { snake } from './snake-id.js';

/** Toxiproxy populate entry. */
export type ToxiproxyPopulate = Required<ProxySpec>;

/** Result of suggestProxies. */
export interface ProxySuggestion {
  proxies: ManifestProxy[];
  populate: ToxiproxyPopulate[];
  /** Proxy names whose upstream holds a TODO placeholder, with why. */
  todo: { proxy: string; edge: string; reason: string }[];
  /** Logical producer → consumer edges (never proxied themselves), with what carries them. */
  logical: { edge: string; reason: string }[];
}

/** Options of suggestProxies. */
export interface SuggestOptions {
  /** Host the proxies listen on (default 127.0.0.1). */
  listenHost?: string;
  /** First listen port; proxies get consecutive ports in edge id order (default 21000). */
  basePort?: number;
  /** Edges that already have a proxy are skipped (edge ids `a->b`). */
  skipEdges?: ReadonlySet<string>;
  /** Proxies that exist already (the manifest's): a traced address equal to one's listen means its upstream. */
  knownProxies?: readonly { listen: string; upstream: string }[];
}

/** Default ports of the `db.system` / `messaging.system` values (semconv spelling). */
const SYSTEM_PORTS: Record<string, number> = {
  postgresql: 5432, mysql: 3306, mssql: 1433, oracle: 1521, mongodb: 27017, redis: 6379, valkey: 6379,
  memcached: 11211, cassandra: 9042, elasticsearch: 9200, opensearch: 9200, couchdb: 5984, clickhouse: 9000,
  kafka: 9092, rabbitmq: 5672, nats: 4222, activemq: 61616, pulsar: 6650,
};

/** The placeholder port when nothing says which one: not a number, so no proxy starts with it. */
const TODO_PORT = 'TODO-port';

interface Planned {
  edge: GraphEdge;
  name: string;
  listen: string;
  addresses: string[];
  throughProxy: string[];
}

/** Suggest one proxy per edge, deterministically (edges sorted by id, names `caller_to_callee`). */
export function suggestProxies(snapshot: GraphSnapshot, opts: SuggestOptions = {}): ProxySuggestion {
  const host = opts.listenHost ?? '127.0.0.1';
  const base = opts.basePort ?? 21000;
  const known = opts.knownProxies ?? [];
  const types = new Map(snapshot.nodes.map((n) => [n.id, n] as const));
  const byId = new Map(snapshot.edges.map((e) => [e.id, e] as const));
  const result: ProxySuggestion = { proxies: [], populate: [], todo: [], logical: [] };
  const names = new Set<string>();
  const planned: Planned[] = [];
  const plan = (e: GraphEdge, label: string) => {
    // A traced address that is a known proxy's listen stands for that proxy's upstream.
    const throughProxy = e.serverAddresses.filter((a) => known.some((p) => sameAddress(a, p.listen)));
    const addresses = e.serverAddresses.map((a) => known.find((p) => sameAddress(a, p.listen))?.upstream ?? a);
    let name = `${snake(e.source)}_to_${snake(label)}`;
    for (let n = 2; names.has(name); n++) name = `${snake(e.source)}_to_${snake(label)}_${n}`;
    names.add(name);
    planned.push({ edge: e, name, listen: `${host}:${base + planned.length}`, addresses, throughProxy });
    return name;
  };
  for (const e of sortById([...snapshot.edges, ...producerSides(snapshot, byId)])) {
    if (opts.skipEdges?.has(e.id)) continue;
    if (!(e.mode === 'async' && isService(types.get(e.source)) && isService(types.get(e.target)))) {
      plan(e, e.target);
      continue;
    }
    const brokers = hopBrokers(snapshot, e);
    if (brokers.length > 0) {
      const via = brokers.flatMap((b) => [`${e.source}->${b}`, `${e.target}->${b}`]);
      result.logical.push({ edge: e.id, reason: `${e.id} is an async hand-off: its bytes travel ${via.join(', ')}, whose proxies carry it` });
    } else if (e.serverAddresses.length > 0) {
      const name = plan(e, hostOf(preferred(e.serverAddresses)!));
      result.logical.push({ edge: e.id, reason: `${e.id} is an async hand-off: ${e.source} dials the broker at ${preferred(e.serverAddresses)}, so proxy ${name} carries it` });
    } else {
      result.logical.push({
        edge: e.id,
        reason: `${e.id} is an async hand-off carried by ${e.source} → broker and ${e.target} → broker; the traces name no broker address: put a proxy on the broker connection`,
      });
    }
  }
  const listens = planned.map((p) => p.listen);
  for (const p of planned) {
    const e = p.edge;
    const own = p.addresses.filter((a) => listens.some((l) => sameAddress(a, l)));
    const usable = p.addresses.filter((a) => !own.includes(a));
    const system = types.get(e.target)?.system;
    const defaultPort = system === undefined ? undefined : SYSTEM_PORTS[canonicalSystem(system)];
    const chosen = preferred(usable);
    let upstream: string;
    if (chosen !== undefined && hasPort(chosen)) upstream = chosen;
    else if (chosen !== undefined) {
      upstream = `${chosen.includes(':') ? `[${chosen}]` : chosen}:${defaultPort ?? TODO_PORT}`;
      if (defaultPort === undefined) result.todo.push({ proxy: p.name, edge: e.id, reason: `the traces show ${e.id} dialling ${chosen} with no port: set upstream to ${chosen}'s real port` });
    } else {
      upstream = `TODO-${snake(e.target)}:${defaultPort ?? TODO_PORT}`;
      const why = own.length > 0 || p.throughProxy.length > 0
        ? `the traces were recorded through a proxy (${[...own, ...p.throughProxy].join(', ')}), which is no upstream`
        : `the traces show no server.address/server.port for ${e.id}`;
      result.todo.push({ proxy: p.name, edge: e.id, reason: `${why}: set upstream to ${e.target}'s real host${defaultPort === undefined ? ':port' : ` (default port ${defaultPort})`}` });
    }
    result.proxies.push({ name: p.name, listen: p.listen, upstream, edge: { from: e.source, to: e.target } });
    result.populate.push({ name: p.name, listen: p.listen, upstream, enabled: true });
  }
  return result;
}

/**
 * Producer → broker edges the graph lacks (a consumer answered the producer,
 * so no broker node was inferred from its span): the hop's statistics, the
 * consumer side's broker addresses.
 */
function producerSides(snapshot: GraphSnapshot, byId: Map<string, GraphEdge>): GraphEdge[] {
  const types = new Map(snapshot.nodes.map((n) => [n.id, n] as const));
  const out = new Map<string, GraphEdge>();
  for (const hop of snapshot.edges) {
    if (!(hop.mode === 'async' && isService(types.get(hop.source)) && isService(types.get(hop.target)))) continue;
    for (const b of hopBrokers(snapshot, hop)) {
      const id = `${hop.source}->${b}`;
      if (byId.has(id) || out.has(id)) continue;
      const consumerSide = byId.get(`${hop.target}->${b}`);
      out.set(id, { ...hop, id, target: b, serverAddresses: [...new Set([...hop.serverAddresses, ...(consumerSide?.serverAddresses ?? [])])].sort() });
    }
  }
  return [...out.values()];
}

/**
 * The brokers of an async hop: those both sides call (generators/async-hop.ts);
 * when the graph shows only the consumer side (a consumer answered the
 * producer, so no broker was inferred from its span), the consumer's queue
 * and cache dependencies, the places a consumer polls for work.
 */
function hopBrokers(snapshot: GraphSnapshot, hop: GraphEdge): string[] {
  const both = brokersOf(snapshot, hop, []);
  if (both.length > 0) return both;
  const types = new Map(snapshot.nodes.map((n) => [n.id, n.type] as const));
  return [...new Set(snapshot.edges.filter((e) => e.source === hop.target && (types.get(e.target) === 'queue' || types.get(e.target) === 'cache')).map((e) => e.target))].sort();
}

function sortById(edges: GraphEdge[]): GraphEdge[] {
  return edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function isService(n: GraphSnapshot['nodes'][number] | undefined): boolean {
  return n === undefined || n.type === 'service';
}

/** The address to dial: a DNS name before an IP (pods come and go), one with a port before one without, then by text. */
function preferred(addresses: readonly string[]): string | undefined {
  const rank = (a: string) => (isIp(hostOf(a)) ? 2 : 0) + (hasPort(a) ? 0 : 1);
  return [...new Set(addresses)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

function hasPort(address: string): boolean {
  return hostOf(address) !== address;
}

function isIp(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
