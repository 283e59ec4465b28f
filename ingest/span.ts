/**
 * The one normalised span model. Every wire format (OTLP JSON/protobuf,
 * Jaeger JSON and api/v3, Tempo) is converted into this shape inside
 * ingest/ and nothing outside ingest/ ever sees a wire format.
 *
 * Times are integer microseconds since the Unix epoch: OTLP's nanosecond
 * strings exceed Number.MAX_SAFE_INTEGER, while microseconds (≈1.7e15) stay
 * exact in a double and are Jaeger's native unit.
 */

/** OpenTelemetry SpanKind, lower-cased (OTLP `SPAN_KIND_*`, Jaeger `span.kind` tag). */
export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** OpenTelemetry status code; Jaeger's `error=true` tag maps to `error`. */
export type SpanStatus = 'unset' | 'ok' | 'error';

/**
 * The attributes that matter for building the interaction graph, lifted out
 * of the semantic-convention keys (old and new names both accepted by the
 * converters). Anything else is dropped at ingest so memory stays small.
 */
export interface SpanAttributes {
  /** `peer.service` */
  peerService?: string;
  /** `server.address` (or legacy `net.peer.name`, `peer.address` host part) */
  serverAddress?: string;
  /** `server.port` (or legacy `net.peer.port`) */
  serverPort?: number;
  /** `http.request.method` (or legacy `http.method`) */
  httpMethod?: string;
  /** `http.route` */
  httpRoute?: string;
  /** `http.response.status_code` (or legacy `http.status_code`, also when sent as a string) */
  httpStatusCode?: number;
  /** `url.full` / `http.url` / `url.path` / `http.target` — used when no route is present */
  urlPath?: string;
  /** `http.request.resend_count`: retries announced by the instrumentation itself */
  resendCount?: number;
  /** `rpc.system`, `rpc.service`, `rpc.method` */
  rpcSystem?: string;
  rpcService?: string;
  rpcMethod?: string;
  /** `db.system.name` (or legacy `db.system`, Jaeger `db.type`) */
  dbSystem?: string;
  /** `db.namespace` (or legacy `db.name`) */
  dbName?: string;
  /** `messaging.system` */
  messagingSystem?: string;
  /** `messaging.destination.name` (or legacy `messaging.destination`) */
  messagingDestination?: string;
  /** `error.type` */
  errorType?: string;
}

/** A link or a Jaeger FOLLOWS_FROM / cross-trace reference. */
export interface SpanLink {
  traceId: string;
  spanId: string;
}

/** One normalised span. */
export interface Span {
  /** Lower-case hex when the source id was hex or base64; other ids are kept verbatim. */
  traceId: string;
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  /** `service.name` of the emitting resource, or `unknown_service` (counted as a warning). */
  service: string;
  /** Span name / Jaeger operationName. */
  operation: string;
  kind: SpanKind;
  /** Start, integer microseconds since the Unix epoch. */
  startUs: number;
  /** Duration in microseconds (may be fractional when the source had nanoseconds). */
  durationUs: number;
  status: SpanStatus;
  attributes: SpanAttributes;
  /** OTLP links and Jaeger FOLLOWS_FROM references (used to pair producers and consumers). */
  links?: SpanLink[];
}

/** A time window for reading traces, in microseconds since the epoch (end exclusive). */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}
