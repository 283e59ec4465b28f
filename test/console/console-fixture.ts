/**
 * What the console tests serve: a graph of 12 nodes of every kind and 15
 * edges with risks, a plan, a finished run with findings that carry per-phase
 * metrics, and two sweeps — stored through the real artifact store; and a
 * graph of any number of services for the scale test and bench/console.ts.
 */
import type { GraphSnapshot, NodeType, RiskRanking } from '../../graph/model.js';
import type { Plan } from '../../generators/plan.js';
import type { Findings } from '../../runners/record/result.js';
import type { ArtifactStore, RunRecord, SweepRecord } from '../../src/store/artifact-store.js';
import { findingsFor, plan as fakePlan, snapshot } from '../src/fakes.js';

const KINDS: Record<string, NodeType> = { orders: 'database', sessions: 'cache', jobs: 'queue', stripe: 'external' };
/** 15 edges over 12 nodes: 8 services, a database, a cache, a queue and an external API. */
export const EDGES = [
  'web->gateway', 'gateway->orders-svc', 'gateway->catalog', 'gateway->auth', 'orders-svc->payments', 'orders-svc->orders',
  'orders-svc->jobs', 'jobs->mailer', 'payments->stripe', 'auth->sessions', 'catalog->sessions', 'catalog->orders',
  'mailer->stripe', 'payments->orders', 'gateway->search',
];

/** The graph: node kinds set, calls and risks spread so colours and widths differ. */
export function graphFixture(): { snapshot: GraphSnapshot; ranking: RiskRanking } {
  const s = snapshot(EDGES);
  s.nodes = s.nodes.map((n) => ({ ...n, type: KINDS[n.id] ?? 'service', instrumented: !KINDS[n.id] }));
  s.edges = s.edges.map((e, i) => ({ ...e, calls: 10 + i * 40, errors: i, errorRate: i / (10 + i * 40), latency: { count: 10 + i * 40, p50: 5 + i, p95: 20 + 3 * i, p99: 40 + 9 * i, max: 80 + 10 * i } }));
  s.entrypoints = [{ id: 'gateway POST /checkout', service: 'gateway', method: 'POST', route: '/checkout', calls: 100, errors: 1, latency: { count: 100, p50: 10, p95: 30, p99: 60, max: 90 } }];
  s.crossings = { 'gateway->orders-svc': { 'gateway POST /checkout': 90 }, 'orders-svc->payments': { 'gateway POST /checkout': 90 }, 'payments->stripe': { 'gateway POST /checkout': 80 } };
  const ranking: RiskRanking = {
    weights: {},
    items: EDGES.map((edge, i) => ({
      kind: 'edge', id: edge, edge, score: Number((3 - i * 0.2).toFixed(2)),
      factors: { errorRate: i / 100, tailRatio: 2 + i / 10, blastRadius: 0.5, retryAmplification: 1, syncWithoutTimeout: 1, depth: 2, fanOut: 1 },
      reason: `${edge} is synchronous and shows no timeout in the traces.`,
    })),
  };
  return { snapshot: s, ranking };
}

/**
 * A graph of `services` services: a tree (each calls up to three) with cross
 * links from the first half, so 1,000 services carry about 1,500 edges, with
 * calls and risk scores spread. The same function at 10 and at 1,000 services
 * keeps a benchmark's baseline and its subject alike but for size.
 */
export function serviceGraph(services: number): { snapshot: GraphSnapshot; ranking: RiskRanking } {
  const edges: string[] = [];
  for (let i = 1; i < services; i += 1) edges.push(`svc-${Math.floor((i - 1) / 3)}->svc-${i}`);
  for (let i = 0; i < services / 2; i += 1) edges.push(`svc-${i}->svc-${(i * 7 + 11) % services}`);
  const unique = [...new Set(edges)].filter((e) => e.split('->')[0] !== e.split('->')[1]);
  const s = snapshot(unique);
  s.edges = s.edges.map((e, i) => ({ ...e, calls: 10 + ((i * 37) % 900) }));
  const factors = { errorRate: 0, tailRatio: 1, blastRadius: 0.1, retryAmplification: 1, syncWithoutTimeout: 1 as const, depth: 1, fanOut: 1 };
  const ranking: RiskRanking = {
    weights: {},
    items: unique.map((edge, i) => ({ kind: 'edge', id: edge, edge, score: ((i * 7919) % 1000) / 100, factors, reason: `${edge} is synchronous without a timeout.` })),
  };
  return { snapshot: s, ranking };
}

/** A plan whose first scenario faults `orders-svc->payments`, with phases long enough to chart. */
export function planFixture(): Plan {
  const p = fakePlan([
    { id: 'checkout_recovers_from_payments_latency', edge: 'orders-svc->payments', claims: ['checkout_recovers'] },
    { id: 'charge_at_most_once_under_stripe_reset', edge: 'payments->stripe', claims: ['charge_at_most_once'] },
  ]);
  p.scenarios = p.scenarios.map((s) => ({ ...s, phases: { baselineMs: 3000, faultMs: 5000, recoveryMs: 6000 } }));
  return p;
}

/**
 * A plan of `count` scenarios over the fixture's edges for the coverage
 * matrix: six claims (one no scenario targets), each scenario targeting one
 * or two of them with a fault family in turn, and two missing claims, one on
 * an edge some scenarios fault, one on an entrypoint. Created a year before planFixture's plan, so
 * that one stays the latest.
 */
export function widePlanFixture(count: number): Plan {
  const claims = ['checkout_recovers', 'charge_at_most_once', 'order_acked_is_kept', 'search_degrades', 'login_survives_cache_loss', 'stock_never_negative'];
  const families = ['latency', 'timeout', 'reset_peer', 'bandwidth', 'slow_close'] as const;
  const p = fakePlan(Array.from({ length: count }, (_, i) => ({
    id: `s${String(i + 1).padStart(2, '0')}_${EDGES[i % EDGES.length].replace('->', '_to_')}`,
    edge: EDGES[i % EDGES.length],
    claims: i % 4 === 0 ? [claims[i % 5], claims[(i + 1) % 5]] : [claims[i % 5]],
  })), 'shop-wide');
  p.id = 'plan-wide';
  p.createdAt = '2024-01-01T00:00:00.000Z';
  p.scenarios = p.scenarios.map((s, i) => ({ ...s, fault: { ...s.fault, toxic: families[i % families.length] } }));
  p.claims.push({ ...p.claims[0], id: claims[5], text: 'stock never goes below zero' });
  p.coverage = claims.map((id) => ({ claimId: id, scenarios: p.scenarios.filter((s) => s.claims.includes(id)).map((s) => s.id), risks: [], covered: id !== claims[5], ...(id === claims[5] ? { note: 'no scenario reaches the stock service' } : {}) }));
  p.missingClaims = [
    { observation: 'payments->stripe retries a non-idempotent POST', subject: 'payments->stripe', suggestedCategory: 'idempotency', suggestion: 'a charge is made at most once per key' },
    { observation: 'checkout has no latency objective', subject: 'gateway POST /checkout', suggestedCategory: 'performance-slo', suggestion: 'p99 of checkout stays under 800 ms' },
  ];
  return p;
}

/** Findings of a finished run of `plan` with per-phase metrics and a recovery point. */
export function findingsFixture(plan: Plan, runId: string): Findings {
  const f = findingsFor(plan, runId, { checkout_recovers_from_payments_latency: 'PASS-hardening', charge_at_most_once_under_stripe_reset: 'FAIL-reproducible' }, { checkout_recovers_from_payments_latency: 1800 });
  for (const r of f.results) {
    r.metrics = [
      { phase: 'baseline', ops: 60, throughputPerSec: 20, errorRate: 0, timeouts: 0, p50Ms: 12, p95Ms: 30, p99Ms: 45 },
      { phase: 'fault', ops: 100, throughputPerSec: 19.5, errorRate: 0.12, timeouts: 3, p50Ms: 480, p95Ms: 900, p99Ms: 1400 },
      { phase: 'recovery', ops: 120, throughputPerSec: 20, errorRate: 0.01, timeouts: 0, p50Ms: 14, p95Ms: 35, p99Ms: 60 },
    ];
  }
  // The first scenario carries the per-second series a real run records; the second only per-phase metrics.
  const inFault = (i: number) => i >= 3 && i < 8;
  const seconds = Array.from({ length: 14 }, (_, i) => i);
  f.results[0].timeline = {
    stepMs: 1000, faultStartMs: 3000, faultEndMs: 8000, endMs: 14_000,
    ops: seconds.map(() => 20),
    errorRate: seconds.map((i) => (inFault(i) ? 0.1 + i / 100 : i === 8 ? 0.05 : 0)),
    throughput: seconds.map((i) => (inFault(i) ? 17 : 20)),
    p50Ms: seconds.map((i) => (inFault(i) ? 450 + i * 5 : 12)),
    p95Ms: seconds.map((i) => (inFault(i) ? 880 + i * 4 : 30)),
    p99Ms: seconds.map((i) => (inFault(i) ? 1300 + i * 20 : i === 9 ? 300 : 45)),
  };
  const failing = f.results[1];
  failing.checks = [{ claimId: 'charge_at_most_once', checker: 'at-most-once', ok: false, opsConsumed: 280, anomalies: [{ message: 'key k-17 charged twice' }], summary: 'checked 280 ops, 1 anomaly', sufficient: true }];
  return f;
}

/** Store the graph, the plan, a finished run with findings and two sweeps; returns the run id. */
export async function storeFixture(store: ArtifactStore, plan: Plan): Promise<string> {
  const { snapshot: s, ranking } = graphFixture();
  await store.put('graphs', { id: 'graph-20250101T000000Z-aaaaaa', createdAt: '2025-01-01T00:00:00.000Z', snapshot: s, ranking });
  await store.put('plans', plan);
  const runId = 'run-20250101T000100Z-bbbbbb';
  const run: RunRecord = {
    id: runId, planId: plan.id, status: 'succeeded', createdAt: '2025-01-01T00:01:00.000Z', startedAt: '2025-01-01T00:01:00.000Z', finishedAt: '2025-01-01T00:02:00.000Z',
    options: {}, total: 2, progress: plan.scenarios.map((x) => ({ scenarioId: x.id, stage: 'done', at: '2025-01-01T00:02:00.000Z' })),
    counts: { 'PASS-hardening': 1, 'FAIL-reproducible': 1 },
  };
  await store.put('runs', run);
  await store.put('findings', findingsFixture(plan, runId));
  const sweep = (id: string, at: string, v: 'PASS-hardening' | 'FAIL-reproducible', ms: number | null): SweepRecord => ({
    id, startedAt: at, finishedAt: at, status: 'succeeded', trigger: 'schedule', runId, counts: { [v]: 1 },
    diff: { first: false, newServices: ['mailer'], vanishedServices: [], newEdges: ['jobs->mailer'], vanishedEdges: [], riskMoves: [] },
    claims: [{ claimId: 'checkout_recovers', verdicts: [v], recoveredAfterMs: ms, edges: ['orders-svc->payments'] }],
  });
  await store.put('sweeps', sweep('sweep-20250101T000000Z-cccccc', '2025-01-01T00:00:00.000Z', 'FAIL-reproducible', null));
  await store.put('sweeps', sweep('sweep-20250108T000000Z-dddddd', '2025-01-08T00:00:00.000Z', 'PASS-hardening', 2400));
  return runId;
}
