import { describe, expect, it } from 'vitest';
import { EDGES_PER_CLAIM, RulePlanGenerator } from '../../generators/rule-generator.js';
import { validatePlan } from '../../generators/plan-schema.js';
import { createPlan } from '../../generators/plan-pipeline.js';
import { isFaultlineError } from '../../base/errors.js';
import { manifestYaml, sampleRanking, sampleSnapshot } from './sample-system.js';
import { ADOPTED, sampleInput, withApiProxy, withClaims } from './plan-input.js';
import { parseManifest } from '../../generators/manifest-loader.js';

const generator = new RulePlanGenerator();
/** The sample with every edge into a claimed service proxied and the checkout availability claim adopted by the owners. */
const adoptedInput = () => sampleInput(withClaims(withApiProxy(), ADOPTED.checkoutErrors));

describe('rule-based plan', () => {
  it('is deterministic: the same inputs give identical JSON', async () => {
    const a = JSON.stringify(await generator.generate(sampleInput()));
    const b = JSON.stringify(await generator.generate(sampleInput()));
    expect(a).toBe(b);
    const later = await generator.generate({ ...sampleInput(), now: new Date('2027-01-01T00:00:00Z') });
    expect(later.id).not.toBe(JSON.parse(a).id);
  });

  it('gives every scenario a claim, an oracle on that claim, a landing signal and a unique claim-shaped name', async () => {
    const plan = await generator.generate(adoptedInput());
    expect(plan.scenarios.length).toBe(8);
    const ids = plan.scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('checkout_p99_under_payments_slow_under_timeout');
    for (const s of plan.scenarios) {
      expect(s.claims.length).toBeGreaterThan(0);
      expect(s.fault.family).toBeDefined();
      expect(s.oracle.map((o) => o.claimId)).toEqual(s.claims);
      expect(s.landing.expectation.length).toBeGreaterThan(10);
      expect(s.exitCriteria[0]).toMatch(/^fault landed: /);
      expect(plan.hypotheses.map((h) => h.id)).toEqual(expect.arrayContaining(s.hypotheses));
    }
  });

  it('sizes the latency toxic from the claim threshold and the entrypoint p50, and explains it', async () => {
    const plan = await generator.generate(sampleInput());
    const payments = plan.scenarios.find((s) => s.id === 'checkout_p99_under_payments_slow_under_timeout')!;
    expect(payments.fault).toMatchObject({ toxic: 'latency', toxicity: 1, attributes: { latency: 870, jitter: 90 }, family: 'slow-under-timeout' });
    expect(payments.fault.sizing).toContain('claim threshold 800 ms × 1.2 − entrypoint p50 90 ms = 870 ms');
    expect(payments.landing.kind).toBe('edge-latency');
    // The second failure mode on the riskiest edge: payments never answers.
    const hang = plan.scenarios.find((s) => s.id === 'checkout_p99_under_payments_black_hole')!;
    expect(hang.fault).toMatchObject({ toxic: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } });
  });

  it('chooses response-losing faults, a model and key history fields for an at-most-once claim', async () => {
    // The orders probe reads service orders: duplicates come from lost responses on the edge into it.
    const plan = await generator.generate(sampleInput(withApiProxy()));
    const s = plan.scenarios.find((x) => x.id === 'orders_at_most_once_under_orders_response_lost')!;
    expect(s.target).toEqual({ edge: 'api->orders', proxy: 'api_to_orders' });
    expect(s.fault).toMatchObject({ toxic: 'limit_data', stream: 'downstream', attributes: { bytes: 1 } });
    // No timeout evidence on api->orders: the slow callee is the second, different failure mode.
    // Then the orders service's own database, slowed past the caller's deadline: the retry lands mid-write.
    expect(plan.scenarios.filter((x) => x.claims.includes('checkout_at_most_once')).map((x) => `${x.target.edge} ${x.fault.family}`))
      .toEqual(['api->orders response-lost', 'orders->postgresql slow-beyond-timeout', 'api->orders slow-beyond-timeout']);
    expect(s.model).toContain('unique-key');
    expect(s.historyFields).toEqual(['key', 'input', 'path', 'ok', 'timeout']);
    expect(s.observedPhases).toEqual(['baseline', 'fault', 'recovery']);
    expect(s.exitCriteria).toContain('probe orders dumped before baseline and after recovery');
  });

  it('runs one scenario for two claims that call for the same fault on the same edge, with both in its oracle', async () => {
    const plan = await generator.generate(sampleInput(withClaims(manifestYaml, ADOPTED.checkoutErrors)));
    const keys = plan.scenarios.map((s) => JSON.stringify([s.target.edge, s.fault.toxic, s.fault.stream, s.fault.toxicity, s.fault.attributes]));
    expect(new Set(keys).size).toBe(keys.length);
    const shared = plan.scenarios.find((s) => s.id === 'checkout_errors_under_payments_black_hole')!;
    expect(shared.claims).toEqual(['checkout_errors_under_4pct', 'checkout_p99_under_800ms']);
    expect(shared.oracle.map((o) => o.check.type)).toEqual(['availability', 'latency']);
    expect(shared.historyFields).toEqual(expect.arrayContaining(['status', 'invokeMs', 'completeMs']));
    // checkout is weighted up once, not once per claim.
    expect(shared.workload.entrypoints).toEqual([{ name: 'checkout', weight: 6 }, { name: 'stock', weight: 1 }]);
    expect(plan.coverage.find((r) => r.claimId === 'checkout_p99_under_800ms')?.scenarios).toContain('checkout_errors_under_payments_black_hole');
    // At most EDGES_PER_CLAIM edges, and a second family on the first edge only.
    for (const c of ['checkout_errors_under_4pct', 'checkout_p99_under_800ms']) {
      const mine = plan.scenarios.filter((s) => s.claims.includes(c));
      expect(new Set(mine.map((s) => s.target.edge)).size).toBeLessThanOrEqual(EDGES_PER_CLAIM);
      expect(mine.length).toBeLessThanOrEqual(EDGES_PER_CLAIM + 1);
    }
  });

  it('weights the claim\'s entrypoint up in the workload and derives the seed from the manifest seed', async () => {
    const plan = await generator.generate(sampleInput());
    const s = plan.scenarios[0];
    expect(s.workload.entrypoints).toEqual([{ name: 'checkout', weight: 6 }, { name: 'stock', weight: 1 }]);
    expect(s.workload.ratePerSec).toBe(20);
    const reseeded = await generator.generate(sampleInput(manifestYaml.replace('version: 1', 'version: 1\nworkload: { ratePerSec: 10, seed: 2 }')));
    expect(reseeded.scenarios[0].workload.seed).toBe((s.workload.seed + 1) % 2_147_483_647);
  });

  it('reports an edge without a proxy as residual uncertainty with the proxies suggest hint', async () => {
    const plan = await generator.generate(sampleInput(withClaims(manifestYaml, ADOPTED.stockP99)));
    expect(plan.scenarios.some((s) => s.target.edge === 'api->orders' || s.target.edge === 'api->redis')).toBe(false);
    const line = plan.residualUncertainty.find((r) => r.startsWith('api->orders'));
    expect(line).toContain('no proxy in the manifest');
    expect(line).toContain('faultline proxies suggest');
    expect(plan.coverage.find((r) => r.claimId === 'stock_p99_under_20ms')).toMatchObject({ covered: false, note: 'edges affecting it have no proxy: api->redis' });
    expect(plan.adequacy.find((a) => a.claimId === 'stock_p99_under_20ms')?.argument).toMatch(/^Not covered/);
  });

  it('builds the coverage matrix, hypotheses and a conservative confidence statement', async () => {
    const plan = await generator.generate(sampleInput());
    expect(plan.coverage.find((r) => r.claimId === 'checkout_p99_under_800ms')).toEqual({
      claimId: 'checkout_p99_under_800ms',
      // The database fault is the at-most-once claim's too: one scenario, named after the claim that asked first.
      scenarios: ['checkout_p99_under_payments_slow_under_timeout', 'checkout_p99_under_kafka_order_events_black_hole', 'orders_at_most_once_under_postgresql_slow_beyond_timeout', 'checkout_p99_under_payments_black_hole'],
      risks: ['orders->payments', 'api->orders', 'orders->kafka:order-events', 'orders->postgresql'],
      covered: true,
    });
    expect(plan.hypotheses[0]).toMatchObject({ id: 'h_orders_payments', risks: ['orders->payments'] });
    expect(plan.confidence).toMatch(/^Confidence: low\. 2 of 5 claim\(s\) \(2 user, 3 inferred\) are exercised by 5 scenario\(s\); 1 risky edge\(s\) could not be faulted\./);
    expect(plan.residualUncertainty.some((r) => r.includes('inferred from traces'))).toBe(true);
    expect(plan.recovery).toEqual({ windowMs: 1000, bandFactor: 1.5, errorSlack: 0.05, holdMs: 2000 });
    expect(plan.halting).toEqual([{ maxErrorRate: 0.9, windowMs: 5000 }]);
  });

  it('plans for a manifest with no claims at all using inferred claims only', async () => {
    const noClaims = manifestYaml.slice(0, manifestYaml.indexOf('claims:'));
    const plan = await generator.generate(sampleInput(noClaims));
    expect(plan.claims.length).toBeGreaterThan(0);
    expect(plan.claims.every((c) => c.source === 'inferred')).toBe(true);
    expect(plan.scenarios.length).toBeGreaterThan(0);
    expect(plan.scenarios.every((s) => plan.claims.some((c) => c.id === s.claims[0]))).toBe(true);
  });

  it('lengthens the recovery phase for a recovery claim and takes the proxy down', async () => {
    const text = `${manifestYaml}  - id: checkout_recovers\n    text: back within 20 s\n    category: recovery\n    check: { type: recovery, entrypoint: checkout, withinMs: 20000 }\n`;
    const plan = await generator.generate(sampleInput(text));
    const s = plan.scenarios.find((x) => x.claims[0] === 'checkout_recovers')!;
    expect(s.fault.toxic).toBe('down');
    expect(s.phases.recoveryMs).toBe(23_000);
    expect(s.observedPhases).toEqual(['recovery']);
  });

  it('produces a plan that validates against the plan schema', async () => {
    const plan = await generator.generate(sampleInput());
    expect(validatePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  it('createPlan ranks, infers and generates in one step', async () => {
    const manifest = parseManifest(manifestYaml, { baseDir: '.' });
    const plan = await createPlan({ manifest, snapshot: sampleSnapshot(), ranking: sampleRanking(), now: new Date(0) });
    expect(plan.createdAt).toBe('1970-01-01T00:00:00.000Z');
    expect(plan.claims.filter((c) => c.source === 'user').map((c) => c.id)).toEqual(['checkout_p99_under_800ms', 'checkout_at_most_once']);
    expect(plan.architecture.mermaid).toMatch(/^flowchart LR/);
  });
});

describe('plan schema', () => {
  async function planDoc(): Promise<Record<string, unknown>> {
    return JSON.parse(JSON.stringify(await generator.generate(sampleInput())));
  }

  function code(fn: () => unknown): { code: string; path: unknown; message: string } {
    try {
      fn();
    } catch (err) {
      if (isFaultlineError(err)) return { code: err.code, path: err.details?.path, message: err.message };
      throw err;
    }
    throw new Error('accepted');
  }

  it('names the key path of a bad value', async () => {
    const doc = await planDoc();
    (doc.scenarios as { fault: { toxicity: number } }[])[2].fault.toxicity = 7;
    expect(code(() => validatePlan(doc))).toMatchObject({ code: 'PLAN_INVALID', path: 'scenarios[2].fault.toxicity' });
  });

  it('rejects an unknown key, a wrong schema version and a scenario naming an unknown proxy', async () => {
    const extra = { ...(await planDoc()), extra: 1 };
    expect(code(() => validatePlan(extra)).message).toMatch(/unknown key "extra"/);
    const v2 = { ...(await planDoc()), schemaVersion: 2 };
    expect(code(() => validatePlan(v2)).path).toBe('schemaVersion');
    const doc = await planDoc();
    (doc.scenarios as { target: { proxy: string } }[])[0].target.proxy = 'nope';
    expect(code(() => validatePlan(doc))).toMatchObject({ path: 'scenarios[0].target.proxy', message: 'scenarios[0].target.proxy: proxy "nope" is not in the plan\'s proxies' });
  });

  it('rejects non-objects', () => {
    expect(code(() => validatePlan('plan')).code).toBe('PLAN_INVALID');
    expect(code(() => validatePlan(null)).code).toBe('PLAN_INVALID');
  });
});
