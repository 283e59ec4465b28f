/**
 * Binary OTLP (protobuf) ExportTraceServiceRequest, with protobufjs and the
 * subset of opentelemetry-proto defined below (field numbers from
 * opentelemetry/proto/{trace,common,resource}/v1 and
 * collector/trace/v1/trace_service.proto): encoders, the OTLP/HTTP response
 * bodies and the bare decode (the ingest benchmark's baseline). Spans are
 * read straight from the bytes by otlp-proto-reader.ts, which gives what the
 * one OTLP walker gives for the decoded message; its wire schema
 * (otlp-proto-schema.ts) mirrors SCHEMA below, so change both together.
 */
import protobuf from 'protobufjs';
import { fail } from '../base/errors.js';
import { readOtlpProtoSpans } from './otlp-proto-reader.js';
import type { Span } from './span.js';
import type { IngestWarnings } from './warnings.js';

const f = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });

const kv = { fields: { key: f('string', 1), value: f('AnyValue', 2) } };

/** The opentelemetry-proto subset as protobufjs JSON descriptors. */
const SCHEMA = {
  nested: {
    otlp: {
      nested: {
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: f('string', 1),
            boolValue: f('bool', 2),
            intValue: f('int64', 3),
            doubleValue: f('double', 4),
            arrayValue: f('ArrayValue', 5),
            kvlistValue: f('KeyValueList', 6),
            bytesValue: f('bytes', 7),
          },
        },
        ArrayValue: { fields: { values: f('AnyValue', 1, 'repeated') } },
        KeyValueList: { fields: { values: f('KeyValue', 1, 'repeated') } },
        KeyValue: kv,
        InstrumentationScope: {
          fields: { name: f('string', 1), version: f('string', 2), attributes: f('KeyValue', 3, 'repeated'), droppedAttributesCount: f('uint32', 4) },
        },
        Resource: { fields: { attributes: f('KeyValue', 1, 'repeated'), droppedAttributesCount: f('uint32', 2) } },
        SpanKind: {
          values: {
            SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2,
            SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
          },
        },
        StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } },
        // Field 1 is reserved (the deprecated `deprecated_code`).
        Status: { fields: { message: f('string', 2), code: f('StatusCode', 3) } },
        Event: {
          fields: { timeUnixNano: f('fixed64', 1), name: f('string', 2), attributes: f('KeyValue', 3, 'repeated'), droppedAttributesCount: f('uint32', 4) },
        },
        Link: {
          fields: {
            traceId: f('bytes', 1), spanId: f('bytes', 2), traceState: f('string', 3),
            attributes: f('KeyValue', 4, 'repeated'), droppedAttributesCount: f('uint32', 5), flags: f('fixed32', 6),
          },
        },
        Span: {
          fields: {
            traceId: f('bytes', 1), spanId: f('bytes', 2), traceState: f('string', 3), parentSpanId: f('bytes', 4),
            flags: f('fixed32', 16), name: f('string', 5), kind: f('SpanKind', 6),
            startTimeUnixNano: f('fixed64', 7), endTimeUnixNano: f('fixed64', 8),
            attributes: f('KeyValue', 9, 'repeated'), droppedAttributesCount: f('uint32', 10),
            events: f('Event', 11, 'repeated'), droppedEventsCount: f('uint32', 12),
            links: f('Link', 13, 'repeated'), droppedLinksCount: f('uint32', 14), status: f('Status', 15),
          },
        },
        ScopeSpans: { fields: { scope: f('InstrumentationScope', 1), spans: f('Span', 2, 'repeated'), schemaUrl: f('string', 3) } },
        // Pre-1.0 name of ScopeSpans, still sent by old SDKs as ResourceSpans field 1000.
        InstrumentationLibrarySpans: {
          fields: { instrumentationLibrary: f('InstrumentationScope', 1), spans: f('Span', 2, 'repeated'), schemaUrl: f('string', 3) },
        },
        ResourceSpans: {
          fields: {
            resource: f('Resource', 1), scopeSpans: f('ScopeSpans', 2, 'repeated'), schemaUrl: f('string', 3),
            instrumentationLibrarySpans: f('InstrumentationLibrarySpans', 1000, 'repeated'),
          },
        },
        ExportTraceServiceRequest: { fields: { resourceSpans: f('ResourceSpans', 1, 'repeated') } },
        ExportTracePartialSuccess: { fields: { rejectedSpans: f('int64', 1), errorMessage: f('string', 2) } },
        ExportTraceServiceResponse: { fields: { partialSuccess: f('ExportTracePartialSuccess', 1) } },
        // google.rpc.Status, the body of OTLP/HTTP protobuf error responses.
        Any: { fields: { typeUrl: f('string', 1), value: f('bytes', 2) } },
        RpcStatus: { fields: { code: f('int32', 1), message: f('string', 2), details: f('Any', 3, 'repeated') } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(SCHEMA);
const RequestType = root.lookupType('otlp.ExportTraceServiceRequest');
const ResponseType = root.lookupType('otlp.ExportTraceServiceResponse');
const RpcStatusType = root.lookupType('otlp.RpcStatus');

/** Bare decode of an ExportTraceServiceRequest (the benchmark's baseline). Throws TRACE_FORMAT on bad bytes. */
export function decodeOtlpProto(bytes: Uint8Array): unknown {
  try {
    return RequestType.decode(bytes);
  } catch (err) {
    throw fail('TRACE_FORMAT', `not an OTLP protobuf ExportTraceServiceRequest: ${(err as Error).message}`, { bytes: bytes.length }, err);
  }
}

/**
 * Spans of a binary ExportTraceServiceRequest, read straight from the wire
 * format (otlp-proto-reader.ts; same result as collectOtlpSpans over
 * {@link decodeOtlpProto}, without building message objects). Throws
 * TRACE_FORMAT only when the bytes cannot be decoded.
 */
export function spansFromOtlpProto(bytes: Uint8Array, warnings: IngestWarnings): Span[] {
  const out: Span[] = [];
  readOtlpProtoSpans(bytes, warnings, out);
  return out;
}

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP JSON ids are hex while protobufjs' fromObject expects base64 for bytes: convert before encoding. */
function hexIdsToBytes(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => hexIdsToBytes(x));
  if (typeof v === 'string' && key !== undefined && ID_KEYS.has(key)) return Buffer.from(v, 'hex');
  if (typeof v !== 'object' || v === null) return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = hexIdsToBytes(x, k);
  return o;
}

/** Encode an OTLP JSON document (hex ids, string nanos, enum ints or names) as a binary ExportTraceServiceRequest. For tests, bench and demo. */
export function encodeOtlpProto(doc: unknown): Uint8Array {
  const unwrapped = typeof doc === 'object' && doc !== null && 'result' in doc ? (doc as { result: unknown }).result : doc;
  const msg = RequestType.fromObject(hexIdsToBytes(unwrapped) as Record<string, unknown>);
  return RequestType.encode(msg).finish();
}

/** Encode an ExportTraceServiceResponse (empty = full success; OTLP/HTTP partial success otherwise). */
export function encodeExportResponse(partial?: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  const msg = ResponseType.fromObject(partial ? { partialSuccess: partial } : {});
  return ResponseType.encode(msg).finish();
}

/** Decode an ExportTraceServiceResponse into `{partialSuccess?: {rejectedSpans, errorMessage}}`. */
export function decodeExportResponse(bytes: Uint8Array): { partialSuccess?: { rejectedSpans: number; errorMessage: string } } {
  return ResponseType.toObject(ResponseType.decode(bytes), { longs: Number, defaults: false }) as never;
}

/** Encode a google.rpc.Status (OTLP/HTTP error body for protobuf requests). */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return RpcStatusType.encode(RpcStatusType.fromObject({ code, message })).finish();
}

/** Decode a google.rpc.Status body. */
export function decodeRpcStatus(bytes: Uint8Array): { code?: number; message?: string } {
  return RpcStatusType.toObject(RpcStatusType.decode(bytes), { defaults: false }) as never;
}
