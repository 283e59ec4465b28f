/**
 * Proxy definitions for the graph's edges, so a user can put every risky
 * call behind a proxy: manifest `proxies:` entries plus Toxiproxy's populate
 * JSON (`[{name, listen, upstream, enabled}]`, as `toxiproxy-cli`/`POST
 * /populate` take it). An edge whose server address the traces show
 * (`server.address`/`server.port`) gets it as upstream; one without gets a
 * TODO upstream, listed in `todo`, for the user to fill in.
 */
import type { GraphSnapshot } from '../graph/model.js';
import type { ProxySpec } from '../runners/faults/fault-injector.js';
import type { ManifestProxy } from './manifest.js';
import { snake } from './snake-id.js';

/** Toxiproxy populate entry. */
export type ToxiproxyPopulate = Required<ProxySpec>;

/** Result of suggestProxies. */
export interface ProxySuggestion {
  proxies: ManifestProxy[];
  populate: ToxiproxyPopulate[];
  /** Proxy names whose upstream is a TODO placeholder, with why. */
  todo: { proxy: string; edge: string; reason: string }[];
}

/** Options of suggestProxies. */
export interface SuggestOptions {
  /** Host the proxies listen on (default 127.0.0.1). */
  listenHost?: string;
  /** First listen port; edges get consecutive ports in id order (default 21000). */
  basePort?: number;
  /** Edges that already have a proxy are skipped (edge ids `a->b`). */
  skipEdges?: ReadonlySet<string>;
}

/** Suggest one proxy per edge, deterministically (edges sorted by id, names `caller_to_callee`). */
export function suggestProxies(snapshot: GraphSnapshot, opts: SuggestOptions = {}): ProxySuggestion {
  const host = opts.listenHost ?? '127.0.0.1';
  const base = opts.basePort ?? 21000;
  const edges = [...snapshot.edges].filter((e) => !opts.skipEdges?.has(e.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const names = new Set<string>();
  const result: ProxySuggestion = { proxies: [], populate: [], todo: [] };
  edges.forEach((e, i) => {
    let name = `${snake(e.source)}_to_${snake(e.target)}`;
    for (let n = 2; names.has(name); n++) name = `${snake(e.source)}_to_${snake(e.target)}_${n}`;
    names.add(name);
    const known = [...e.serverAddresses].sort()[0];
    const upstream = known ?? `TODO-${snake(e.target)}:0`;
    if (known === undefined) {
      result.todo.push({ proxy: name, edge: e.id, reason: `the traces show no server.address/server.port for ${e.id}: set upstream to ${e.target}'s real host:port` });
    }
    const listen = `${host}:${base + i}`;
    result.proxies.push({ name, listen, upstream, edge: { from: e.source, to: e.target } });
    result.populate.push({ name, listen, upstream, enabled: true });
  });
  return result;
}
