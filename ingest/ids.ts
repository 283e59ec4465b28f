/**
 * Trace and span id normalisation. OTLP JSON carries ids as hex (the spec
 * says case-insensitive), Tempo's v1 JSON (gogo jsonpb) as base64, protobuf
 * as raw bytes and Jaeger sometimes as arbitrary strings (`span-1`). The Span
 * model wants lower-case hex whenever the source was hex or base64 and the
 * verbatim string otherwise.
 */

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Lower-case hex of raw id bytes; `undefined` for an empty id (OTLP: "no parent"). */
export function hexOfBytes(bytes: ArrayLike<number>): string | undefined {
  const n = bytes.length;
  if (n === 0) return undefined;
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[bytes[i] & 0xff];
  return s;
}

/** 0 = not hex, 1 = lower-case hex, 2 = hex with upper-case letters. */
function hexKind(s: string): 0 | 1 | 2 {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) { upper = true; continue; }
    return 0;
  }
  return upper ? 2 : 1;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Normalise an id found in a JSON document. Hex (any case) → lower-case hex;
 * base64 of 8 or 16 bytes (12 or 24 chars — lengths no hex trace/span id
 * has) → hex; anything else verbatim. Empty or non-string → `undefined`.
 */
export function normaliseId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const n = raw.length;
  if (n === 0) return undefined;
  // Without upper-case letters an id is returned as is, hex or not, unless
  // its length could be base64's; the native case check is several times
  // cheaper than classifying every character (ids are most of a span's text).
  if (n !== 24 && n !== 12 && raw.toLowerCase() === raw) return raw;
  const k = hexKind(raw);
  if (k === 1) return raw;
  if (k === 2) return raw.toLowerCase();
  if ((raw.length === 24 || raw.length === 12) && BASE64.test(raw)) {
    return hexOfBytes(Buffer.from(raw, 'base64'));
  }
  return raw;
}

/** Jaeger ids: hex (any case) → lower-case hex, anything else verbatim (`span-1`). */
export function normaliseHexId(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0) return undefined;
  if (raw.toLowerCase() === raw) return raw; // nothing to lower-case (see normaliseId)
  const k = hexKind(raw);
  return k === 2 ? raw.toLowerCase() : raw;
}

/** Normalise an id that may be bytes (protobuf) or a string (JSON). */
export function normaliseAnyId(raw: unknown): string | undefined {
  if (typeof raw === 'string') return normaliseId(raw);
  // protobufjs hands out Buffers under Node: their native hex encoder is the fast path.
  if (Buffer.isBuffer(raw)) return raw.length === 0 ? undefined : raw.toString('hex');
  if (raw instanceof Uint8Array || Array.isArray(raw)) return hexOfBytes(raw as ArrayLike<number>);
  return undefined;
}

/** Same id bytes or string (content equality; never across kinds). */
function sameRaw(a: unknown, b: unknown): boolean {
  if (typeof a === 'string') return a === b;
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Memo of the last id normalised within one document. Consecutive spans
 * mostly share their trace id, so the run shares one string: less for the
 * trace window to retain, a pointer comparison downstream, and for protobuf
 * bytes no hex encoding. Create one per document: cached bytes may alias the
 * caller's input buffer, which is only stable while that document is read.
 */
export class IdMemo {
  private raw: unknown = undefined;
  private id: string | undefined = undefined;

  constructor(private readonly normalise: (raw: unknown) => string | undefined) {}

  /** `normalise(raw)`, reusing the previous result when `raw` is the same id. */
  get(raw: unknown): string | undefined {
    if (this.id !== undefined && sameRaw(raw, this.raw)) return this.id;
    const id = this.normalise(raw);
    this.raw = raw;
    this.id = id;
    return id;
  }
}
