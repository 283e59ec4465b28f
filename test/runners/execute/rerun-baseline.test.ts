import { describe, expect, it } from 'vitest';
import { damagedBaseline } from '../../../runners/execute/scenario/rerun-baseline.js';
import { history, spread } from '../../support/history-build.js';

/** A baseline of 50 checkout ops, every `failEvery`-th failing (0: none). */
const baseline = (failEvery: number) => history(spread(50, 0, 10_000, (i) => ({ ok: failEvery === 0 || i % failEvery !== 0 })));

describe('a same-seed re-run\'s starting state', () => {
  it('says the first attempt\'s damage showed again when the re-run\'s baseline fails far more often', () => {
    expect(damagedBaseline(baseline(0), baseline(2), ['checkout'], 0.05)).toBe(
      "its baseline already failed 25 of 50 checkout requests (first attempt: 0 of 50): the first attempt's damage had not healed, which reproduces it",
    );
  });

  it('takes a baseline as failing as the first attempt\'s, or a routine error more, as the same starting state', () => {
    expect(damagedBaseline(baseline(10), baseline(10), ['checkout'], 0.05)).toBeUndefined();
    expect(damagedBaseline(baseline(0), baseline(25), ['checkout'], 0.05)).toBeUndefined();
  });

  it('has nothing to compare for an entrypoint one of the attempts never drove', () =>
    expect(damagedBaseline(baseline(0), baseline(2), ['search'], 0.05)).toBeUndefined());
});
