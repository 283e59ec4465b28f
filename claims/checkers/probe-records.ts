/**
 * Reading the records a claim's selector picks out of a probe dump, and the
 * keyed ops they are matched against. Shared by the record checkers
 * (at-most-once, exactly-once, no-lost-ack, conservation, queue order).
 */
import { isFaultlineError } from '../../base/errors.js';
import type { History, Op } from '../history.js';
import { evaluateSegments, parseSelector } from '../selector.js';

/** Values picked from a dump, or why there are none to trust. */
export type Picked = { values: unknown[] } | { insufficient: string };

/**
 * The values `selector` matches in `dumps[which][probe]`. An empty match is
 * data (zero records) when the selector's container exists (`$.orders` is an
 * array with no `requestKey`s yet); otherwise the selector is wrong for this
 * probe and the check cannot be trusted.
 */
export function pick(history: History, which: 'before' | 'after', probe: string, selector: string): Picked {
  const dump = history.probes?.[which];
  if (!dump || !Object.prototype.hasOwnProperty.call(dump, probe)) return { insufficient: `probe ${probe} missing from the ${which} dump` };
  let segments;
  try {
    segments = parseSelector(selector);
  } catch (err) {
    if (isFaultlineError(err, 'BAD_INPUT')) return { insufficient: err.message };
    throw err;
  }
  const values = evaluateSegments(dump[probe], segments);
  if (values.length > 0) return { values };
  // The longest prefix that matches something: an empty collection right
  // before a wildcard (`$.orders` = [] for `$.orders[*].requestKey`) is real data.
  let empty = false;
  for (let k = segments.length - 1; k >= 0; k--) {
    const nodes = evaluateSegments(dump[probe], segments.slice(0, k));
    if (nodes.length === 0) continue;
    empty = segments[k].kind === 'wildcard' && nodes.some((c) => (Array.isArray(c) ? c.length === 0 : c !== null && typeof c === 'object' && Object.keys(c).length === 0));
    break;
  }
  return empty ? { values } : { insufficient: `selector ${selector} matches nothing in the ${which} dump of probe ${probe}` };
}

/** A record key as a string (numbers and strings compare by text, objects by JSON). */
export function keyText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** Occurrences of each key among the records. */
export function tally(values: unknown[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) {
    const k = keyText(v);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Keyed ops of the entrypoint (all entrypoints when undefined), or why there are none. */
export function keyedOps(history: History, entrypoint: string | undefined): { ops: Op[] } | { insufficient: string } {
  const ofEntry = history.ops.filter((o) => entrypoint === undefined || o.type === entrypoint);
  if (ofEntry.length === 0) return { insufficient: entrypoint ? `no ops of ${entrypoint} in the history` : 'no ops in the history' };
  const ops = ofEntry.filter((o) => o.key !== undefined);
  if (ops.length === 0) return { insufficient: 'no op carries a request key (set idempotencyHeader on the entrypoint)' };
  return { ops };
}
