/**
 * Entrypoint routes. OpenTelemetry's `http.route` is the low-cardinality
 * template (`/orders/{id}`); when it is missing we fall back to the URL path
 * with id-like segments collapsed, so `/orders/123` and `/orders/456` group
 * together, and finally to the span name.
 */
import type { Span } from '../ingest/span.js';

const ID_SEGMENT = [
  /^\d+$/, // numeric ids
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUIDs
  /^(?=.*\d)[0-9a-f]{8,}$/i, // hex ids and hashes
  /^(?=.*\d)(?=.*[a-z])[\w-]{16,}$/i, // long opaque tokens mixing letters and digits
];

/** `/orders/123?x=1` → `/orders/{id}`; full URLs lose scheme and host. */
export function collapsePath(url: string): string {
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.split(/[?#]/)[0] || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  return path
    .split('/')
    .map((seg) => (ID_SEGMENT.some((re) => re.test(seg)) ? '{id}' : seg))
    .join('/');
}

/** The route an entrypoint span is grouped by. */
export function routeOf(span: Span): string {
  const a = span.attributes;
  if (a.httpRoute) return a.httpRoute;
  if (a.urlPath) return collapsePath(a.urlPath);
  if (a.rpcService && a.rpcMethod) return `${a.rpcService}/${a.rpcMethod}`;
  return span.operation;
}

/** The method an entrypoint span is grouped by (`-` when the protocol has none). */
export function methodOf(span: Span): string {
  const a = span.attributes;
  if (a.httpMethod) return a.httpMethod.toUpperCase();
  if (a.rpcSystem) return a.rpcSystem.toUpperCase();
  return '-';
}
