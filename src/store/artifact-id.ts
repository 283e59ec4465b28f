/**
 * Artifact ids: a kind prefix, a sortable UTC timestamp and a random tail
 * (`run-20250101T030000Z-3f9a1c`), so `ls` shows them in time order and two
 * processes never collide.
 */
import { randomBytes } from 'node:crypto';

/** A new id for `prefix` at `now`. */
export function newId(prefix: string, now: Date): string {
  const ts = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${ts}-${randomBytes(3).toString('hex')}`;
}

/** Wall-clock source, injected so tests control time. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };
