/**
 * Normalised spans back to OTLP JSON (an ExportTraceServiceRequest), so
 * spans faultline received can be saved as a trace file every reader here
 * takes: `faultline collect` writes one request per line (OTLP JSON lines),
 * which ingest/format.ts detects and `graph`/`plan` read back. Only what
 * the span model keeps is written (attributes under their current semantic
 * convention keys), so reading a written line gives the same spans.
 */
import type { Span, SpanAttributes, SpanKind, SpanStatus } from './span.js';

const KIND_CODES: Record<SpanKind, number> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS_CODES: Record<SpanStatus, number> = { unset: 0, ok: 1, error: 2 };

/** Span model field → the semantic-convention key it is written under. */
const KEYS: Record<keyof SpanAttributes, string> = {
  peerService: 'peer.service',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatusCode: 'http.response.status_code',
  urlPath: 'url.path',
  resendCount: 'http.request.resend_count',
  rpcSystem: 'rpc.system',
  rpcService: 'rpc.service',
  rpcMethod: 'rpc.method',
  dbSystem: 'db.system.name',
  dbName: 'db.namespace',
  messagingSystem: 'messaging.system',
  messagingDestination: 'messaging.destination.name',
  errorType: 'error.type',
};

type KeyValue = { key: string; value: { stringValue: string } | { intValue: string } };

/** One OTLP JSON export request holding `spans`, grouped by service into resources. */
export function toOtlpJson(spans: readonly Span[]): { resourceSpans: unknown[] } {
  const byService = new Map<string, unknown[]>();
  for (const s of spans) {
    let list = byService.get(s.service);
    if (!list) byService.set(s.service, (list = []));
    list.push(encodeSpan(s));
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'faultline' }, spans: list }],
    })),
  };
}

function encodeSpan(s: Span): Record<string, unknown> {
  // Times as nanosecond decimal strings (proto3 JSON int64); BigInt keeps them exact past 2^53.
  const startNs = BigInt(Math.round(s.startUs)) * 1000n;
  const out: Record<string, unknown> = {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.operation,
    kind: KIND_CODES[s.kind],
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + BigInt(Math.round(s.durationUs * 1000))),
    attributes: attributesOf(s.attributes),
    status: { code: STATUS_CODES[s.status] },
  };
  if (s.links?.length) out.links = s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId }));
  return out;
}

function attributesOf(a: SpanAttributes): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [field, key] of Object.entries(KEYS) as [keyof SpanAttributes, string][]) {
    const v = a[field];
    if (v === undefined) continue;
    out.push({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
  }
  return out;
}
