/**
 * Format detection from content (never from the file extension) and the
 * one entry point that turns any supported document into Spans.
 */
import { gunzipSync } from 'node:zlib';
import { fail, FaultlineError } from '../base/errors.js';
import { isJaegerEnvelope, isJaegerTrace, spansFromJaegerJson } from './jaeger-json.js';
import { describeShape, otlpResourceSpans, spansFromOtlpJson } from './otlp-json.js';
import { decodeOtlpProto, spansFromOtlpProto } from './otlp-proto.js';
import type { Span } from './span.js';
import { isTempoSearch, spansFromTempoTrace, tempoBatches } from './tempo-json.js';
import type { IngestWarnings } from './warnings.js';

/** A supported trace document format. */
export type TraceFormat =
  | 'otlp-json'
  /** One OTLP JSON export per line (the OpenTelemetry Collector file exporter). */
  | 'otlp-jsonl'
  | 'otlp-protobuf'
  | 'jaeger-apiv3'
  | 'jaeger-json'
  | 'jaeger-trace'
  | 'tempo-v1'
  | 'tempo-v2';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** True for gzip data (RFC 1952 magic bytes 1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzip when the magic bytes say gzip; a broken stream is a TRACE_FORMAT error. */
export function maybeGunzip(bytes: Uint8Array): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw fail('TRACE_FORMAT', `corrupt or truncated gzip data: ${(err as Error).message}`, { reason: 'gzip' }, err);
  }
}

/** First non-whitespace byte (skipping a UTF-8 BOM), or -1. */
function firstSignificant(bytes: Uint8Array): number {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

/**
 * Parse JSON text; a syntax error becomes TRACE_FORMAT with the byte offset
 * (`truncated JSON at byte N` when the input ended early), in `details.byte`.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const truncated = /end of (JSON )?input|Unterminated/i.test(msg);
    const at = pos ? Number(pos[1]) : truncated ? Buffer.byteLength(text) : 0;
    const byte = pos ? Buffer.byteLength(text.slice(0, at)) : at;
    throw fail('TRACE_FORMAT', `${truncated ? 'truncated' : 'invalid'} JSON at byte ${byte}`, { byte, truncated }, err);
  }
}

/** The format of an already-parsed JSON document. */
export function detectJsonFormat(doc: unknown): TraceFormat {
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    const d = doc as Record<string, unknown>;
    if (Array.isArray(d.resourceSpans)) return 'otlp-json';
    if ('result' in d && otlpResourceSpans(d) !== undefined) return 'jaeger-apiv3';
    if (Array.isArray(d.batches)) return 'tempo-v1';
    if (tempoBatches(d) !== undefined) return 'tempo-v2';
    if (isJaegerEnvelope(d)) return 'jaeger-json';
    if (isJaegerTrace(d)) return 'jaeger-trace';
    if (isTempoSearch(d)) throw unsupported('a Tempo search response (trace ids only, no spans)');
  }
  if (Array.isArray(doc) && doc.length > 0 && typeof doc[0] === 'object' && doc[0] !== null && 'callCount' in doc[0]) {
    throw unsupported('Jaeger /api/dependencies data (service links, not spans)');
  }
  throw unsupported(describeShape(doc));
}

function unsupported(seen: string): FaultlineError {
  return fail(
    'TRACE_FORMAT',
    `unrecognised trace document: saw ${seen}; expected OTLP JSON/protobuf, Jaeger JSON or api/v3, or Tempo trace JSON`,
    { seen },
  );
}

interface Parsed {
  format: TraceFormat;
  /** Parsed JSON (one element per line for otlp-jsonl) or the raw protobuf bytes. */
  doc: unknown;
}

function textOf(input: Uint8Array | string): string {
  return typeof input === 'string' ? input : decoder.decode(input);
}

function parse(input: Uint8Array | string): Parsed {
  const bytes = typeof input === 'string' ? undefined : maybeGunzip(input);
  const first = bytes ? firstSignificant(bytes) : input.toString().trimStart().charCodeAt(0);
  if (bytes && bytes.length === 0) throw fail('TRACE_FORMAT', 'empty document', { seen: 'empty' });
  if (first === 0x7b /* { */ || first === 0x5b /* [ */ || typeof input === 'string') {
    const text = textOf(bytes ?? input);
    if (text.trim() === '') throw fail('TRACE_FORMAT', 'empty document', { seen: 'empty' });
    let doc: unknown;
    try {
      doc = parseJsonText(text);
    } catch (err) {
      const lines = jsonLines(text);
      if (lines === undefined) throw err;
      return { format: 'otlp-jsonl', doc: lines };
    }
    return { format: detectJsonFormat(doc), doc };
  }
  // Binary: an ExportTraceServiceRequest starts with field 1, wire type 2 (0x0a).
  if (bytes![0] !== 0x0a) {
    throw fail('TRACE_FORMAT', `unrecognised trace document: binary data starting 0x${bytes![0].toString(16).padStart(2, '0')} is not JSON or OTLP protobuf`, { seen: 'binary' });
  }
  // Validated when read: spansFromOtlpProto throws TRACE_FORMAT for bytes
  // that are not an ExportTraceServiceRequest, so decoding here too would
  // read every protobuf file twice.
  return { format: 'otlp-protobuf', doc: bytes };
}

/** OTLP JSON lines, or undefined when the text is not one JSON export per line. */
function jsonLines(text: string): unknown[] | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return undefined;
  try {
    const docs = lines.map((l) => JSON.parse(l) as unknown);
    return docs.every((d) => otlpResourceSpans(d) !== undefined) ? docs : undefined;
  } catch {
    return undefined;
  }
}

/** Detect the format of a document (bytes may be gzip). Throws TRACE_FORMAT naming what was seen. */
export function detectFormat(bytes: Uint8Array | string): TraceFormat {
  const { format, doc } = parse(bytes);
  if (format === 'otlp-protobuf') decodeOtlpProto(doc as Uint8Array);
  return format;
}

/** Spans of a parsed JSON document of a known format. */
export function spansFromParsed(format: TraceFormat, doc: unknown, warnings: IngestWarnings): Span[] {
  switch (format) {
    case 'otlp-json':
    case 'jaeger-apiv3':
      return spansFromOtlpJson(doc, warnings);
    case 'otlp-jsonl': {
      const out: Span[] = [];
      for (const d of doc as unknown[]) for (const s of spansFromOtlpJson(d, warnings)) out.push(s);
      return out;
    }
    case 'otlp-protobuf':
      return spansFromOtlpProto(doc as Uint8Array, warnings);
    case 'jaeger-json':
    case 'jaeger-trace':
      return spansFromJaegerJson(doc, warnings);
    case 'tempo-v1':
    case 'tempo-v2':
      return spansFromTempoTrace(doc, warnings);
  }
}

/** Detect and convert any supported document (JSON text or bytes, protobuf, gzip of either). */
export function spansFromDocument(bytes: Uint8Array | string, warnings: IngestWarnings): Span[] {
  const { format, doc } = parse(bytes);
  return spansFromParsed(format, doc, warnings);
}
