/**
 * Mapping the trace's entrypoints (`service METHOD /route`) to the manifest's
 * entrypoints (method + URL). A manifest entrypoint with `traceEntrypoint`
 * maps to exactly that id; otherwise the URL path is matched against the
 * route with its parameters (`{id}`, `:id`, `*`) as wildcards, and against
 * the manifest's own template placeholders (`{{int 1 100}}`).
 */
import type { GraphEntrypoint } from '../graph/model.js';
import type { ManifestEntrypoint } from './manifest.js';

/** Manifest entrypoint name → trace entrypoint ids it corresponds to. */
export type EntrypointMap = Map<string, string[]>;

/** Map every manifest entrypoint to the trace entrypoints it drives (possibly none). */
export function matchEntrypoints(manifest: readonly ManifestEntrypoint[], traced: readonly GraphEntrypoint[]): EntrypointMap {
  const map: EntrypointMap = new Map();
  for (const ep of manifest) {
    if (ep.traceEntrypoint !== undefined) {
      map.set(ep.name, traced.some((t) => t.id === ep.traceEntrypoint) ? [ep.traceEntrypoint] : []);
      continue;
    }
    const path = urlPath(ep.url);
    const method = ep.method.toUpperCase();
    map.set(ep.name, traced.filter((t) => t.method.toUpperCase() === method && routeMatches(t.route, path)).map((t) => t.id));
  }
  return map;
}

/** The path of a possibly templated URL, placeholders kept as `{{…}}`. */
function urlPath(url: string): string {
  const noScheme = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '');
  const path = noScheme.split(/[?#]/)[0];
  return path === '' ? '/' : path;
}

/** Route segments `{x}`, `:x`, `*` and URL segments `{{…}}` match any one segment. */
function routeMatches(route: string, path: string): boolean {
  const r = segments(route);
  const p = segments(path);
  if (r.length !== p.length) return false;
  return r.every((seg, i) => isParam(seg) || /^\{\{.*\}\}$/.test(p[i]) || seg === p[i]);
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function isParam(seg: string): boolean {
  return /^\{[^}]+\}$/.test(seg) || seg.startsWith(':') || seg === '*';
}
