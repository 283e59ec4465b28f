/**
 * Parsing and validating toxic JSON the way Toxiproxy's API does
 * (toxic_collection.go `AddToxicJson` / `UpdateToxicJson`): a missing stream
 * defaults to `downstream`, a missing toxicity to 1, a missing name to
 * `<type>_<stream>`; every attribute is an integer in Toxiproxy's units (ms,
 * KB/s, bytes, µs). Attribute names, defaults and bounds are the fault
 * table's (base/faults.ts). Toxiproxy's own toxics ignore unknown attribute
 * keys, as Toxiproxy's Go JSON decoding does; faultline's own toxics reject
 * them and values outside the table's bounds, since a misspelt `delay` on
 * http_delay would otherwise be injected as 0 ms and still look landed.
 * Pure: values in, values out, FaultlineErrors carrying Toxiproxy's messages
 * for bad input.
 */
import { fail } from '../../base/errors.js';
import { defaultAttributes, faultOf, isToxicType, type ToxicStream, type ToxicType } from '../../base/faults.js';
import type { ToxicSpec } from '../faults/fault-injector.js';

function badBody(reason: string, field: string): never {
  throw fail('BAD_INPUT', `bad request body: ${reason}`, { field });
}

function readAttributes(type: ToxicType, raw: unknown, base: Record<string, number>): Record<string, number> {
  if (raw === undefined || raw === null) return { ...base };
  if (typeof raw !== 'object' || Array.isArray(raw)) badBody('attributes must be an object', 'attributes');
  const def = faultOf(type);
  const given = raw as Record<string, unknown>;
  if (def.faultlineOnly) {
    const unknown = Object.keys(given).find((k) => !Object.prototype.hasOwnProperty.call(def.attributes, k));
    if (unknown !== undefined) {
      const names = Object.keys(def.attributes).join(', ') || 'none';
      badBody(`${type} has no attribute ${JSON.stringify(unknown)} (it takes ${names})`, `attributes.${unknown}`);
    }
  }
  const out = { ...base };
  for (const [key, a] of Object.entries(def.attributes)) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      badBody(`attribute ${key} must be a non-negative number, got ${JSON.stringify(v)}`, `attributes.${key}`);
    }
    // Toxiproxy accepts any size for its own toxics; faultline's own hold to the table.
    if (def.faultlineOnly && (v < a.min || v > a.max)) {
      badBody(`attribute ${key} must be between ${a.min} and ${a.max} (${a.unit}), got ${v}`, `attributes.${key}`);
    }
    out[key] = Math.floor(v);
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

/**
 * Longest `ttl_ms` the proxy accepts (on toxics and on disabling a proxy):
 * a day, far longer than any fault phase. Node fires a timer set above
 * 2^31−1 ms after 1 ms, so an unbounded TTL would silently mean "now".
 */
export const MAX_TTL_MS = 86_400_000;

/**
 * faultline's `ttl_ms`: an integer number of milliseconds from 1 to
 * MAX_TTL_MS; absent, null or 0 means no TTL. Anything else is BAD_INPUT
 * naming the field and the maximum: a fraction that would round to 0 (no
 * TTL at all) or a value a timer cannot hold must never be taken as
 * something else than what was asked.
 */
export function readTtl(raw: unknown, dflt: number | undefined): number | undefined {
  if (raw === undefined || raw === null) return dflt;
  if (raw === 0) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_TTL_MS) {
    badBody(`ttl_ms must be a whole number of milliseconds from 1 to ${MAX_TTL_MS} (24 h), or 0 for none, got ${JSON.stringify(raw)}`, 'ttl_ms');
  }
  return raw;
}

/** Parse the body of `POST /proxies/{p}/toxics` into a full spec (defaults applied). */
export function parseNewToxic(body: unknown): ToxicSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badBody('expected a JSON object', '');
  const b = body as Record<string, unknown>;
  if (b.name !== undefined && typeof b.name !== 'string') badBody('name must be a string', 'name');
  if (b.type !== undefined && typeof b.type !== 'string') badBody('type must be a string', 'type');
  const type = b.type;
  // Per-request toxics parse requests, which only travel client→server: their one stream is the default.
  const only = isToxicType(type) ? faultOf(type).stream : undefined;
  const streamRaw = b.stream ?? only ?? 'downstream';
  if (streamRaw !== 'upstream' && streamRaw !== 'downstream') {
    throw fail('BAD_INPUT', 'stream was invalid, can be either upstream or downstream', { field: 'stream' });
  }
  const stream: ToxicStream = streamRaw;
  if (!isToxicType(type)) throw fail('BAD_INPUT', 'invalid toxic type', { field: 'type', type });
  if (only !== undefined && stream !== only) {
    badBody(`${type} acts on requests and needs stream ${only}`, 'stream');
  }
  const name = typeof b.name === 'string' && b.name !== '' ? b.name : `${type}_${stream}`;
  const spec: ToxicSpec = {
    name,
    type,
    stream,
    toxicity: readToxicity(b.toxicity, 1),
    attributes: readAttributes(type, b.attributes, defaultAttributes(type)),
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
