/**
 * Entrypoint routes. OpenTelemetry's `http.route` is the low-cardinality
 * template (`/orders/{id}`); when it is missing we fall back to the URL path
 * with id-like segments collapsed, so `/orders/123` and `/users/u-007` group
 * with their siblings, and finally to the span name. Segments that carry no
 * id-like shape but vary a lot per parent (slugs, user names) are templated
 * later, from observed cardinality (graph/route-cardinality.ts).
 */
import type { Span } from '../ingest/span.js';

/**
 * Segments that read as words even though they hold a digit: API versions
 * (`v1`, `v2.1`, `v1beta1`) and a word with a one- or two-digit suffix
 * (`oauth2`, `http2`, `base64`, `ipv6`). Everything else with a digit is an
 * id: people name routes with words, machines name records with numbers.
 */
const WORD_WITH_DIGITS = [
  /^v\d+(?:\.\d+)*(?:(?:alpha|beta|rc)\d*)?$/i,
  /^[a-z]{2,}\d{1,2}$/i,
];

/** Id shapes without a digit (UUIDs, ULIDs and hashes all but always hold one and fall under the digit rule). */
const ID_SHAPES = [
  /@|%40/, // e-mail addresses and @handles, raw or percent-encoded
];

/** A route parameter already: `{id}`, `:id`, `*`. Never templated again. */
export function isParamSegment(seg: string): boolean {
  return /^\{[^{}]+\}$/.test(seg) || /^:[A-Za-z_]/.test(seg) || seg === '*';
}

/**
 * True when a URL path segment is a record id rather than part of the route:
 * anything with a digit (`123`, `u-007`, `ord-12`, `2024-05-01`, UUIDs,
 * ULIDs, hex, hashes) except versions and words like `oauth2`; e-mails.
 */
export function isIdSegment(seg: string): boolean {
  if (seg === '' || isParamSegment(seg)) return false;
  if (/\d/.test(seg)) return !WORD_WITH_DIGITS.some((re) => re.test(seg));
  return ID_SHAPES.some((re) => re.test(seg));
}

/** `/orders/123?x=1` → `/orders/{id}`; full URLs lose scheme and host. */
export function collapsePath(url: string): string {
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  path = path.split(/[?#]/)[0] || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  return path
    .split('/')
    .map((seg) => (isIdSegment(seg) ? '{id}' : seg))
    .join('/');
}

/** Where an entrypoint's route came from: only URL paths are templated further by cardinality. */
export type RouteSource = 'route' | 'url' | 'name';

/** The route an entrypoint span is grouped by. */
export function routeOf(span: Span): string {
  const a = span.attributes;
  if (a.httpRoute) return a.httpRoute;
  if (a.urlPath) return collapsePath(a.urlPath);
  if (a.rpcService && a.rpcMethod) return `${a.rpcService}/${a.rpcMethod}`;
  return span.operation;
}

/** Which attribute {@link routeOf} used. */
export function routeSourceOf(span: Span): RouteSource {
  const a = span.attributes;
  if (a.httpRoute) return 'route';
  if (a.urlPath) return 'url';
  return 'name';
}

/** The method an entrypoint span is grouped by (`-` when the protocol has none). */
export function methodOf(span: Span): string {
  const a = span.attributes;
  if (a.httpMethod) return a.httpMethod.toUpperCase();
  if (a.rpcSystem) return a.rpcSystem.toUpperCase();
  return '-';
}
