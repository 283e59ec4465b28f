/**
 * Parsing and validating toxic JSON the way Toxiproxy's API does
 * (toxic_collection.go `AddToxicJson` / `UpdateToxicJson`): a missing stream
 * defaults to `downstream`, a missing toxicity to 1, a missing name to
 * `<type>_<stream>`; unknown attribute keys are ignored; every attribute is an
 * integer in Toxiproxy's units (ms, KB/s, bytes, µs). Pure: values in, values
 * out, FaultlineErrors carrying Toxiproxy's messages for bad input.
 */
import { fail } from '../../base/errors.js';
import type { ToxicSpec, ToxicStream, ToxicType } from '../faults/fault-injector.js';

/** Attribute names and defaults (Go zero values) per toxic type. */
export const TOXIC_ATTRIBUTES: Readonly<Record<ToxicType, Readonly<Record<string, number>>>> = {
  latency: { latency: 0, jitter: 0 },
  bandwidth: { rate: 0 },
  slow_close: { delay: 0 },
  timeout: { timeout: 0 },
  reset_peer: { timeout: 0 },
  slicer: { average_size: 0, size_variation: 0, delay: 0 },
  limit_data: { bytes: 0 },
  noop: {},
  // faultline extensions: answer a request with `status` / delay it by `latency` ± `jitter` ms.
  http_error: { status: 503 },
  http_delay: { latency: 0, jitter: 0 },
};

/** Toxics that act per HTTP request (toxicity = fraction of requests) on the client→server stream. */
export function isHttpToxic(type: ToxicType): boolean {
  return type === 'http_error' || type === 'http_delay';
}

function isToxicType(v: unknown): v is ToxicType {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(TOXIC_ATTRIBUTES, v);
}

function badBody(reason: string, field: string): never {
  throw fail('BAD_INPUT', `bad request body: ${reason}`, { field });
}

function readAttributes(type: ToxicType, raw: unknown, base: Record<string, number>): Record<string, number> {
  if (raw === undefined || raw === null) return { ...base };
  if (typeof raw !== 'object' || Array.isArray(raw)) badBody('attributes must be an object', 'attributes');
  const out = { ...base };
  for (const key of Object.keys(TOXIC_ATTRIBUTES[type])) {
    const v = (raw as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      badBody(`attribute ${key} must be a non-negative number, got ${JSON.stringify(v)}`, `attributes.${key}`);
    }
    out[key] = Math.floor(v);
  }
  if (type === 'http_error' && (out.status < 100 || out.status > 599)) {
    badBody(`attribute status must be an HTTP status between 100 and 599, got ${out.status}`, 'attributes.status');
  }
  return out;
}

function readToxicity(raw: unknown, dflt: number): number {
  if (raw === undefined) return dflt;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 1) {
    badBody(`toxicity must be a number between 0 and 1, got ${JSON.stringify(raw)}`, 'toxicity');
  }
  return raw;
}

/** faultline's `ttl_ms` (on toxics and on disabling a proxy): undefined when absent or 0, BAD_INPUT when not a non-negative number. */
export function readTtl(raw: unknown, dflt: number | undefined): number | undefined {
  if (raw === undefined || raw === null) return dflt;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
    badBody(`ttl_ms must be a non-negative number of milliseconds, got ${JSON.stringify(raw)}`, 'ttl_ms');
  }
  return raw === 0 ? undefined : Math.floor(raw);
}

/** Parse the body of `POST /proxies/{p}/toxics` into a full spec (defaults applied). */
export function parseNewToxic(body: unknown): ToxicSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badBody('expected a JSON object', '');
  const b = body as Record<string, unknown>;
  if (b.name !== undefined && typeof b.name !== 'string') badBody('name must be a string', 'name');
  if (b.type !== undefined && typeof b.type !== 'string') badBody('type must be a string', 'type');
  const type = b.type;
  // http_* toxics parse requests, which only travel client→server, so they default to upstream.
  const streamRaw = b.stream ?? (isToxicType(type) && isHttpToxic(type) ? 'upstream' : 'downstream');
  if (streamRaw !== 'upstream' && streamRaw !== 'downstream') {
    throw fail('BAD_INPUT', 'stream was invalid, can be either upstream or downstream', { field: 'stream' });
  }
  const stream: ToxicStream = streamRaw;
  if (!isToxicType(type)) throw fail('BAD_INPUT', 'invalid toxic type', { field: 'type', type });
  if (isHttpToxic(type) && stream !== 'upstream') {
    badBody(`${type} acts on requests and needs stream upstream`, 'stream');
  }
  const name = typeof b.name === 'string' && b.name !== '' ? b.name : `${type}_${stream}`;
  const spec: ToxicSpec = {
    name,
    type,
    stream,
    toxicity: readToxicity(b.toxicity, 1),
    attributes: readAttributes(type, b.attributes, TOXIC_ATTRIBUTES[type]),
  };
  const ttl = readTtl(b.ttl_ms, undefined);
  if (ttl !== undefined) spec.ttlMs = ttl;
  return spec;
}

/**
 * Apply the body of `POST|PATCH /proxies/{p}/toxics/{t}`: only attributes,
 * toxicity (and faultline's ttl_ms) change; name, type and stream are fixed.
 */
export function applyToxicUpdate(current: ToxicSpec, body: unknown): ToxicSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badBody('expected a JSON object', '');
  const b = body as Record<string, unknown>;
  const next: ToxicSpec = {
    ...current,
    toxicity: readToxicity(b.toxicity, current.toxicity),
    attributes: readAttributes(current.type, b.attributes, current.attributes),
  };
  const ttl = readTtl(b.ttl_ms, current.ttlMs);
  if (ttl === undefined) delete next.ttlMs;
  else next.ttlMs = ttl;
  return next;
}

/** The toxic as Toxiproxy's API prints it (plus `ttl_ms` when faultline's TTL is set). */
export function toxicJson(spec: ToxicSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { ...spec.attributes },
    name: spec.name,
    type: spec.type,
    stream: spec.stream,
    toxicity: spec.toxicity,
  };
  if (spec.ttlMs !== undefined) out.ttl_ms = spec.ttlMs;
  return out;
}
