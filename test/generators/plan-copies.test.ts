import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../generators/plan-schema.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import { sampleInput } from './plan-input.js';

describe('a plan runs on its own', () => {
  it('carries the manifest trace source and hooks, and validates with them', async () => {
    const input = sampleInput();
    const plan = await new RulePlanGenerator().generate(input);
    expect(plan.traces).toEqual(input.manifest.traces);
    expect(plan.hooks).toEqual({ beforeScenario: [] });
    expect(validatePlan(JSON.parse(JSON.stringify(plan))).traces).toEqual(input.manifest.traces);
  });

  it('still accepts a plan written before traces and hooks were copied into plans', async () => {
    const plan = JSON.parse(JSON.stringify(await new RulePlanGenerator().generate(sampleInput())));
    delete plan.traces;
    delete plan.hooks;
    expect(validatePlan(plan).scenarios.length).toBeGreaterThan(0);
  });
});
