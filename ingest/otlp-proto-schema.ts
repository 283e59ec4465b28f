/**
 * The OTLP trace messages as a wire schema (proto-wire.ts): per message
 * type, how each field number is read. Field numbers and types are those of
 * the protobufjs SCHEMA in otlp-proto.ts (opentelemetry-proto
 * collector/trace/v1, trace/v1, resource/v1, common/v1), which protobufjs
 * reads by declared type whatever the wire type, so the reader does too.
 */
import { BYTES, FIXED32, FIXED64, MESSAGE as M, STRING, UNKNOWN, VARINT32, VARINT64, type WireSchema } from './proto-wire.js';

/** Message types (indexes into {@link OTLP_SCHEMA}). */
export const KEY_VALUE = 0, ANY_VALUE = 1, ARRAY_VALUE = 2, KV_LIST = 3, SCOPE = 4, EVENT = 5, LINK = 6, STATUS = 7,
  SPAN = 8, SCOPE_SPANS = 9, RESOURCE = 10, RESOURCE_SPANS = 11, REQUEST = 12;

/** Field kinds by field number, per message type. */
export const OTLP_SCHEMA: WireSchema = [
  /* KeyValue */ [UNKNOWN, STRING, M + ANY_VALUE],
  /* AnyValue */ [UNKNOWN, STRING, VARINT32, VARINT64, FIXED64, M + ARRAY_VALUE, M + KV_LIST, BYTES],
  /* ArrayValue */ [UNKNOWN, M + ANY_VALUE],
  /* KeyValueList */ [UNKNOWN, M + KEY_VALUE],
  /* InstrumentationScope */ [UNKNOWN, STRING, STRING, M + KEY_VALUE, VARINT32],
  /* Span.Event */ [UNKNOWN, FIXED64, STRING, M + KEY_VALUE, VARINT32],
  /* Span.Link */ [UNKNOWN, BYTES, BYTES, STRING, M + KEY_VALUE, VARINT32, FIXED32],
  /* Status (1 is reserved) */ [UNKNOWN, UNKNOWN, STRING, VARINT32],
  /* Span */ [
    UNKNOWN, BYTES, BYTES, STRING, BYTES, STRING, VARINT32, FIXED64, FIXED64, M + KEY_VALUE,
    VARINT32, M + EVENT, VARINT32, M + LINK, VARINT32, M + STATUS, FIXED32,
  ],
  /* ScopeSpans, and the pre-1.0 InstrumentationLibrarySpans */ [UNKNOWN, M + SCOPE, M + SPAN, STRING],
  /* Resource */ [UNKNOWN, M + KEY_VALUE, VARINT32],
  /* ResourceSpans, but for LIBRARY_SPANS */ [UNKNOWN, M + RESOURCE, M + SCOPE_SPANS, STRING],
  /* ExportTraceServiceRequest */ [UNKNOWN, M + RESOURCE_SPANS],
];

/** ResourceSpans.instrumentation_library_spans: the pre-1.0 scope_spans, same message shape. */
export const LIBRARY_SPANS = 1000;

/** How field `tag` (a whole tag: number and wire type) of message type `type` is read. */
export function fieldKind(type: number, tag: number): number {
  const fields = OTLP_SCHEMA[type];
  const n = tag >>> 3;
  return n < fields.length ? fields[n] : UNKNOWN;
}
