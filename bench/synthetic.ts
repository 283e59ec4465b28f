/**
 * Realistic synthetic traces for the benchmarks: ~10 services of a web
 * shop, ~10 spans per trace (gateway → frontend → orders → payments /
 * inventory / users, a Postgres query, a Redis lookup, a Kafka hand-off to
 * a notifier), log-normal-ish latencies and ~1% errors. Deterministic: the
 * same seed gives the same spans. Produced as normalised Spans and as the
 * wire formats (OTLP JSON, Jaeger JSON) the ingest converters read.
 */
import type { Span, SpanAttributes, SpanKind } from '../ingest/span.js';
import { seededRng } from '../runners/execute/workload/rng.js';

/** A seeded generator's uniform draws, so every run sees the same sequence. */
function rng(seed: number): () => number {
  return seededRng(seed).next;
}

/** murmur3's 32-bit finaliser: a bijective scramble of n. */
function mix32(n: number): number {
  let h = n >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A random-looking id of `width` hex digits, unique per `n`: SDKs draw span
 * and trace ids at random, and ids that differ only in their last digits
 * would make every id comparison read the whole string.
 */
function randomId(n: number, width: number): string {
  const words: string[] = [];
  for (let k = 0; k * 8 < width; k++) words.push(mix32(n * 4 + k + 0x9e3779b9 * k).toString(16).padStart(8, '0'));
  // join() gives one flat string, as a parser would; += would leave a rope
  // that holds more memory than the id a converter produces.
  return words.join('').slice(0, width);
}

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
    const traceId = randomId(t, 32);
    const startUs = t0 + t * 1000;
    const ids: string[] = [];
    const fail = rand() < 0.01;
    for (let i = 0; i < template.length; i++) {
      const step = template[i];
      const spanId = randomId(t * 16 + i + 1, 16);
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

/**
 * How much of what real instrumentation records the wire documents carry.
 * `instrumented`: each span carries the attributes the OpenTelemetry JS
 * auto-instrumentations emit under the stable semantic conventions (HTTP
 * server and client, pg, ioredis, kafkajs: 7–12 per span), resources carry
 * the Node SDK's default detectors' attributes, and exporters' empty fields
 * are present, as the JS OTLP/JSON exporter writes them. `lean`: only the
 * keys faultline maps plus one it must skip; a lower bound for parsing cost.
 */
export type Payload = 'instrumented' | 'lean';

type Attr = { key: string; value: Record<string, unknown> };
const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });

/** The keys faultline maps, from the span's normalised attributes. */
function mappedAttributes(a: SpanAttributes): Attr[] {
  const out: Attr[] = [];
  const s = (key: string, v: string | undefined) => v !== undefined && out.push(str(key, v));
  const i = (key: string, v: number | undefined) => v !== undefined && out.push(int(key, v));
  s('http.request.method', a.httpMethod);
  s('http.route', a.httpRoute);
  s('server.address', a.serverAddress);
  i('server.port', a.serverPort);
  s('peer.service', a.peerService);
  s('db.system.name', a.dbSystem);
  s('db.namespace', a.dbName);
  s('messaging.system', a.messagingSystem);
  s('messaging.destination.name', a.messagingDestination);
  return out;
}

/** What the instrumentation records beside the mapped keys (values vary per span, as ids and ports do). */
function instrumentationAttributes(span: Span): Attr[] {
  const a = span.attributes;
  const n = parseInt(span.spanId.slice(-4), 16);
  const item = 1000 + (n % 9000);
  const peer = [str('network.peer.address', `10.0.${n % 7}.${n % 250}`), int('network.peer.port', 30000 + (n % 30000)), str('network.protocol.version', '1.1')];
  if (a.httpMethod !== undefined && span.kind === 'server') {
    const path = (a.httpRoute ?? '/').replace('{id}', String(item));
    return [
      str('url.scheme', 'http'), str('url.path', path), str('server.address', `${span.service}.shop.svc.cluster.local`), int('server.port', 8080),
      str('client.address', `10.0.${n % 5}.${n % 200}`), ...peer, str('user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'),
      int('http.response.status_code', span.status === 'error' ? 500 : 200),
    ];
  }
  if (a.httpMethod !== undefined) {
    const host = a.serverAddress ?? a.peerService ?? 'upstream';
    return [str('url.full', `http://${host}:${a.serverPort ?? 80}/v1/items/${item}?trace=1`), ...peer, int('http.response.status_code', span.status === 'error' ? 503 : 200)];
  }
  if (a.dbSystem === 'redis') {
    return [str('db.query.text', `GET product:${item}`), str('db.operation.name', 'GET'), ...peer.slice(0, 2)];
  }
  if (a.dbSystem !== undefined) {
    return [
      str('db.query.text', `SELECT id, status, total, updated_at FROM ${a.dbName ?? 'app'} WHERE id = $1`), str('db.operation.name', 'SELECT'),
      str('db.collection.name', a.dbName ?? 'app'), str('db.user', 'app'), ...peer.slice(0, 2),
    ];
  }
  if (a.messagingSystem !== undefined) {
    return [
      str('messaging.operation.type', span.kind === 'producer' ? 'send' : 'process'), str('messaging.client.id', `${span.service}-${n % 4}`),
      str('messaging.kafka.message.key', `order-${item}`), int('messaging.kafka.destination.partition', n % 12), ...peer.slice(0, 2),
    ];
  }
  return [];
}

function otlpAttributes(span: Span, payload: Payload): Attr[] {
  const out = mappedAttributes(span.attributes);
  if (payload === 'instrumented') {
    // The instrumentation's own keys win where it records one we map too (server.port on a server span).
    const have = new Set(out.map((x) => x.key));
    for (const x of instrumentationAttributes(span)) if (!have.has(x.key)) out.push(x);
  } else {
    out.push(str('thread.name', 'worker-1')); // realistic noise the converter must skip
  }
  return out;
}

/** The Node SDK's default resource detectors (host, os, process, SDK), beside service.name. */
function resourceAttributes(service: string, payload: Payload): Attr[] {
  const base = [str('service.name', service), str('telemetry.sdk.language', 'nodejs')];
  if (payload === 'lean') return base;
  return [
    ...base, str('telemetry.sdk.name', 'opentelemetry'), str('telemetry.sdk.version', '2.2.0'), str('service.version', '1.14.2'),
    str('service.instance.id', `${service}-7d9f8c6b5-x2k4p`), str('host.name', `${service}-7d9f8c6b5-x2k4p`), str('host.arch', 'amd64'),
    str('os.type', 'linux'), str('os.version', '6.1.0-18-cloud-amd64'), int('process.pid', 1), str('process.executable.name', 'node'),
    str('process.executable.path', '/usr/local/bin/node'), str('process.command', '/app/dist/server.js'), str('process.owner', 'node'),
    str('process.runtime.name', 'nodejs'), str('process.runtime.version', '20.20.2'), str('process.runtime.description', 'Node.js'),
    str('k8s.namespace.name', 'shop'), str('k8s.pod.name', `${service}-7d9f8c6b5-x2k4p`), str('k8s.deployment.name', service),
  ];
}

/** One OTLP JSON ExportTraceServiceRequest for a batch: one ResourceSpans per service, as SDK exporters send. */
export function toOtlpJson(spans: Span[], payload: Payload = 'lean'): unknown {
  const byService = new Map<string, Span[]>();
  for (const s of spans) {
    const xs = byService.get(s.service);
    if (xs) xs.push(s);
    else byService.set(s.service, [s]);
  }
  return {
    resourceSpans: [...byService].map(([service, xs]) => ({
      resource: { attributes: resourceAttributes(service, payload), droppedAttributesCount: 0 },
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
            attributes: otlpAttributes(s, payload),
            status: s.status === 'error' ? { code: 2 } : {},
            ...(payload === 'instrumented' ? EXPORTER_EMPTIES : {}),
          })),
        },
      ],
    })),
  };
}

/** Fields the JS OTLP/JSON exporter writes on every span even when empty. */
const EXPORTER_EMPTIES = { flags: 257, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0 };

/** A Jaeger `/api/traces` envelope for a batch (one trace object per trace id); process tags are the resource's attributes, as Jaeger stores them. */
export function toJaegerJson(spans: Span[], payload: Payload = 'lean'): unknown {
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
        const tags = payload === 'lean' ? [{ key: 'hostname', type: 'string', value: 'host-1' }] : jaegerTags(resourceAttributes(s.service, payload).slice(1));
        processes[id] = { serviceName: s.service, tags };
      }
    }
    return {
      traceID,
      processes,
      spans: xs.map((s) => {
        const tags = [{ key: 'span.kind', type: 'string', value: s.kind as unknown }, ...jaegerTags(otlpAttributes(s, payload))];
        if (payload === 'instrumented') tags.push({ key: 'otel.scope.name', type: 'string', value: '@opentelemetry/instrumentation-http' }, { key: 'otel.scope.version', type: 'string', value: '0.223.0' });
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
          ...(payload === 'instrumented' ? { flags: 1, warnings: null } : {}),
        };
      }),
    };
  });
  return { data, total: 0, limit: 0, offset: 0, errors: null };
}

/** Jaeger's typed tags for OTLP attributes. */
function jaegerTags(attrs: Attr[]): { key: string; type: string; value: unknown }[] {
  return attrs.map(({ key, value }) => ('intValue' in value ? { key, type: 'int64', value: Number(value.intValue) } : { key, type: 'string', value: value.stringValue }));
}
