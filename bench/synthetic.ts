/**
 * Realistic synthetic traces for the benchmarks: ~10 services of a web
 * shop, ~10 spans per trace (gateway → frontend → orders → payments /
 * inventory / users, a Postgres query, a Redis lookup, a Kafka hand-off to
 * a notifier), log-normal-ish latencies and ~1% errors. Deterministic: the
 * same seed gives the same spans. Produced as normalised Spans and as the
 * wire formats (OTLP JSON, Jaeger JSON) the ingest converters read.
 */
import type { Span, SpanAttributes, SpanKind } from '../ingest/span.js';
import { seededRng } from '../runners/workload/rng.js';

/** A seeded generator's uniform draws, so every run sees the same sequence. */
function rng(seed: number): () => number {
  return seededRng(seed).next;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

interface Step {
  service: string;
  kind: SpanKind;
  name: string;
  parent: number; // index into the trace's spans, -1 for the root
  attributes: SpanAttributes;
  baseMs: number;
}

/** One trace template: 10 spans, 8 services + 3 inferred dependencies. */
const CHECKOUT: Step[] = [
  { service: 'gateway', kind: 'server', name: 'POST /checkout', parent: -1, attributes: { httpMethod: 'POST', httpRoute: '/checkout' }, baseMs: 120 },
  { service: 'gateway', kind: 'client', name: 'POST', parent: 0, attributes: { httpMethod: 'POST', serverAddress: 'orders', serverPort: 8080 }, baseMs: 110 },
  { service: 'orders', kind: 'server', name: 'POST /orders', parent: 1, attributes: { httpMethod: 'POST', httpRoute: '/orders' }, baseMs: 105 },
  { service: 'orders', kind: 'client', name: 'SELECT orders', parent: 2, attributes: { dbSystem: 'postgresql', dbName: 'orders' }, baseMs: 8 },
  { service: 'orders', kind: 'client', name: 'GET', parent: 2, attributes: { dbSystem: 'redis' }, baseMs: 1 },
  { service: 'orders', kind: 'client', name: 'POST', parent: 2, attributes: { httpMethod: 'POST', serverAddress: 'payments', serverPort: 8080 }, baseMs: 60 },
  { service: 'payments', kind: 'server', name: 'POST /charge', parent: 5, attributes: { httpMethod: 'POST', httpRoute: '/charge' }, baseMs: 55 },
  { service: 'payments', kind: 'client', name: 'POST', parent: 6, attributes: { httpMethod: 'POST', peerService: 'card-gateway', serverAddress: 'api.cards.example', serverPort: 443 }, baseMs: 45 },
  { service: 'orders', kind: 'producer', name: 'order-events publish', parent: 2, attributes: { messagingSystem: 'kafka', messagingDestination: 'order-events' }, baseMs: 2 },
  { service: 'notifier', kind: 'consumer', name: 'order-events process', parent: 8, attributes: { messagingSystem: 'kafka', messagingDestination: 'order-events' }, baseMs: 15 },
];

/** A second template so entrypoints and edges vary: 10 spans. */
const BROWSE: Step[] = [
  { service: 'gateway', kind: 'server', name: 'GET /products/{id}', parent: -1, attributes: { httpMethod: 'GET', httpRoute: '/products/{id}' }, baseMs: 40 },
  { service: 'gateway', kind: 'client', name: 'GET', parent: 0, attributes: { httpMethod: 'GET' }, baseMs: 35 },
  { service: 'catalog', kind: 'server', name: 'GET /products/{id}', parent: 1, attributes: { httpMethod: 'GET', httpRoute: '/products/{id}' }, baseMs: 32 },
  { service: 'catalog', kind: 'client', name: 'GET', parent: 2, attributes: { dbSystem: 'redis' }, baseMs: 1 },
  { service: 'catalog', kind: 'client', name: 'GET', parent: 2, attributes: { httpMethod: 'GET' }, baseMs: 12 },
  { service: 'inventory', kind: 'server', name: 'GET /stock/{id}', parent: 4, attributes: { httpMethod: 'GET', httpRoute: '/stock/{id}' }, baseMs: 10 },
  { service: 'inventory', kind: 'client', name: 'SELECT stock', parent: 5, attributes: { dbSystem: 'postgresql', dbName: 'inventory' }, baseMs: 4 },
  { service: 'catalog', kind: 'client', name: 'GET', parent: 2, attributes: { httpMethod: 'GET' }, baseMs: 9 },
  { service: 'reviews', kind: 'server', name: 'GET /reviews/{id}', parent: 7, attributes: { httpMethod: 'GET', httpRoute: '/reviews/{id}' }, baseMs: 8 },
  { service: 'reviews', kind: 'client', name: 'GET', parent: 8, attributes: { httpMethod: 'GET', peerService: 'users' }, baseMs: 3 },
];

/** Services emitting spans across both templates (gateway, orders, payments, notifier, catalog, inventory, reviews) plus users/card-gateway as callees. */
export const TEMPLATES = [CHECKOUT, BROWSE];

/** Generate `traces` traces (≈10 spans each) as Span batches of about `batchSpans` spans. */
export function* syntheticBatches(traces: number, batchSpans = 5000, seed = 42): Generator<Span[]> {
  const rand = rng(seed);
  let batch: Span[] = [];
  const t0 = 1_700_000_000_000_000;
  for (let t = 0; t < traces; t++) {
    const template = TEMPLATES[rand() < 0.6 ? 0 : 1];
    const traceId = hex(t, 32);
    const startUs = t0 + t * 1000;
    const ids: string[] = [];
    const fail = rand() < 0.01;
    for (let i = 0; i < template.length; i++) {
      const step = template[i];
      const spanId = hex(t * 16 + i + 1, 16);
      ids.push(spanId);
      const jitter = Math.exp((rand() - 0.5) * 1.2);
      const span: Span = {
        traceId,
        spanId,
        service: step.service,
        operation: step.name,
        kind: step.kind,
        startUs: startUs + i * 100,
        durationUs: Math.round(step.baseMs * jitter * 1000),
        status: fail && i === template.length - 3 ? 'error' : 'unset',
        attributes: { ...step.attributes },
      };
      if (step.parent >= 0) span.parentSpanId = ids[step.parent];
      batch.push(span);
    }
    if (batch.length >= batchSpans) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const KIND_NUM: Record<SpanKind, number> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function otlpAttributes(a: SpanAttributes): { key: string; value: Record<string, unknown> }[] {
  const out: { key: string; value: Record<string, unknown> }[] = [];
  const s = (key: string, v: string | undefined) => v !== undefined && out.push({ key, value: { stringValue: v } });
  const i = (key: string, v: number | undefined) => v !== undefined && out.push({ key, value: { intValue: String(v) } });
  s('http.request.method', a.httpMethod);
  s('http.route', a.httpRoute);
  s('server.address', a.serverAddress);
  i('server.port', a.serverPort);
  s('peer.service', a.peerService);
  s('db.system.name', a.dbSystem);
  s('db.namespace', a.dbName);
  s('messaging.system', a.messagingSystem);
  s('messaging.destination.name', a.messagingDestination);
  out.push({ key: 'thread.name', value: { stringValue: 'worker-1' } }); // realistic noise the converter must skip
  return out;
}

/** One OTLP JSON ExportTraceServiceRequest for a batch: one ResourceSpans per service, as SDK exporters send. */
export function toOtlpJson(spans: Span[]): unknown {
  const byService = new Map<string, Span[]>();
  for (const s of spans) {
    const xs = byService.get(s.service);
    if (xs) xs.push(s);
    else byService.set(s.service, [s]);
  }
  return {
    resourceSpans: [...byService].map(([service, xs]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }, { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } }] },
      scopeSpans: [
        {
          scope: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
          spans: xs.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.operation,
            kind: KIND_NUM[s.kind],
            startTimeUnixNano: `${s.startUs}000`,
            endTimeUnixNano: `${s.startUs + s.durationUs}000`,
            attributes: otlpAttributes(s.attributes),
            status: s.status === 'error' ? { code: 2 } : {},
          })),
        },
      ],
    })),
  };
}

/** A Jaeger `/api/traces` envelope for a batch (one trace object per trace id). */
export function toJaegerJson(spans: Span[]): unknown {
  const traces = new Map<string, Span[]>();
  for (const s of spans) {
    const xs = traces.get(s.traceId);
    if (xs) xs.push(s);
    else traces.set(s.traceId, [s]);
  }
  const data = [...traces].map(([traceID, xs]) => {
    const processes: Record<string, unknown> = {};
    const pid = new Map<string, string>();
    for (const s of xs) {
      if (!pid.has(s.service)) {
        const id = `p${pid.size + 1}`;
        pid.set(s.service, id);
        processes[id] = { serviceName: s.service, tags: [{ key: 'hostname', type: 'string', value: 'host-1' }] };
      }
    }
    return {
      traceID,
      processes,
      spans: xs.map((s) => {
        const tags: { key: string; type: string; value: unknown }[] = [{ key: 'span.kind', type: 'string', value: s.kind }];
        for (const { key, value } of otlpAttributes(s.attributes)) {
          tags.push('intValue' in value ? { key, type: 'int64', value: Number(value.intValue) } : { key, type: 'string', value: value.stringValue });
        }
        if (s.status === 'error') tags.push({ key: 'error', type: 'bool', value: true });
        return {
          traceID,
          spanID: s.spanId,
          operationName: s.operation,
          references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID, spanID: s.parentSpanId }] : [],
          startTime: s.startUs,
          duration: s.durationUs,
          tags,
          logs: [],
          processID: pid.get(s.service),
        };
      }),
    };
  });
  return { data, total: 0, limit: 0, offset: 0, errors: null };
}
