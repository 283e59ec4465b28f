/**
 * Templating URL-path routes by observed cardinality. A segment without an
 * id-like shape (`/products/red-shoe`, `/users/alice`) is still a parameter
 * when, under one parent route, one position takes many values that each
 * carry little traffic: route names are few and hot, record names many and
 * cold. The decision is per scope (a service and method) and per parent
 * prefix, is remembered (routes arriving after a fold follow it), and is
 * conservative:
 *
 * - the first segment is never templated (`/healthz`, `/api`, `/metrics`
 *   sit side by side at the root of many services);
 * - fewer than {@link MIN_DISTINCT} distinct values are always kept;
 * - between that and {@link ALWAYS_DISTINCT} the values must be mostly
 *   unique (on average at most two calls each), so a dozen busy collections
 *   under `/api/v1` stay apart.
 */
import { isParamSegment } from './route.js';

/** Distinct values at one position below which it is never templated. */
export const MIN_DISTINCT = 10;

/** Distinct values at one position above which it is a parameter whatever the traffic. */
export const ALWAYS_DISTINCT = 50;

/** The parameter a templated position gets (the same as graph/route.ts collapses ids to). */
const PARAM = '{id}';

interface Trie {
  count: number;
  children: Map<string, Trie>;
}

/** Remembers which positions were templated, per scope and parent prefix. */
export class RouteCardinality {
  private readonly params = new Set<string>();

  /**
   * Decide on `routes` (route → calls) of one scope and return the routes
   * that change (route → template). Positions decided earlier stay templated.
   */
  fold(scope: string, routes: ReadonlyMap<string, number>): Map<string, string> {
    const root: Trie = { count: 0, children: new Map() };
    for (const [route, n] of routes) insert(root, route.split('/'), n);
    this.decide(scope, root, '', 0);
    const out = new Map<string, string>();
    for (const route of routes.keys()) {
      const t = this.apply(scope, route);
      if (t !== route) out.set(route, t);
    }
    return out;
  }

  private decide(scope: string, node: Trie, prefix: string, depth: number): void {
    const key = `${scope}\u0000${prefix}`;
    if (depth >= 1 && (this.params.has(key) || qualifies(node))) {
      this.params.add(key);
      const merged = node.children.get(PARAM) ?? { count: 0, children: new Map() };
      for (const [seg, child] of [...node.children]) {
        if (isParamSegment(seg)) continue;
        mergeInto(merged, child);
        node.children.delete(seg);
      }
      if (merged.count > 0 || merged.children.size > 0) node.children.set(PARAM, merged);
    }
    for (const [seg, child] of node.children) this.decide(scope, child, `${prefix}/${seg}`, depth + 1);
  }

  private apply(scope: string, route: string): string {
    const segs = route.split('/');
    let prefix = '';
    for (let i = 1; i < segs.length; i++) {
      if (i >= 2 && !isParamSegment(segs[i]) && this.params.has(`${scope}\u0000${prefix}`)) segs[i] = PARAM;
      prefix += `/${segs[i]}`;
    }
    return segs.join('/');
  }
}

/** Many distinct literal children, mostly unique or too many to be route names. */
function qualifies(node: Trie): boolean {
  let distinct = 0;
  let calls = 0;
  for (const [seg, child] of node.children) {
    if (isParamSegment(seg)) continue;
    distinct += 1;
    calls += child.count;
  }
  if (distinct >= ALWAYS_DISTINCT) return true;
  return distinct >= MIN_DISTINCT && distinct * 2 >= calls;
}

/** `segs` is a split route (`['', 'users', 'alice']`): the leading empty string is the root. */
function insert(root: Trie, segs: string[], n: number): void {
  let node = root;
  node.count += n;
  for (let i = 1; i < segs.length; i++) {
    let next = node.children.get(segs[i]);
    if (!next) node.children.set(segs[i], (next = { count: 0, children: new Map() }));
    next.count += n;
    node = next;
  }
}

function mergeInto(into: Trie, from: Trie): void {
  into.count += from.count;
  for (const [seg, child] of from.children) {
    const there = into.children.get(seg);
    if (there) mergeInto(there, child);
    else into.children.set(seg, child);
  }
}
