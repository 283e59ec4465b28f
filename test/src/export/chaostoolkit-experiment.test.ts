/**
 * `faultline export --chaostoolkit`: every scenario of a plan becomes a
 * Chaos Toolkit experiment that passes Chaos Toolkit's own validation rules
 * (./chaostoolkit-schema.ts encodes them, citing chaoslib), with its fault
 * as a chaostoolkit-toxiproxy action where the extension has one, rollbacks
 * that take it off again, and the oracle as a steady-state hypothesis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultAttributes, FAULT_TYPES, faultOf, type FaultType } from '../../../base/faults.js';
import type { Plan, Scenario } from '../../../generators/plan.js';
import { RulePlanGenerator } from '../../../generators/rule-generator.js';
import { CTK_FAULTS, MAX_FLAP_CYCLES } from '../../../src/export/chaostoolkit/fault-actions.js';
import { planExperiments, scenarioExperiment, toxicNameOf } from '../../../src/export/chaostoolkit/experiment.js';
import type { CtkActivity, CtkExperiment } from '../../../src/export/chaostoolkit/format.js';
import { ADOPTED, sampleInput, withClaims } from '../../generators/plan-input.js';
import { manifestYaml } from '../../generators/sample-system.js';
import { ctkProblems } from './chaostoolkit-schema.js';

let plan: Plan;
beforeAll(async () => {
  plan = await new RulePlanGenerator().generate(sampleInput(withClaims(manifestYaml, ADOPTED.checkoutErrors, ADOPTED.stockP99)));
});

/** The plan's first scenario under another fault, sized from the table's defaults. */
function withFault(p: Plan, toxic: FaultType, over: Partial<Scenario['fault']> = {}): Scenario {
  const s = p.scenarios[0];
  return { ...s, id: `s_${toxic}`, fault: { ...s.fault, toxic, stream: faultOf(toxic).stream ?? 'downstream', toxicity: 1, attributes: defaultAttributes(toxic), ...over } };
}

/** Every `${name}` an activity substitutes must be a configuration key, or chaoslib leaves it as text. */
function unknownSubstitutions(e: CtkExperiment): string[] {
  const names = [...JSON.stringify([e.method, e.rollbacks, e['steady-state-hypothesis']]).matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
  return names.filter((n) => !(n in e.configuration));
}

const pythonCall = (a: CtkActivity) => (a.provider.type === 'python' ? `${a.provider.module}.${a.provider.func}` : `${a.provider.type} ${'method' in a.provider ? a.provider.method : ''}`);

describe('Chaos Toolkit experiments from a plan', () => {
  it('writes one experiment per scenario, each valid under chaoslib\'s experiment rules', () => {
    const exported = planExperiments(plan);
    expect(plan.scenarios.length).toBeGreaterThan(2);
    expect(exported.map((x) => x.scenarioId)).toEqual(plan.scenarios.map((s) => s.id));
    for (const { experiment } of exported) {
      expect(ctkProblems('experiment', experiment)).toEqual([]);
      expect(unknownSubstitutions(experiment)).toEqual([]);
    }
  });

  it('maps every fault type of the fault table to a valid experiment (a new fault type needs a mapping)', () => {
    expect(Object.keys(CTK_FAULTS).sort()).toEqual([...FAULT_TYPES].sort());
    for (const toxic of FAULT_TYPES) {
      const e = scenarioExperiment(plan, withFault(plan, toxic));
      expect(ctkProblems('experiment', e), toxic).toEqual([]);
      expect(unknownSubstitutions(e), toxic).toEqual([]);
      // faultline-only toxics go through Toxiproxy's HTTP API; everything else through the extension.
      const via = faultOf(toxic).faultlineOnly ? 'http' : 'python';
      expect(e.method.every((a) => a.provider.type === via), toxic).toBe(true);
      expect(e.rollbacks.every((a) => a.provider.type === via), toxic).toBe(true);
    }
  });

  it('uses the extension\'s dedicated function only for the fault it hard-codes, else create_toxic keeping stream and toxicity', () => {
    const full = scenarioExperiment(plan, withFault(plan, 'latency', { attributes: { latency: 870, jitter: 90 } }));
    expect(full.method[0].provider).toEqual({ type: 'python', module: 'chaostoxi.toxic.actions', func: 'create_latency_toxic', arguments: { for_proxy: plan.scenarios[0].target.proxy, toxic_name: 'faultline-s_latency', latency: 870, jitter: 90 } });
    const partial = scenarioExperiment(plan, withFault(plan, 'latency', { stream: 'upstream', toxicity: 0.3, attributes: { latency: 870, jitter: 90 } }));
    expect(partial.method[0].provider).toMatchObject({ func: 'create_toxic', arguments: { toxic_type: 'latency', stream: 'upstream', toxicity: 0.3, attributes: { latency: 870, jitter: 90 } } });
    const limit = scenarioExperiment(plan, withFault(plan, 'limit_data', { attributes: { bytes: 512 } }));
    expect(limit.method[0].provider).toMatchObject({ func: 'create_limiter_toxic', arguments: { bytes_limit: 512 } });
  });

  it('rolls back exactly the toxic the method added, and re-enables a disabled proxy', () => {
    for (const toxic of ['timeout', 'reset_peer', 'http_error'] as const) {
      const s = withFault(plan, toxic);
      const e = scenarioExperiment(plan, s);
      const added = JSON.stringify(e.method[0].provider);
      expect(added).toContain(toxicNameOf(s));
      expect(JSON.stringify(e.rollbacks)).toContain(encodeURIComponent(toxicNameOf(s)));
      expect(e.rollbacks.map(pythonCall)).toEqual([toxic === 'http_error' ? 'http DELETE' : 'chaostoxi.toxic.actions.delete_toxic']);
    }
    const down = scenarioExperiment(plan, withFault(plan, 'down'));
    expect(down.method.map(pythonCall)).toEqual(['chaostoxi.proxy.actions.disable_proxy', 'chaostoxi.proxy.actions.enable_proxy']);
    expect(down.rollbacks.map(pythonCall)).toEqual(['chaostoxi.proxy.actions.enable_proxy']);
  });

  it('posts a faultline-only toxic to the Toxiproxy API of the configuration, on the one stream it works on', () => {
    const e = scenarioExperiment(plan, withFault(plan, 'http_error', { stream: 'downstream', toxicity: 0.25, attributes: { status: 503 } }), { toxiproxyUrl: 'http://proxy.internal:8474' });
    expect(e.method[0].provider).toEqual({
      type: 'http', method: 'POST', url: `\${toxiproxy_url}/proxies/${plan.scenarios[0].target.proxy}/toxics`, headers: { 'Content-Type': 'application/json' },
      arguments: { name: 'faultline-s_http_error', type: 'http_error', stream: 'upstream', toxicity: 0.25, attributes: { status: 503 } },
    });
    expect(e.configuration.toxiproxy_url).toEqual({ type: 'env', key: 'TOXIPROXY_URL', default: 'http://proxy.internal:8474' });
    expect(e.description).toContain('faultline proxy');
  });

  it('holds the fault for the fault phase, then waits the recovery phase before the steady state is checked again', () => {
    const s = plan.scenarios[0];
    const e = scenarioExperiment(plan, s);
    expect(e.method.map((a) => a.pauses?.after)).toEqual([s.phases.faultMs / 1000, s.phases.recoveryMs / 1000]);
    expect(e.rollbacks.every((a) => a.pauses === undefined)).toBe(true);
  });

  it('unrolls a flap into disable/enable spells that cover the fault phase, capped', () => {
    const flap = (faultMs: number) => scenarioExperiment(plan, { ...withFault(plan, 'flap', { attributes: { down_ms: 1000, up_ms: 2000 } }), phases: { baselineMs: 1000, faultMs, recoveryMs: 4000 } });
    const e = flap(10_000);
    const spells = e.method.slice(0, -1);
    expect(spells).toHaveLength(8);
    expect(spells.map((a) => a.pauses?.after)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(flap(10_000_000).method).toHaveLength(2 * MAX_FLAP_CYCLES + 1);
  });

  it('turns the oracle into probes a Chaos Toolkit user can run: the claims\' entrypoints, called as the workload would', () => {
    const s = plan.scenarios.find((x) => x.oracle.some((o) => o.check.type === 'latency' && o.check.entrypoint === 'checkout'));
    expect(s).toBeDefined();
    const probes = scenarioExperiment(plan, s as Scenario)['steady-state-hypothesis'].probes;
    const checkout = probes.find((p) => p.name.startsWith('entrypoint checkout'));
    expect(checkout?.tolerance).toEqual({ type: 'range', range: [200, 299], target: 'status' });
    expect(checkout?.provider).toMatchObject({ type: 'http', method: 'POST', url: 'http://127.0.0.1:9000/checkout', timeout: 0.8, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `ctk-${s?.id}-${s?.workload.seed}` } });
    const body = (checkout?.provider as { arguments: { item: string; qty: number } }).arguments;
    expect(['a', 'b', 'c']).toContain(body.item);
    expect(typeof body.qty).toBe('number');
    // The same seed gives the same requests: an exported file is stable.
    expect(scenarioExperiment(plan, s as Scenario)).toEqual(scenarioExperiment(plan, s as Scenario));
  });

  it('checks that an HTTP state probe a claim reads answers, and leaves out what has no HTTP address', () => {
    const s: Scenario = { ...plan.scenarios[0], oracle: [{ claimId: 'checkout_at_most_once', check: { type: 'at-most-once', probe: 'orders', selector: '$.orders[*].requestKey', entrypoint: 'checkout' } }] };
    const probes = scenarioExperiment(plan, s)['steady-state-hypothesis'].probes;
    expect(probes.map((p) => p.name)).toEqual(['state probe orders is readable']);
    expect(probes[0].provider).toEqual({ type: 'http', url: 'http://127.0.0.1:9001/debug/orders', method: 'GET', timeout: 5 });
  });

  it('carries the scenario\'s seed, claims, fault and reproducer as faultline extension metadata', () => {
    const s = plan.scenarios[1];
    const e = scenarioExperiment(plan, s, { planFile: 'out/plan.json' });
    const ext = e.extensions.find((x) => x.name === 'faultline');
    expect(ext).toMatchObject({ planId: plan.id, scenario: s.id, seed: s.workload.seed, fault: s.fault, oracle: s.oracle, reproduce: `faultline run out/plan.json --only ${s.id} --seed ${s.workload.seed}` });
    expect(e.tags).toEqual(expect.arrayContaining(['faultline', `fault:${s.fault.toxic}`, ...s.claims.map((c) => `claim:${c}`)]));
  });
});

describe('the experiment schema used above', () => {
  const good = () => structuredClone(planExperiments(plan)[0].experiment) as unknown as Record<string, unknown> & CtkExperiment;

  it('rejects what chaoslib rejects: no description, a probe without tolerance, an argument the chaostoxi function does not take', () => {
    const noDescription = good();
    noDescription.description = '';
    expect(ctkProblems('experiment', noDescription)).not.toEqual([]);
    const noTolerance = good();
    delete noTolerance['steady-state-hypothesis'].probes[0].tolerance;
    expect(ctkProblems('experiment', noTolerance)).not.toEqual([]);
    const misspelt = good();
    (misspelt.method[0].provider as { arguments: Record<string, unknown> }).arguments.proxy = 'x';
    expect(ctkProblems('experiment', misspelt)).not.toEqual([]);
    const noMethod = good() as Partial<CtkExperiment>;
    delete noMethod.method;
    expect(ctkProblems('experiment', noMethod)).not.toEqual([]);
  });
});
