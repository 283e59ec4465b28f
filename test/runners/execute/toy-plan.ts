/** A hand-built plan for the toy system (tests/runners/exec). */
import type { Plan, Scenario } from '../../../generators/plan.js';

export interface ToyPlanOptions {
  frontUrl: string;
  proxyListen: string;
  pricesAddress: string;
  phases?: Scenario['phases'];
  halting?: Plan['halting'];
  ratePerSec?: number;
  latencyMs?: number;
}

/** One scenario: latency on the prices edge; the claim is fault-phase availability of POST /orders. */
export function toyPlan(o: ToyPlanOptions): Plan {
  const scenario: Scenario = {
    id: 'orders_available_under_prices_latency',
    title: 'Orders stay available while prices is slow',
    claims: ['orders_available'],
    hypotheses: ['h1'],
    target: { edge: 'front->prices', proxy: 'prices' },
    fault: { toxic: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: o.latencyMs ?? 1000, jitter: 0 }, sizing: 'latency 1000 ms > front timeout 250 ms' },
    workload: { entrypoints: [{ name: 'orders', weight: 1 }], ratePerSec: o.ratePerSec ?? 60, seed: 7 },
    oracle: [{ claimId: 'orders_available', check: { type: 'availability', entrypoint: 'orders', maxErrorRate: 0.05, phase: 'fault' } }],
    landing: { kind: 'proxy-counters', expectation: 'the latency toxic touches the front→prices connections' },
    exitCriteria: ['error rate of orders stays under 5% during the fault'],
    phases: o.phases ?? { baselineMs: 800, faultMs: 1000, recoveryMs: 800 },
    requiresFaultlineProxy: false,
    observedPhases: ['fault'],
  };
  return {
    schemaVersion: 1,
    id: 'plan-toy',
    createdAt: '2026-01-01T00:00:00.000Z',
    system: 'toy',
    generator: { kind: 'rule' },
    architecture: { summary: 'front calls prices', mermaid: 'graph LR; front-->prices', services: 2, edges: 1 },
    claims: [
      {
        id: 'orders_available',
        text: 'POST /orders error rate stays under 5% while prices is slow',
        category: 'availability',
        check: { type: 'availability', entrypoint: 'orders', maxErrorRate: 0.05, phase: 'fault' },
        source: 'user',
      },
    ],
    missingClaims: [],
    hypotheses: [{ id: 'h1', text: 'front has no fallback for prices', claims: ['orders_available'], risks: [] }],
    scenarios: [scenario],
    coverage: [{ claimId: 'orders_available', scenarios: [scenario.id], risks: [], covered: true }],
    adequacy: [],
    residualUncertainty: [],
    confidence: 'toy',
    recovery: { windowMs: 200, bandFactor: 3, errorSlack: 0.02, holdMs: 300 },
    halting: o.halting ?? [],
    entrypoints: [
      { name: 'orders', method: 'POST', url: `${o.frontUrl}/orders`, body: { sku: '{{pick a b c}}', qty: '{{int 1 3}}' }, idempotencyHeader: 'idempotency-key', timeoutMs: 2000 },
    ],
    proxies: [{ name: 'prices', listen: o.proxyListen, upstream: o.pricesAddress, edge: { from: 'front', to: 'prices' } }],
    probes: [{ name: 'orders', type: 'http', url: `${o.frontUrl}/orders` }],
  };
}
