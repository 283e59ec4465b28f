import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../base/errors.js';
import { faultOf } from '../../base/faults.js';
import type { Plan } from '../../generators/plan.js';
import { MAX_PHASE_MS, PLAN_PHASE_MAX_MS } from '../../generators/plan-limits.js';
import { validatePlan } from '../../generators/plan-schema.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import { realPipeline } from '../../src/real-pipeline.js';
import { toyPlan } from '../runners/execute/toy-plan.js';
import { sampleInput } from './plan-input.js';
import { manifestYaml } from './sample-system.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-plan-bounds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const plan = (): Plan => toyPlan({ frontUrl: 'http://127.0.0.1:9000', proxyListen: '127.0.0.1:21000', pricesAddress: '127.0.0.1:9001' });

/** Load `doc` the way `faultline run` does (a plan.json on disk) and return the PLAN_INVALID error, if any. */
async function loadError(doc: Plan, name = 'plan.json'): Promise<Error | undefined> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(doc));
  return realPipeline({}).loadPlan(path).then(() => undefined, (err: Error) => err);
}

describe('a hand-edited plan.json is held to the bounds of a generated one', () => {
  it('loads the unedited plan', async () => {
    expect(await loadError(plan())).toBeUndefined();
  });

  const edits: [string, (p: Plan) => void, RegExp][] = [
    ['faultMs 1e9', (p) => { p.scenarios[0].phases.faultMs = 1e9; }, /scenarios\[0\]\.phases\.faultMs: .*3600000/],
    ['baselineMs 1e9', (p) => { p.scenarios[0].phases.baselineMs = 1e9; }, /scenarios\[0\]\.phases\.baselineMs: .*3600000/],
    ['recoveryMs 1e9', (p) => { p.scenarios[0].phases.recoveryMs = 1e9; }, /scenarios\[0\]\.phases\.recoveryMs: .*7200000/],
    ['a latency of 1e9 ms', (p) => { p.scenarios[0].fault.attributes.latency = 1e9; }, new RegExp(`scenarios\\[0\\]\\.fault\\.attributes\\.latency: .*${faultOf('latency').attributes.latency.max}`)],
    ['toxicity 1.5', (p) => { p.scenarios[0].fault.toxicity = 1.5; }, /scenarios\[0\]\.fault\.toxicity: .*1/],
    ['a negative fault phase', (p) => { p.scenarios[0].phases.faultMs = -1; }, /scenarios\[0\]\.phases\.faultMs/],
    ['a workload of 1e9 requests per second', (p) => { p.scenarios[0].workload.ratePerSec = 1e9; }, /scenarios\[0\]\.workload\.ratePerSec: .*10000/],
  ];
  for (const [what, edit, message] of edits) {
    it(`rejects ${what} with PLAN_INVALID naming the field and its bound`, async () => {
      const doc = plan();
      edit(doc);
      const err = await loadError(doc);
      expect(isFaultlineError(err, 'PLAN_INVALID')).toBe(true);
      expect(err?.message).toMatch(message);
    });
  }

  it('accepts every fault phase up to the stated maximum and rejects every one above it (property)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (faultMs) => {
      const doc = plan();
      doc.scenarios[0].phases.faultMs = faultMs;
      let ok = true;
      try {
        validatePlan(doc);
      } catch (err) {
        ok = false;
        expect((err as Error).message).toContain('scenarios[0].phases.faultMs');
      }
      expect(ok).toBe(faultMs <= PLAN_PHASE_MAX_MS.faultMs);
    }), { numRuns: 200 });
  });

  it('keeps a plan generated from the longest phases a manifest may ask for valid', async () => {
    const yaml = `${manifestYaml}phases: { baselineMs: ${MAX_PHASE_MS}, faultMs: ${MAX_PHASE_MS}, recoveryMs: ${MAX_PHASE_MS} }\n`;
    const generated = await new RulePlanGenerator().generate(sampleInput(yaml));
    expect(generated.scenarios.length).toBeGreaterThan(0);
    expect(validatePlan(JSON.parse(JSON.stringify(generated))).scenarios).toHaveLength(generated.scenarios.length);
  });
});
