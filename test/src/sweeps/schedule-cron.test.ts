import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../../base/errors.js';
import { checkCron, describeInterval } from '../../../src/sweeps/schedule-cron.js';

const now = new Date('2026-12-02T10:00:00.000Z');
const HOUR = 3_600_000;

describe('checkCron', () => {
  it('answers any text with a next run after now or a BAD_INPUT naming the field, nothing else', () => {
    const field = fc.oneof(fc.constantFrom('*', '0', '*/5', '1-5', 'L', '?', 'MON', '61', '1,2', '#'), fc.string({ maxLength: 4 }));
    const cron = fc.oneof(fc.array(field, { minLength: 1, maxLength: 7 }).map((f) => f.join(' ')), fc.string({ maxLength: 30 }));
    fc.assert(fc.property(cron, (text) => {
      try {
        const { nextRunAt } = checkCron(text, 'UTC', { minIntervalMs: HOUR, now, field: 'body/cron' });
        expect(nextRunAt.getTime()).toBeGreaterThan(now.getTime());
      } catch (err) {
        expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
        expect((err as Error).message.startsWith('body/cron ')).toBe(true);
      }
    }), { numRuns: 500 });
  });

  it('accepts exactly the schedules whose ticks are never closer than the minimum', () => {
    expect(checkCron('0 * * * *', 'UTC', { minIntervalMs: HOUR, now }).nextRunAt.toISOString()).toBe('2026-12-02T11:00:00.000Z');
    expect(() => checkCron('59 * * * *,', 'UTC', { minIntervalMs: HOUR, now })).toThrow(/not a valid cron expression/);
    expect(() => checkCron('0,59 3 * * *', 'UTC', { minIntervalMs: HOUR, now })).toThrow(/ticks 59 min apart/);
    expect(() => checkCron('0 3 * * *', 'Mars/Olympus', { minIntervalMs: HOUR, now })).toThrow(/not a valid cron expression/);
  });

  it('words intervals the way people write them', () => {
    expect([HOUR, 300_000, 1500, 86_400_000].map(describeInterval)).toEqual(['1 h', '5 min', '1.5 s', '24 h']);
  });
});
