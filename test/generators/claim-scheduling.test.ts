import { describe, expect, it } from 'vitest';
import { planContext } from '../../generators/plan-context.js';
import { RulePlanGenerator, scheduledClaims, selectTargets } from '../../generators/rule-generator.js';
import { manifestYaml } from './sample-system.js';
import { renderPlanMarkdown } from '../../generators/plan-render.js';
import { validatePlan } from '../../generators/plan-schema.js';
import { ADOPTED, sampleInput, withClaims } from './plan-input.js';

/** A user claim that only the low-ranked database edge can affect. */
const DB_CLAIM = {
  id: 'checkout_errors_while_db_degraded',
  text: 'error rate of POST /checkout stays under 5% while the database is degraded',
  category: 'availability',
  check: '{ type: availability, entrypoint: checkout, maxErrorRate: 0.05, phase: fault, degraded: database }',
};

const noClaims = manifestYaml.slice(0, manifestYaml.indexOf('claims:'));

describe('claim scheduling', () => {
  it('round-robin keeps every claim covered under a tight scenario cap', async () => {
    const input = sampleInput(withClaims(manifestYaml, DB_CLAIM));
    const targets = selectTargets(planContext(input), 10).map((t) => `${t.claim.id}@${t.edgeId}`);
    expect(targets).toEqual([
      'checkout_p99_under_800ms@orders->payments',
      'checkout_at_most_once@api->orders',
      'checkout_errors_while_db_degraded@orders->postgresql',
      'checkout_p99_under_800ms@orders->kafka:order-events',
      // The at-most-once claim's second edge is its service's own store, after the edge into it.
      'checkout_at_most_once@orders->postgresql',
      'checkout_p99_under_800ms@orders->postgresql',
      // The front's own edge (api is where checkout enters) comes after the edges behind it.
      'checkout_p99_under_800ms@api->orders',
    ]);
    // Two scenarios: ranking-first selection would spend both on the latency claim's top edges.
    const plan = await new RulePlanGenerator({ maxScenarios: 2 }).generate(input);
    expect(plan.scenarios.map((s) => [s.claims[0], s.target.edge])).toEqual([
      ['checkout_p99_under_800ms', 'orders->payments'],
      ['checkout_errors_while_db_degraded', 'orders->postgresql'],
    ]);
    expect(plan.coverage.find((r) => r.claimId === 'checkout_errors_while_db_degraded')?.covered).toBe(true);
  });

  it('limits each claim to its riskiest reachable edges, the front\'s own edges after those behind it', () => {
    const targets = selectTargets(planContext(sampleInput()), 2).map((t) => `${t.claim.id}@${t.edgeId}`);
    // The latency claim is about what the caller waits for: orders' calls come
    // before api->orders, the entry service's own call. The at-most-once claim
    // keeps api->orders (no proxy in the sample: residual uncertainty), then
    // the orders service's own database.
    expect(targets).toEqual([
      'checkout_p99_under_800ms@orders->payments',
      'checkout_at_most_once@api->orders',
      'checkout_p99_under_800ms@orders->kafka:order-events',
      'checkout_at_most_once@orders->postgresql',
    ]);
  });

  it('has every scenario watch the user\'s invariant claims it is not aimed at, and nothing else', async () => {
    const plan = await new RulePlanGenerator().generate(sampleInput());
    const latency = plan.scenarios.filter((s) => s.claims.includes('checkout_p99_under_800ms') && !s.claims.includes('checkout_at_most_once'));
    expect(latency.length).toBeGreaterThan(0);
    for (const s of latency) expect(s.watch?.map((o) => o.claimId)).toEqual(['checkout_at_most_once']);
    // A latency claim is judged in its own scenarios only, and a scenario never watches its own aim.
    for (const s of plan.scenarios) {
      expect(s.watch?.map((o) => o.claimId) ?? []).not.toContain('checkout_p99_under_800ms');
      for (const o of s.watch ?? []) expect(s.claims).not.toContain(o.claimId);
    }
    expect(renderPlanMarkdown(plan)).toContain('- **Also watched:** `checkout_at_most_once` (invariants every scenario checks');
    expect(validatePlan(JSON.parse(JSON.stringify(plan))).scenarios.map((s) => s.watch)).toEqual(plan.scenarios.map((s) => s.watch));
  });

  it('lists inferred claims as candidates when the user wrote claims', async () => {
    const input = sampleInput();
    expect(scheduledClaims(input.claims).map((c) => c.id)).toEqual(['checkout_p99_under_800ms', 'checkout_at_most_once']);
    const plan = await new RulePlanGenerator().generate(input);
    const candidates = plan.claims.filter((c) => c.source === 'inferred').map((c) => c.id);
    expect(candidates).toEqual(['checkout_errors_under_4pct', 'stock_p99_under_20ms', 'stock_errors_under_1pct']);
    expect(plan.scenarios.some((s) => candidates.includes(s.claims[0]))).toBe(false);
    for (const id of candidates) {
      expect(plan.coverage.find((r) => r.claimId === id)).toMatchObject({
        covered: false,
        note: 'inferred candidate only: the plan tests the claims the owners wrote; adopt it into the claims file to have it tested',
      });
    }
    // Adopted into the claims, the same claim is tested.
    const adopted = await new RulePlanGenerator().generate(sampleInput(withClaims(manifestYaml, ADOPTED.checkoutErrors)));
    expect(adopted.scenarios.filter((s) => s.claims[0] === 'checkout_errors_under_4pct').map((s) => s.id))
      .toEqual(['checkout_errors_under_payments_black_hole', 'checkout_errors_under_kafka_order_events_connection_reset', 'checkout_errors_under_payments_connection_reset']);
  });

  it('plans on inferred claims when the user wrote none', async () => {
    const input = sampleInput(noClaims);
    expect(scheduledClaims(input.claims)).toEqual(input.claims);
    const plan = await new RulePlanGenerator().generate(input);
    expect(new Set(plan.scenarios.map((s) => s.claims[0]))).toEqual(new Set(['checkout_p99_under_850ms', 'checkout_errors_under_4pct']));
    expect(plan.scenarios[0]).toMatchObject({ id: 'checkout_p99_under_payments_slow_under_timeout', target: { edge: 'orders->payments' } });
    expect(plan.coverage.some((r) => r.note?.startsWith('inferred candidate only'))).toBe(false);
    expect(plan.coverage.find((r) => r.claimId === 'stock_p99_under_20ms')?.note).toBe('edges affecting it have no proxy: api->redis');
  });
});
