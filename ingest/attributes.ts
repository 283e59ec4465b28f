/**
 * Semantic-convention attribute mapping shared by every converter: the few
 * keys the interaction graph needs are lifted into SpanAttributes, under
 * both their current and their legacy names (OpenTelemetry semantic
 * conventions, HTTP/DB/messaging migrations); everything else is dropped at
 * ingest so memory stays small.
 *
 * Precedence: a current name always wins; a legacy name only fills a field
 * that is still empty — so the order in which a span lists them is irrelevant.
 */
import type { SpanAttributes } from './span.js';
import { pooled } from './string-pool.js';

type Field = keyof SpanAttributes;
type ValueKind = 'string' | 'int' | 'path' | 'host';

/** Where one mapped attribute key lands (opaque to callers; from {@link attributeRule}). */
export interface Rule {
  field: Field;
  /** 0 = current name (overwrites), 1 = legacy name (fills only when empty). */
  legacy: 0 | 1;
  kind: ValueKind;
}

const rule = (field: Field, legacy: 0 | 1, kind: ValueKind = 'string'): Rule => ({ field, legacy, kind });

/** Attribute key → where it lands. */
const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['peer.service', rule('peerService', 0)],
  ['server.address', rule('serverAddress', 0)],
  ['net.peer.name', rule('serverAddress', 1)],
  ['peer.address', rule('serverAddress', 1, 'host')],
  ['server.port', rule('serverPort', 0, 'int')],
  ['net.peer.port', rule('serverPort', 1, 'int')],
  ['http.request.method', rule('httpMethod', 0)],
  ['http.method', rule('httpMethod', 1)],
  ['http.route', rule('httpRoute', 0)],
  ['http.response.status_code', rule('httpStatusCode', 0, 'int')],
  ['http.status_code', rule('httpStatusCode', 1, 'int')],
  ['url.path', rule('urlPath', 0, 'path')],
  ['http.target', rule('urlPath', 1, 'path')],
  ['url.full', rule('urlPath', 1, 'path')],
  ['http.url', rule('urlPath', 1, 'path')],
  ['http.request.resend_count', rule('resendCount', 0, 'int')],
  ['rpc.system', rule('rpcSystem', 0)],
  ['rpc.service', rule('rpcService', 0)],
  ['rpc.method', rule('rpcMethod', 0)],
  ['db.system.name', rule('dbSystem', 0)],
  ['db.system', rule('dbSystem', 1)],
  ['db.type', rule('dbSystem', 1)],
  ['db.namespace', rule('dbName', 0)],
  ['db.name', rule('dbName', 1)],
  ['messaging.system', rule('messagingSystem', 0)],
  ['messaging.destination.name', rule('messagingDestination', 0)],
  ['messaging.destination', rule('messagingDestination', 1)],
  ['error.type', rule('errorType', 0)],
]);

/** True when `key` is one of the mapped semantic-convention keys (check before decoding a value). */
export function isMappedAttribute(key: string): boolean {
  return attributeRule(key) !== undefined;
}

/**
 * The rule for `key`, or undefined when the key is not mapped. Converters
 * look the key up once with this and then call {@link applyRule}, instead of
 * {@link isMappedAttribute} followed by {@link applyAttribute} (two lookups).
 */
export function attributeRule(key: string): Rule | undefined {
  const bucket = BY_LENGTH[key.length];
  if (bucket !== undefined) for (let i = 0; i < bucket.length; i += 2) if (bucket[i] === key) return bucket[i + 1] as Rule;
  return undefined;
}

/**
 * The rules bucketed by key length, as flat [key, rule, key, rule, …] lists.
 * Keys arrive as fresh strings from each parsed document, so a Map lookup
 * hashes every one of them; most keys a span carries are not mapped, and a
 * length check plus at most four comparisons (which fail on the first
 * differing character) rejects them without reading the whole key.
 */
const BY_LENGTH: (string | Rule)[][] = [];
for (const [key, r] of RULES) (BY_LENGTH[key.length] ??= []).push(key, r);

/**
 * Apply one attribute to `attrs`. `value` is the already-decoded primitive
 * (int64 values arrive as strings from JSON encodings); values of the wrong
 * shape are ignored rather than stored wrongly.
 */
export function applyAttribute(attrs: SpanAttributes, key: string, value: unknown): void {
  const r = attributeRule(key);
  if (r !== undefined) applyRule(attrs, r, value);
}

/** {@link applyAttribute} with the rule already looked up. */
export function applyRule(attrs: SpanAttributes, r: Rule, value: unknown): void {
  if (value === undefined || value === null) return;
  if (r.legacy === 1 && attrs[r.field] !== undefined) return;
  let v: string | number | undefined;
  switch (r.kind) {
    case 'int':
      v = toInt(value);
      break;
    case 'path':
      // Paths carry ids (`/orders/8412`): too many distinct values to pool.
      v = typeof value === 'string' ? pathOf(value) : undefined;
      break;
    case 'host':
      v = typeof value === 'string' ? pooled(hostOf(value)) : undefined;
      break;
    default:
      v = typeof value === 'string' ? pooled(value) : typeof value === 'number' || typeof value === 'boolean' ? pooled(String(value)) : undefined;
  }
  if (v === undefined || v === '') return;
  (attrs as Record<string, string | number>)[r.field] = v;
}

function toInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** `/a/b` from `http://h:1/a/b?q=1`, `/a/b?q` or `/a/b`; query and fragment dropped. */
function pathOf(raw: string): string | undefined {
  let s = raw;
  const scheme = s.indexOf('://');
  if (scheme >= 0) {
    const slash = s.indexOf('/', scheme + 3);
    s = slash < 0 ? '/' : s.slice(slash);
  }
  const q = s.search(/[?#]/);
  if (q >= 0) s = s.slice(0, q);
  return s === '' ? undefined : s;
}

/** Host part of `peer.address` (`10.0.0.1`, `db:5432`, `[::1]:80`). */
function hostOf(raw: string): string {
  if (raw.startsWith('[')) {
    const end = raw.indexOf(']');
    return end > 0 ? raw.slice(1, end) : raw;
  }
  const colon = raw.indexOf(':');
  return colon >= 0 && raw.indexOf(':', colon + 1) < 0 ? raw.slice(0, colon) : raw;
}
