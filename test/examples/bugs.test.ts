import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUGS, formatBugs, parseBugs } from '../../examples/demo/bugs.js';
import { isFaultlineError } from '../../base/errors.js';

describe('demo bug switches', () => {
  it('switches every bug on when DEMO_BUGS is absent, empty or "all"', () => {
    expect(parseBugs(undefined)).toEqual([...BUGS]);
    expect(parseBugs('')).toEqual([...BUGS]);
    expect(parseBugs('all')).toEqual([...BUGS]);
  });

  it('switches every bug off with "none"', () => {
    expect(parseBugs('none')).toEqual([]);
    expect(formatBugs([])).toBe('none');
  });

  it('reads a comma list with spaces, in canonical order', () => {
    expect(parseBugs(' lost-email , no-timeout')).toEqual(['no-timeout', 'lost-email']);
    expect(parseBugs(['double-charge'])).toEqual(['double-charge']);
  });

  it('rejects an unknown bug name with BAD_INPUT naming it', () => {
    let caught: unknown;
    try { parseBugs('no-timeout,no-timout'); } catch (err) { caught = err; }
    expect(isFaultlineError(caught, 'BAD_INPUT')).toBe(true);
    expect((caught as Error).message).toContain('"no-timout"');
  });

  it('round-trips any subset of bugs through formatBugs', () => {
    fc.assert(fc.property(fc.subarray([...BUGS]), (subset) => {
      expect(parseBugs(formatBugs(subset))).toEqual(BUGS.filter((b) => subset.includes(b)));
    }));
  });

  it('never crashes on arbitrary text: it parses or throws BAD_INPUT', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      try {
        const bugs = parseBugs(text);
        expect(bugs.every((b) => (BUGS as readonly string[]).includes(b))).toBe(true);
      } catch (err) {
        expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
      }
    }));
  });
});
