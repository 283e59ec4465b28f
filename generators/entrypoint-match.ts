/**
 * Mapping the trace's entrypoints (`service METHOD /route`) to the manifest's
 * entrypoints (method + URL template). A manifest entrypoint with
 * `traceEntrypoint` maps to exactly that id; otherwise the URL path is
 * matched to each traced route segment by segment:
 *
 * - a route parameter (`{id}`, `:id`, `*`) matches any segment;
 * - a URL segment holding a placeholder (`u-{{int 10 99}}`) stands for a
 *   parameter, so it matches a parameter or a route segment with a
 *   parameter inside (`u-{id}`) whose fixed text agrees, never a literal
 *   (`/users/{{int 1 9}}` must not tie to a traced `/users/me`);
 * - a literal URL segment matches the same literal, or a route segment with
 *   a parameter inside that can produce it (`report.json` ~ `{name}.json`).
 *
 * When routes of several services match (`GET /health` everywhere), the
 * URL's host narrows them to the service it names, if the traces know that
 * name (the service, a `peer.service` or an address its callers dialled).
 *
 * An entrypoint that matches nothing leaves its claims uncovered, so
 * {@link explainUnmatched} says why, as data a plan can print.
 */
import type { GraphEntrypoint, GraphSnapshot } from '../graph/model.js';
import { hostOf, resolveNode } from '../graph/node-names.js';
import type { ManifestEntrypoint } from './manifest.js';

/** Manifest entrypoint name → trace entrypoint ids it corresponds to. */
export type EntrypointMap = Map<string, string[]>;

/** Why a manifest entrypoint matched no traced entrypoint. */
export interface EntrypointMismatch {
  /** The manifest entrypoint's name. */
  entrypoint: string;
  method: string;
  /** The URL's path, placeholders kept. */
  path: string;
  /** One sentence naming the closest traced route and where it differs. */
  reason: string;
  /** Up to {@link MAX_CLOSEST} traced entrypoints, closest first, with the first differing segment (1-based) or method. */
  closest: { id: string; method?: string; segment?: number; expected?: string; traced?: string }[];
}

const MAX_CLOSEST = 3;

/** The traced services a URL host (`billing`, `10.0.0.7:8443`) names; empty when the traces do not know it. */
export type HostResolver = (host: string) => readonly string[];

/** A resolver over a graph's node names (graph/node-names.ts); node types (`database`) are not hosts. */
export function hostResolver(snapshot: Pick<GraphSnapshot, 'nodes' | 'edges'>): HostResolver {
  return (host) => resolveNode(snapshot, host).filter((m) => m.how !== 'type').map((m) => m.id);
}

/** Map every manifest entrypoint to the trace entrypoints it drives (possibly none). */
export function matchEntrypoints(manifest: readonly ManifestEntrypoint[], traced: readonly GraphEntrypoint[], resolveHost?: HostResolver): EntrypointMap {
  const map: EntrypointMap = new Map();
  for (const ep of manifest) {
    if (ep.traceEntrypoint !== undefined) {
      map.set(ep.name, traced.some((t) => t.id === ep.traceEntrypoint) ? [ep.traceEntrypoint] : []);
      continue;
    }
    const path = segments(urlPath(ep.url));
    const method = ep.method.toUpperCase();
    const hits = traced.filter((t) => t.method.toUpperCase() === method && firstDifference(segments(t.route), path) === undefined);
    map.set(ep.name, narrowByHost(hits, urlHost(ep.url), resolveHost).map((t) => t.id));
  }
  return map;
}

/** The matches on the service the URL's host names, when there are any; otherwise all of them. */
function narrowByHost(hits: GraphEntrypoint[], host: string | undefined, resolve: HostResolver | undefined): GraphEntrypoint[] {
  if (resolve === undefined || host === undefined || new Set(hits.map((t) => t.service)).size < 2) return hits;
  const named = new Set([...resolve(host), ...resolve(hostOf(host))]);
  const mine = hits.filter((t) => named.has(t.service));
  return mine.length > 0 ? mine : hits;
}

/** `host[:port]` of an absolute URL, without user info; undefined for a relative one. */
function urlHost(url: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  const authority = m?.[1].split('@').at(-1);
  return authority === undefined || authority === '' ? undefined : authority;
}

/** For each manifest entrypoint that maps to nothing: why, with the closest traced routes. */
export function explainUnmatched(manifest: readonly ManifestEntrypoint[], traced: readonly GraphEntrypoint[], map: EntrypointMap = matchEntrypoints(manifest, traced)): EntrypointMismatch[] {
  const out: EntrypointMismatch[] = [];
  for (const ep of manifest) {
    if ((map.get(ep.name) ?? []).length > 0) continue;
    const method = ep.method.toUpperCase();
    const path = urlPath(ep.url);
    const url = segments(path);
    const ranked = traced
      .map((t) => {
        const route = segments(t.route);
        const at = firstDifference(route, url);
        const agree = at ?? Math.max(route.length, url.length);
        return { t, at, agree, sameMethod: t.method.toUpperCase() === method, lenGap: Math.abs(route.length - url.length), route };
      })
      .sort((a, b) => b.agree - a.agree || Number(b.sameMethod) - Number(a.sameMethod) || a.lenGap - b.lenGap || (a.t.id < b.t.id ? -1 : a.t.id > b.t.id ? 1 : 0))
      .slice(0, MAX_CLOSEST);
    const closest = ranked.map((r) => {
      const c: EntrypointMismatch['closest'][number] = { id: r.t.id };
      if (!r.sameMethod) c.method = r.t.method;
      if (r.at !== undefined) Object.assign(c, { segment: r.at + 1, expected: url[r.at] ?? '(end)', traced: r.route[r.at] ?? '(end)' });
      return c;
    });
    const head = ep.traceEntrypoint !== undefined
      ? `traceEntrypoint ${JSON.stringify(ep.traceEntrypoint)} is not a traced entrypoint`
      : `${method} ${path} matches no traced route`;
    const best = ranked[0];
    const tail = best === undefined ? 'the traces hold no entrypoints' : `closest: ${best.t.method} ${best.t.route} (${differences(method, closest[0])})`;
    out.push({ entrypoint: ep.name, method, path, reason: `${head}; ${tail}`, closest });
  }
  return out;
}

function differences(method: string, c: EntrypointMismatch['closest'][number]): string {
  const parts: string[] = [];
  if (c.method !== undefined) parts.push(`method ${method} vs ${c.method}`);
  if (c.segment !== undefined) parts.push(`segment ${c.segment}: ${JSON.stringify(c.expected)} vs ${JSON.stringify(c.traced)}`);
  return parts.join('; ') || 'same route';
}

/** Index of the first segment where the route and the URL path disagree (or one ends), undefined when they match. */
function firstDifference(route: string[], url: string[]): number | undefined {
  const n = Math.min(route.length, url.length);
  for (let i = 0; i < n; i++) if (!segmentMatches(route[i], url[i])) return i;
  return route.length === url.length ? undefined : n;
}

/** The path of a possibly templated URL, placeholders kept as `{{…}}`. */
function urlPath(url: string): string {
  const noScheme = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '');
  const path = noScheme.split(/[?#]/)[0];
  return path === '' ? '/' : path;
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

const PLACEHOLDER = /\{\{.*?\}\}/g;
const ROUTE_PARAM = /\{[^{}]+\}/g;
const HAS_ROUTE_PARAM = /\{[^{}]+\}/;

function isParam(seg: string): boolean {
  return /^\{[^{}]+\}$/.test(seg) || seg.startsWith(':') || seg === '*';
}

function segmentMatches(route: string, url: string): boolean {
  if (isParam(route)) return true;
  const routeHasParam = HAS_ROUTE_PARAM.test(route);
  if (url.includes('{{')) return routeHasParam && fixedTextAgrees(route.split(ROUTE_PARAM), url.split(PLACEHOLDER));
  if (!routeHasParam) return route === url;
  const re = new RegExp(`^${route.split(ROUTE_PARAM).map(escape).join('[^/]+?')}$`);
  return re.test(url);
}

/** Both sides' text before the first and after the last parameter agree (one is a prefix / suffix of the other). */
function fixedTextAgrees(route: string[], url: string[]): boolean {
  const [rp, up, rs, us] = [route[0], url[0], route[route.length - 1], url[url.length - 1]];
  return (rp.startsWith(up) || up.startsWith(rp)) && (rs.endsWith(us) || us.endsWith(rs));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
