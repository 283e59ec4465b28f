/**
 * A small sample system as plain data (no graph builder needed): a shop
 * whose `api` calls `orders`, which calls `payments` over HTTP (with retries),
 * writes to PostgreSQL and publishes to a queue that `mailer` consumes.
 */
import type { GraphEdge, GraphSnapshot, RiskItem, RiskRanking } from '../../graph/model.js';

export const manifestYaml = `
version: 1
system:
  name: shop
traces:
  type: files
  paths: [traces.json]
proxies:
  - name: orders_to_payments
    listen: 127.0.0.1:21001
    upstream: 127.0.0.1:9002
    edge: { from: orders, to: payments }
  - name: orders_to_postgresql
    listen: 127.0.0.1:21002
    upstream: 127.0.0.1:5432
    edge: { from: orders, to: postgresql }
  - name: orders_to_queue
    listen: 127.0.0.1:21003
    upstream: 127.0.0.1:6380
    edge: { from: orders, to: "kafka:order-events" }
entrypoints:
  - name: checkout
    method: POST
    url: http://127.0.0.1:9000/checkout
    body: { item: "{{pick a b c}}", qty: "{{int 1 3}}" }
    idempotencyHeader: Idempotency-Key
    weight: 2
  - name: stock
    method: GET
    url: http://127.0.0.1:9000/stock/{{int 1 100}}
probes:
  - name: orders
    type: http
    url: http://127.0.0.1:9001/debug/orders
    service: orders
claims:
  - id: checkout_p99_under_800ms
    text: p99 of POST /checkout stays under 800 ms during the fault
    category: performance-slo
    check: { type: latency, entrypoint: checkout, percentile: 99, thresholdMs: 800, phase: fault }
  - id: checkout_at_most_once
    text: no two orders share a request key
    category: idempotency
    check: { type: at-most-once, probe: orders, selector: "$.orders[*].requestKey", entrypoint: checkout }
`;

function edge(source: string, target: string, over: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: `${source}->${target}`,
    source,
    target,
    mode: 'sync',
    protocol: 'http',
    calls: 1000,
    errors: 0,
    errorRate: 0,
    latency: { count: 1000, p50: 20, p95: 60, p99: 120, max: 300 },
    operations: ['POST /pay'],
    serverAddresses: [],
    retries: { retriedParents: 0, extraAttempts: 0, amplification: 1 },
    timeout: { evidence: 'none' },
    ...over,
  };
}

const CHECKOUT = 'api POST /checkout';
const STOCK = 'api GET /stock/{id}';

/** The sample snapshot. */
export function sampleSnapshot(): GraphSnapshot {
  const edges = [
    edge('api', 'orders', { operations: ['POST /orders'], serverAddresses: ['orders:9001'], latency: { count: 1000, p50: 40, p95: 150, p99: 210, max: 500 } }),
    edge('orders', 'payments', {
      calls: 1100, errors: 22, errorRate: 0.02, serverAddresses: ['payments:9002'],
      latency: { count: 1100, p50: 35, p95: 140, p99: 180, max: 900 },
      retries: { retriedParents: 80, extraAttempts: 100, amplification: 1.1 },
      operations: ['POST /pay'],
    }),
    edge('orders', 'postgresql', { protocol: 'db', operations: ['INSERT orders'], latency: { count: 1000, p50: 2, p95: 8, p99: 15, max: 40 }, timeout: { evidence: 'observed', cutoffMs: 1000, hits: 1 } }),
    edge('orders', 'kafka:order-events', { mode: 'async', protocol: 'messaging', operations: ['publish order-events'], latency: { count: 1000, p50: 1, p95: 3, p99: 6, max: 10 } }),
    edge('api', 'redis', { protocol: 'db', operations: ['GET'], calls: 20, latency: { count: 20, p50: 1, p95: 2, p99: 3, max: 3 } }),
  ];
  return {
    schemaVersion: 1,
    builtAt: '2026-01-01T00:00:00.000Z',
    window: { startUs: 1_700_000_000_000_000, endUs: 1_700_000_600_000_000 },
    spans: 6000,
    traces: 1020,
    warnings: {},
    nodes: [
      { id: 'api', type: 'service', instrumented: true, spans: 1020 },
      { id: 'orders', type: 'service', instrumented: true, spans: 3000 },
      { id: 'payments', type: 'service', instrumented: true, spans: 1100 },
      { id: 'postgresql', type: 'database', instrumented: false, system: 'postgresql', spans: 1000 },
      { id: 'kafka:order-events', type: 'queue', instrumented: false, system: 'kafka', spans: 1000 },
      { id: 'mailer', type: 'service', instrumented: true, spans: 1000 },
      { id: 'redis', type: 'cache', instrumented: false, system: 'redis', spans: 20 },
    ],
    edges,
    entrypoints: [
      { id: CHECKOUT, service: 'api', method: 'POST', route: '/checkout', calls: 1000, errors: 20, latency: { count: 1000, p50: 90, p95: 260, p99: 412, max: 1200 } },
      { id: STOCK, service: 'api', method: 'GET', route: '/stock/{id}', calls: 20, errors: 0, latency: { count: 20, p50: 3, p95: 5, p99: 7, max: 8 } },
    ],
    crossings: {
      'api->orders': { [CHECKOUT]: 1000 },
      'orders->payments': { [CHECKOUT]: 1000 },
      'orders->postgresql': { [CHECKOUT]: 1000 },
      'orders->kafka:order-events': { [CHECKOUT]: 1000 },
      'api->redis': { [STOCK]: 20 },
    },
    depth: { api: 3, orders: 2, payments: 0, postgresql: 0, 'kafka:order-events': 1, mailer: 0, redis: 0 },
  };
}

function item(edgeId: string, score: number, over: Partial<RiskItem['factors']> = {}): RiskItem {
  return {
    kind: 'edge',
    id: edgeId,
    edge: edgeId,
    score,
    factors: { errorRate: 0, tailRatio: 3, blastRadius: 0.98, retryAmplification: 1, syncWithoutTimeout: 1, depth: 0, fanOut: 0, ...over },
    reason: `${edgeId} is risky`,
  };
}

/** The sample ranking, highest first. */
export function sampleRanking(): RiskRanking {
  return {
    weights: { errorRate: 1, tailRatio: 1, blastRadius: 1, retryAmplification: 1, syncWithoutTimeout: 1, depth: 1, fanOut: 1 },
    items: [
      item('orders->payments', 0.9, { errorRate: 0.02, retryAmplification: 1.1, tailRatio: 5.1 }),
      item('api->orders', 0.7, { depth: 2, fanOut: 3 }),
      item('orders->kafka:order-events', 0.5, { syncWithoutTimeout: 0 }),
      item('orders->postgresql', 0.4, { syncWithoutTimeout: 0 }),
      item('api->redis', 0.1, { blastRadius: 0.02 }),
    ],
  };
}
