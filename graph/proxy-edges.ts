/**
 * Which traced edge a proxy carries. A proxy declares `edge: {from, to}` in
 * the names its author uses (graph/node-names.ts resolves them); failing
 * that, the address the caller dialled says it: the proxy's `upstream`
 * when the traces were recorded without the proxy, its `listen` when they
 * were recorded through it. A proxy that matches nothing is reported with
 * the reason and the nearest traced edges, never dropped silently.
 */
import type { GraphSnapshot } from './model.js';
import { hostOf, resolveNode } from './node-names.js';

/** The parts of a proxy definition (manifest `proxies:`) matching needs. */
export interface ProxyLike {
  name: string;
  listen: string;
  upstream: string;
  edge: { from: string; to: string };
}

/** The edges a proxy carries, or why none. */
export interface ProxyEdgeMatch {
  proxy: string;
  /** Traced edge ids, sorted; empty when the proxy matches none. */
  edges: string[];
  /** How they matched: by the edge's names, or by the address the caller dialled. */
  how?: 'names' | 'address';
  /** Why nothing matched (set only when `edges` is empty). */
  reason?: string;
  /** The nearest traced edges (only when `edges` is empty), best first, at most {@link MAX_CANDIDATES}. */
  candidates: string[];
}

const MAX_CANDIDATES = 5;

/** Listen hosts meaning "every interface": a caller reaches them under any host name. */
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

/** Names of this machine's loopback interface: one host however it is written. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/** Match one proxy to the traced edges it carries. */
export function matchProxyEdges(snapshot: Pick<GraphSnapshot, 'nodes' | 'edges'>, proxy: ProxyLike): ProxyEdgeMatch {
  const from = new Set(resolveNode(snapshot, proxy.edge.from).map((m) => m.id));
  const to = new Set(resolveNode(snapshot, proxy.edge.to).map((m) => m.id));
  const byNames = snapshot.edges.filter((e) => from.has(e.source) && to.has(e.target)).map((e) => e.id).sort();
  if (byNames.length > 0) return { proxy: proxy.name, edges: byNames, how: 'names', candidates: [] };
  const byAddress = snapshot.edges
    .filter((e) => (from.size === 0 || from.has(e.source)) && e.serverAddresses.some((a) => sameAddress(a, proxy.upstream) || sameAddress(a, proxy.listen)))
    .map((e) => e.id)
    .sort();
  if (byAddress.length > 0) return { proxy: proxy.name, edges: byAddress, how: 'address', candidates: [] };

  const { from: f, to: t } = proxy.edge;
  let reason: string;
  let near: string[];
  if (from.size === 0 && to.size === 0) {
    reason = `neither "${f}" nor "${t}" names a node of the traced graph`;
    near = [];
  } else if (from.size === 0) {
    reason = `"${f}" names no node of the traced graph`;
    near = snapshot.edges.filter((e) => to.has(e.target)).map((e) => e.id);
  } else if (to.size === 0) {
    reason = `"${t}" names no node of the traced graph`;
    near = snapshot.edges.filter((e) => from.has(e.source)).map((e) => e.id);
  } else {
    reason = `the traces show no call from ${[...from].join(' or ')} to ${[...to].join(' or ')}`;
    near = snapshot.edges.filter((e) => from.has(e.source) || to.has(e.target)).map((e) => e.id);
  }
  reason += `, and no traced call dialled its upstream ${proxy.upstream} or listen ${proxy.listen}`;
  const wanted = `${f}->${t}`.toLowerCase();
  const pool = near.length > 0 ? near : snapshot.edges.map((e) => e.id);
  const candidates = pool
    .map((id) => ({ id, d: near.length > 0 ? 0 : distance(id.toLowerCase(), wanted) }))
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, MAX_CANDIDATES)
    .map((c) => c.id);
  return { proxy: proxy.name, edges: [], reason, candidates };
}

/** The proxies that carry no traced edge, each with why and the nearest candidates. */
export function unmatchedProxies(snapshot: Pick<GraphSnapshot, 'nodes' | 'edges'>, proxies: readonly ProxyLike[]): ProxyEdgeMatch[] {
  return proxies.map((p) => matchProxyEdges(snapshot, p)).filter((m) => m.edges.length === 0);
}

/** A traced `host:port` equals a proxy address, a wildcard listen host matching any host on that port. */
export function sameAddress(traced: string, configured: string): boolean {
  if (traced.toLowerCase() === configured.toLowerCase()) return true;
  const port = /:(\d+)$/.exec(configured)?.[1];
  if (port === undefined || !traced.endsWith(`:${port}`)) return false;
  const host = configured.slice(0, configured.length - port.length - 1);
  if (WILDCARD_HOSTS.has(host)) return true;
  const a = hostOf(traced).toLowerCase();
  const b = hostOf(configured).toLowerCase();
  return a === b || (LOOPBACK.has(a) && LOOPBACK.has(b));
}

/** Levenshtein distance (ids are short; only used to rank candidates when no endpoint resolved). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}
