/**
 * The fault table and every place derived from it, held together (in the
 * spirit of fastify's errors test): the plan schema, the LLM prompt and
 * answer check, the proxy's attribute reader and implementations, the fault
 * step and docs/faults.md. Toxiproxy's own vocabulary is written out here
 * once more, from its README, as the outside reference the table must match.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { isFaultlineError } from '../../base/errors.js';
import {
  FAULTLINE_ONLY, FAULTS, FAULT_TYPES, LANDING_EVIDENCE, TOXIC_TYPES, defaultAttributes, faultOf, type FaultType, type ToxicType,
} from '../../base/faults.js';
import { renderFaultsMarkdown } from '../../base/fault-docs.js';
import { validatePlan } from '../../generators/plan-schema.js';
import type { Plan, ScenarioFault } from '../../generators/plan.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import { planContext } from '../../generators/plan-context.js';
import { answerSchema, buildPrompt } from '../../generators/llm-prompt.js';
import { checkProposals } from '../../generators/llm-answer.js';
import type { ToxicSpec } from '../../runners/faults/fault-injector.js';
import { ToxiproxyInjector } from '../../runners/faults/toxiproxy-injector.js';
import { parseNewToxic } from '../../runners/proxy/toxic-spec.js';
import { TOXICS } from '../../runners/proxy/toxics/index.js';
import { startFaultProxy, type RunningFaultProxy } from '../../runners/proxy/server.js';
import { injectFault } from '../../runners/execute/scenario/fault.js';
import { sampleInput } from '../generators/plan-input.js';

/** Toxiproxy's toxics and their attributes, as its README lists them (noop is its internal pass-through). */
const TOXIPROXY_README: Record<string, string[]> = {
  latency: ['latency', 'jitter'],
  bandwidth: ['rate'],
  slow_close: ['delay'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: ['average_size', 'size_variation', 'delay'],
  limit_data: ['bytes'],
  noop: [],
};

/** The names other modules (fault choice, claim forms) are written against. */
const RELIED_ON: Partial<Record<FaultType, string[]>> = {
  latency: ['latency', 'jitter'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  limit_data: ['bytes'],
  http_error: ['status'],
  http_delay: ['latency', 'jitter'],
  down: [],
  flap: ['down_ms', 'up_ms'],
};

const attrNames = (t: FaultType) => Object.keys(faultOf(t).attributes);

describe('the fault table', () => {
  it('covers every Toxiproxy toxic with its README attribute names, plus down, and marks only the rest faultline-only', () => {
    for (const [type, names] of Object.entries(TOXIPROXY_README)) {
      expect(attrNames(type as FaultType), type).toEqual(names);
      expect(faultOf(type as FaultType).faultlineOnly, type).toBe(false);
    }
    for (const [type, names] of Object.entries(RELIED_ON)) expect(attrNames(type as FaultType), type).toEqual(names);
    expect(FAULTLINE_ONLY).toEqual(['http_error', 'http_delay']);
    expect(FAULT_TYPES.filter((t) => !TOXIC_TYPES.includes(t as ToxicType))).toEqual(['down', 'flap']);
  });

  it('has one-line prose, defaults inside their bounds and known landing evidence for every type', () => {
    for (const type of FAULT_TYPES) {
      const f = faultOf(type);
      expect(f.description, type).toMatch(/^[A-Z][^\n]*\.$/);
      expect(f.reason, type).toMatch(/^[A-Z][^\n]*\.$/);
      expect(f.landing.length, type).toBeGreaterThan(0);
      for (const l of f.landing) expect(Object.keys(LANDING_EVIDENCE), type).toContain(l);
      expect(f.toxicity === 'request', type).toBe(f.stream === 'upstream');
      expect(f.toxicity === 'proxy', type).toBe(f.kind === 'proxy-state');
      for (const [name, a] of Object.entries(f.attributes)) {
        expect(a.min <= a.default && a.default <= a.max, `${type}.${name}`).toBe(true);
        expect(Number.isInteger(a.min) && Number.isInteger(a.max), `${type}.${name}`).toBe(true);
      }
    }
  });
});

describe('the plan schema, from the table', () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = JSON.parse(JSON.stringify(await new RulePlanGenerator().generate(sampleInput()))) as Plan;
  });
  /** The plan with its first scenario's fault replaced; the PLAN_INVALID path, or 'valid'. */
  const verdictFor = (fault: Partial<ScenarioFault> & Record<string, unknown>) => {
    const doc = structuredClone(plan);
    doc.scenarios[0].fault = { stream: 'downstream', toxicity: 1, sizing: 'by hand', ...fault } as ScenarioFault;
    try {
      validatePlan(doc);
      return 'valid';
    } catch (err) {
      if (!isFaultlineError(err, 'PLAN_INVALID')) throw err;
      return String(err.details?.path);
    }
  };

  it('accepts every fault type with its defaults, with nothing given, and at each bound', () => {
    for (const type of FAULT_TYPES) {
      expect(verdictFor({ toxic: type, attributes: defaultAttributes(type) }), type).toBe('valid');
      expect(verdictFor({ toxic: type, attributes: {} }), type).toBe('valid');
      for (const [name, a] of Object.entries(faultOf(type).attributes)) {
        expect(verdictFor({ toxic: type, attributes: { [name]: a.min } }), `${type}.${name}`).toBe('valid');
        expect(verdictFor({ toxic: type, attributes: { [name]: a.max } }), `${type}.${name}`).toBe('valid');
      }
    }
  });

  it('rejects every attribute out of its bounds, an attribute another type has, and an unknown type, naming the field', () => {
    const at = 'scenarios[0].fault';
    for (const type of FAULT_TYPES) {
      for (const [name, a] of Object.entries(faultOf(type).attributes)) {
        expect(verdictFor({ toxic: type, attributes: { [name]: a.max + 1 } }), `${type}.${name}`).toBe(`${at}.attributes.${name}`);
        expect(verdictFor({ toxic: type, attributes: { [name]: a.min - 1 } }), `${type}.${name}`).toBe(`${at}.attributes.${name}`);
      }
      expect(verdictFor({ toxic: type, attributes: { bogus: 1 } }), type).toBe(`${at}.attributes`);
    }
    expect(verdictFor({ toxic: 'latency', attributes: { latency: 1e9 } })).toBe(`${at}.attributes.latency`);
    expect(verdictFor({ toxic: 'http_delay', attributes: { delay: 300 } })).toBe(`${at}.attributes`);
    expect(verdictFor({ toxic: 'rm_rf' as FaultType, attributes: {} })).toBe(`${at}.toxic`);
  });
});

describe('the LLM prompt and answer check, from the table', () => {
  const input = sampleInput();
  const ctx = planContext(input);
  const prompt = buildPrompt(ctx, 10);
  const good = { claim: 'checkout_p99_under_800ms', edge: 'e1', stream: 'downstream', toxicity: 1, faultMs: 5000, rationale: 'table' };

  it('documents every type with every attribute, its bounds and its reason, and offers exactly the table\'s types', () => {
    for (const type of FAULT_TYPES) {
      const line = prompt.user.split('\n').find((l) => l.startsWith(`- ${type} {`));
      expect(line, type).toBeDefined();
      for (const [name, a] of Object.entries(faultOf(type).attributes)) expect(line, `${type}.${name}`).toContain(`${name}: ${a.unit} ${a.min}..${a.max} default ${a.default}`);
      expect(line).toContain(faultOf(type).reason);
    }
    expect(answerSchema.properties.scenarios.items.properties.toxic.enum).toEqual(FAULT_TYPES);
  });

  it('accepts every type with its defaults filled in and drops each attribute out of bounds by name', () => {
    const proposals = FAULT_TYPES.map((toxic) => ({ ...good, toxic, attributes: [] }));
    const { accepted, dropped } = checkProposals(ctx, prompt.handles, proposals);
    expect(dropped).toEqual([]);
    expect(accepted.map((a) => [a.fault.toxic, a.fault.attributes])).toEqual(FAULT_TYPES.map((t) => [t, defaultAttributes(t)]));
    for (const type of FAULT_TYPES) {
      for (const [name, a] of Object.entries(faultOf(type).attributes)) {
        const out = checkProposals(ctx, prompt.handles, [{ ...good, toxic: type, attributes: [{ name, value: a.max + 1 }] }]);
        expect(out.dropped.map((d) => d.reason), `${type}.${name}`).toEqual([`attribute ${name}=${a.max + 1} outside ${a.min}..${a.max}`]);
      }
    }
    expect(checkProposals(ctx, prompt.handles, [{ ...good, toxic: 'http_delay', attributes: [{ name: 'delay', value: 300 }] }]).dropped.map((d) => d.reason))
      .toEqual(['unknown attribute "delay" for http_delay (it takes latency, jitter)']);
  });
});

describe('the proxy and the fault step, from the table', () => {
  let server: RunningFaultProxy;
  beforeAll(async () => {
    server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('types toxics with the table\'s union', () => {
    expectTypeOf<ToxicSpec['type']>().toEqualTypeOf<ToxicType>();
    expectTypeOf<ScenarioFault['toxic']>().toEqualTypeOf<FaultType>();
  });

  it('implements exactly the table\'s toxics, rolling toxicity per request exactly where the table says', () => {
    expect(Object.keys(TOXICS).sort()).toEqual([...TOXIC_TYPES].sort());
    for (const t of TOXIC_TYPES) expect(TOXICS[t].perRequest, t).toBe(FAULTS[t].toxicity === 'request');
  });

  it('reads exactly the table\'s attributes with its defaults for each toxic, and refuses the proxy-state faults as toxics', () => {
    for (const type of TOXIC_TYPES) expect(parseNewToxic({ type }).attributes, type).toEqual(defaultAttributes(type));
    for (const type of FAULT_TYPES.filter((t) => !TOXIC_TYPES.includes(t as ToxicType))) {
      expect(() => parseNewToxic({ type }), type).toThrow('invalid toxic type');
    }
  });

  it('injects and removes every fault type with its defaults on the real proxy, leaving it enabled and clean', async () => {
    const injector = new ToxiproxyInjector(server.url);
    await injector.ensureProxy({ name: 'every', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' });
    for (const toxic of FAULT_TYPES) {
      const f = faultOf(toxic);
      const scenario = { target: { proxy: 'every' }, fault: { toxic, stream: 'downstream', toxicity: 1, attributes: defaultAttributes(toxic) } } as unknown as Plan['scenarios'][number];
      const active = await injectFault(injector, scenario, `faultline-all-${toxic}`, 60_000);
      const live = await injector.getProxy('every');
      if (f.kind === 'toxic') expect(live?.toxics.map((t) => [t.type, t.stream, t.attributes]), toxic).toEqual([[toxic, f.stream ?? 'downstream', defaultAttributes(toxic)]]);
      else expect(live?.enabled, toxic).toBe(false);
      await active.remove();
      expect(await injector.getProxy('every'), toxic).toMatchObject({ enabled: true, toxics: [] });
    }
  });
});

describe('docs/faults.md', () => {
  it('is what the table renders (regenerate: npx tsx -e "import(\'./base/fault-docs.ts\').then(m => process.stdout.write(m.renderFaultsMarkdown()))" > docs/faults.md)', () => {
    const onDisk = readFileSync(new URL('../../docs/faults.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderFaultsMarkdown());
    for (const type of FAULT_TYPES) expect(onDisk).toContain(`| \`${type}\``);
  });
});
