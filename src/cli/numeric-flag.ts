/**
 * Numeric CLI flags: commander hands over strings, and every command turns
 * them into numbers the same way, with one error shape:
 * `--top must be a positive integer, got "x"` (BAD_INPUT naming the flag).
 */
import { fail } from '../../base/errors.js';

/** What a numeric flag must be: the words for the error and the test itself. */
export interface NumberRule {
  expect: string;
  ok: (n: number) => boolean;
}

export const POSITIVE: NumberRule = { expect: 'a number above 0', ok: (n) => n > 0 };
export const POSITIVE_INTEGER: NumberRule = { expect: 'a positive integer', ok: (n) => Number.isInteger(n) && n >= 1 };
export const INTEGER: NumberRule = { expect: 'an integer', ok: Number.isInteger };

/** Parse `raw` for `flag`; undefined stays undefined (the flag was not given). */
export function numericFlag(flag: string, raw: string, rule: NumberRule): number;
export function numericFlag(flag: string, raw: string | undefined, rule: NumberRule): number | undefined;
export function numericFlag(flag: string, raw: string | undefined, rule: NumberRule): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !rule.ok(n)) throw fail('BAD_INPUT', `${flag} must be ${rule.expect}, got ${JSON.stringify(raw)}`, { flag });
  return n;
}
