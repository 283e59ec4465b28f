/**
 * A schedule's cron, checked by the parser BullMQ itself uses (cron-parser),
 * so what the API accepts is exactly what the job scheduler will run, and
 * held to a minimum interval: a sweep faults real dependencies, so a
 * schedule ticking every second is a mistake or an attack, never a plan.
 */
import { CronExpressionParser } from 'cron-parser';
import { fail } from '../../base/errors.js';

/** Default minimum interval between two ticks: one hour (FAULTLINE_MIN_SCHEDULE_INTERVAL). */
export const DEFAULT_MIN_INTERVAL_MS = 3_600_000;

/**
 * Ticks sampled to find the shortest gap. Short gaps come in runs (every
 * minute of one hour, two ticks on the same day), so the first ticks show
 * them; 64 ticks of a weekly schedule cover more than a year.
 */
const SAMPLED_TICKS = 64;

/** What a valid cron yields. */
export interface CronTiming {
  /** The first tick after `now`. */
  nextRunAt: Date;
}

/** `3600000` → `1 h`, `300000` → `5 min`, `1500` → `1.5 s`. */
export function describeInterval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/**
 * Parse `cron` in `timezone` and check it against the minimum interval.
 * BAD_INPUT names `field` (e.g. `body/cron`) when the expression does not
 * parse or ticks more often than `minIntervalMs`.
 */
export function checkCron(cron: string, timezone: string, opts: { minIntervalMs: number; now: Date; field?: string }): CronTiming {
  const field = opts.field ?? 'cron';
  let ticks: Date[];
  try {
    const expr = CronExpressionParser.parse(cron, { tz: timezone, currentDate: opts.now });
    ticks = [];
    for (let i = 0; i < SAMPLED_TICKS && expr.hasNext(); i++) ticks.push(expr.next().toDate());
  } catch (err) {
    throw fail('BAD_INPUT', `${field} ${JSON.stringify(cron)} is not a valid cron expression: ${(err as Error).message}`, { field: 'cron' });
  }
  if (ticks.length === 0) throw fail('BAD_INPUT', `${field} ${JSON.stringify(cron)} never fires`, { field: 'cron' });
  for (let i = 1; i < ticks.length; i++) {
    const gap = ticks[i].getTime() - ticks[i - 1].getTime();
    if (gap < opts.minIntervalMs) {
      throw fail('BAD_INPUT', `${field} ${JSON.stringify(cron)} fires more often than the minimum interval of ${describeInterval(opts.minIntervalMs)} (ticks ${describeInterval(gap)} apart; FAULTLINE_MIN_SCHEDULE_INTERVAL)`, { field: 'cron', minIntervalMs: opts.minIntervalMs });
    }
  }
  return { nextRunAt: ticks[0] };
}
