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

/**
 * Every value the ops sent, with the ops that sent it: each string or
 * number leaf of the body, and each segment and query value of the path.
 */
export function sentValues(ops: readonly Op[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (v: string, id: number) => {
    if (v === '') return;
    const ids = out.get(v);
    if (!ids) out.set(v, [id]);
    else if (ids[ids.length - 1] !== id) ids.push(id);
  };
  for (const o of ops) {
    for (const v of leaves(o.input)) add(v, o.id);
    if (o.path === undefined) continue;
    const [path, query = ''] = o.path.split('?', 2);
    for (const seg of path.split('/')) add(seg, o.id);
    for (const pair of query.split('&')) add(pair.slice(pair.indexOf('=') + 1), o.id);
  }
  return out;
}

function leaves(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (v && typeof v === 'object') return Object.values(v).flatMap(leaves);
  return [];
}

/**
 * The keys a record of `op` may carry: its request key, and every value it
 * sent that was built from it (`ord-{{key}}` renders `ord-<key>`): a
 * client-made id is the op's identity as much as the bare key is.
 */
export function keysOf(op: Op): string[] {
  const key = op.key;
  if (key === undefined) return [];
  return [key, ...[...sentValues([op]).keys()].filter((v) => v !== key && v.includes(key))];
}
