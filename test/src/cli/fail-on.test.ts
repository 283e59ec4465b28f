/**
 * `--fail-on` lists: exact verdicts and families (FAIL, INCONCLUSIVE,
 * PARTIAL) name exactly the verdicts they say, in any order and spacing;
 * anything else is a usage error naming the flag.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { failOnMatches, parseFailOn, VERDICT_FAMILIES } from '../../../src/cli/fail-on.js';
import { isFaultlineError } from '../../../base/errors.js';
import { VERDICTS, type ScenarioResult } from '../../../runners/record/result.js';

describe('--fail-on', () => {
  it('expands a family to its verdicts and keeps exact verdicts exact', () => {
    expect([...parseFailOn('FAIL,INCONCLUSIVE-env')].sort()).toEqual(['FAIL-nondeterministic', 'FAIL-reproducible', 'INCONCLUSIVE-env']);
    expect([...parseFailOn(' PARTIAL ')].sort()).toEqual(['PARTIAL-model', 'PARTIAL-surface']);
    expect([...parseFailOn('INCONCLUSIVE')].sort()).toEqual(['INCONCLUSIVE-env', 'INCONCLUSIVE-fault-not-proven', 'INCONCLUSIVE-oracle-too-weak']);
  });

  it('names exactly the union of what its entries name, whatever their order and spacing', () => {
    const entry = fc.constantFrom(...VERDICT_FAMILIES, ...VERDICTS);
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' ', '  '), (entries, pad) => {
      const got = parseFailOn(entries.map((e) => `${pad}${e}${pad}`).join(','));
      const want = new Set(VERDICTS.filter((v) => entries.some((e) => e === v || v.startsWith(`${e}-`))));
      expect(got).toEqual(want);
    }));
  });

  it('rejects an unknown or empty entry as a usage error naming the flag', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/,/.test(s) && s.trim() !== '' && ![...VERDICT_FAMILIES, ...VERDICTS].includes(s.trim() as never)), (bad) => {
      let thrown: unknown;
      try { parseFailOn(`FAIL,${bad}`); } catch (err) { thrown = err; }
      expect(isFaultlineError(thrown, 'BAD_INPUT') && thrown.details?.flag).toBe('--fail-on');
    }));
    expect(() => parseFailOn(' , ')).toThrow(/at least one/);
    expect(() => parseFailOn('fail')).toThrow(/unknown verdict "fail"/);
  });

  it('matches the scenarios whose verdict is in the set', () => {
    const results = [{ scenarioId: 'a', verdict: 'PASS-hardening' }, { scenarioId: 'b', verdict: 'INCONCLUSIVE-env' }, { scenarioId: 'c', verdict: 'FAIL-reproducible' }] as ScenarioResult[];
    expect(failOnMatches({ results }, parseFailOn('FAIL'))).toEqual([{ scenarioId: 'c', verdict: 'FAIL-reproducible' }]);
    expect(failOnMatches({ results }, parseFailOn('PARTIAL'))).toEqual([]);
  });
});
