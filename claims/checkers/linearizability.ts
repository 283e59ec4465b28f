/**
 * Linearizability of a register, or of a key-value map checked per key
 * (P-compositionality, Horn & Kroening 2015: a map history is linearizable
 * iff each key's sub-history is, so keys are searched independently).
 *
 * Reading the history:
 * - writes are ops of `writeEntrypoint`, their value is `valueSelector` of
 *   the op's input (the whole input without a selector);
 * - reads are ops of `readEntrypoint`, their value is `valueSelector` of the
 *   output; reads that failed or timed out observed nothing and are dropped;
 * - a write that timed out, or failed without a 4xx answer (5xx, transport
 *   error), may have happened: its completion is +∞; a write refused with a
 *   4xx did not happen and is dropped;
 * - kv key: the input's `key` member when present, else the resource the
 *   op's URL addressed (`GET` and `PUT /carts/c-{{int 1 50}}/items`
 *   address the same key `7`), else the op's request key.
 *
 * An indeterminate write whose value no read ever returned is dropped before
 * the search: placed anywhere, it is overwritten before anyone could see it,
 * so it changes nothing (and it would otherwise widen every branch).
 */
import type { ClaimCheck } from '../claim.js';
import { isRefusal, type History, type Op } from '../history.js';
import type { Anomaly, CheckResult } from '../check-result.js';
import { evaluateSelector } from '../selector.js';
import { searchRegister, type LinOp } from './linearization-search.js';
import { count, insufficient, MIN_OPS, report } from './report.js';

type LinearizableCheck = Extract<ClaimCheck, { type: 'linearizable' }>;

/** Search steps allowed per key before giving up (a 10,000-op register needs far fewer). */
export const DEFAULT_SEARCH_BUDGET = 10_000_000;

function valueOf(doc: unknown, selector: string | undefined): string {
  const v = selector ? evaluateSelector(doc, selector)[0] : doc;
  return JSON.stringify(v ?? null);
}

function mapKeyOf(op: Op): string | undefined {
  const input = op.input as { key?: unknown } | undefined;
  if (input && typeof input === 'object' && (typeof input.key === 'string' || typeof input.key === 'number')) return String(input.key);
  return op.resource ?? op.key;
}

/** Register ops of one history, split by key (one partition `''` for a register). */
export function toLinOps(history: History, check: LinearizableCheck): { partitions: Map<string, LinOp[]>; dropped: number; keyless: number } {
  const partitions = new Map<string, LinOp[]>();
  let dropped = 0;
  let keyless = 0;
  for (const op of history.ops) {
    const isWrite = op.type === check.writeEntrypoint;
    if (!isWrite && op.type !== check.readEntrypoint) continue;
    let lin: LinOp | undefined;
    if (isWrite) {
      const refused = !op.ok && !op.timeout && isRefusal(op);
      if (!refused) lin = { id: op.id, process: op.process, kind: 'write', value: valueOf(op.input, check.valueSelector), invoke: op.invokeMs, complete: op.ok ? op.completeMs : Infinity };
    } else if (op.ok) {
      lin = { id: op.id, process: op.process, kind: 'read', value: valueOf(op.output, check.valueSelector), invoke: op.invokeMs, complete: op.completeMs };
    }
    if (!lin) {
      dropped++;
      continue;
    }
    const key = check.model === 'kv' ? mapKeyOf(op) : '';
    if (key === undefined) {
      keyless++;
      continue;
    }
    const list = partitions.get(key);
    if (list) list.push(lin);
    else partitions.set(key, [lin]);
  }
  for (const [key, ops] of partitions) {
    const read = new Set(ops.filter((o) => o.kind === 'read').map((o) => o.value));
    const kept = ops.filter((o) => o.complete !== Infinity || read.has(o.value));
    dropped += ops.length - kept.length;
    partitions.set(key, kept);
  }
  return { partitions, dropped, keyless };
}

/**
 * A cheap exact test before the search: once any write has completed the
 * register only ever holds written values, so a read of a value no write
 * wrote, invoked after a write completed, has no linearization — and the
 * search would have to exhaust every earlier interleaving to prove it.
 */
function unwrittenReads(ops: LinOp[]): LinOp[] {
  const written = new Set(ops.filter((o) => o.kind === 'write').map((o) => o.value));
  const firstDone = Math.min(...ops.filter((o) => o.kind === 'write').map((o) => o.complete));
  return ops.filter((o) => o.kind === 'read' && !written.has(o.value) && o.invoke > firstDone);
}

function describe(op: LinOp): string {
  const end = op.complete === Infinity ? '?' : `${Math.round(op.complete)}`;
  return `op ${op.id} (process ${op.process} ${op.kind} ${op.value} at ${Math.round(op.invoke)}–${end} ms)`;
}

/** Check a linearizable-register or per-key map claim. */
export function checkLinearizable(claimId: string, check: LinearizableCheck, history: History, budget = DEFAULT_SEARCH_BUDGET): CheckResult {
  const name = `linearizable-${check.model}`;
  const { partitions, dropped, keyless } = toLinOps(history, check);
  const all = [...partitions.values()].flat();
  if (all.length === 0) return insufficient(claimId, name, `no ops of ${check.readEntrypoint}/${check.writeEntrypoint} to check`);
  if (all.length < MIN_OPS) return insufficient(claimId, name, `only ${all.length} register ops (need ${MIN_OPS})`, all.length);
  if (!all.some((o) => o.kind === 'read')) return insufficient(claimId, name, `no completed read of ${check.readEntrypoint}: nothing observed the register`, all.length);

  const anomalies: Anomaly[] = [];
  const gaveUp: string[] = [];
  const unread: string[] = [];
  for (const [key, ops] of partitions) {
    if (!ops.some((o) => o.kind === 'read')) unread.push(key);
    const where = check.model === 'kv' ? `key ${key}: ` : '';
    const phantom = unwrittenReads(ops);
    if (phantom.length) {
      for (const r of phantom) anomalies.push({ message: `${where}${describe(r)} returned a value no write wrote`, ops: [r.id], ...(check.model === 'kv' ? { key } : {}) });
      continue;
    }
    const out = searchRegister(ops, budget);
    if (out.result === 'gave-up') gaveUp.push(key);
    else if (out.result === 'violation') {
      anomalies.push({
        message: `${where}no linearization: ${describe(out.stuck)} cannot complete after ${count(out.linearized)} linearized ops`,
        ops: [out.stuck.id, ...ops.filter((o) => o.invoke <= out.stuck.complete && o.complete >= out.stuck.invoke && o.id !== out.stuck.id).map((o) => o.id)],
        ...(check.model === 'kv' ? { key } : {}),
      });
    }
  }
  const extra: string[] = [];
  if (check.model === 'kv') extra.push(`${partitions.size} keys`);
  if (dropped) extra.push(`${dropped} ops dropped (failed/timed-out reads, refused or unobserved indeterminate writes)`);
  if (keyless) extra.push(`${keyless} ops without a key skipped`);
  if (unread.length && check.model === 'kv') extra.push(`${unread.length} keys never read`);
  // A few write-only keys are normal under a random workload; most keys unread means the claim was barely exercised.
  const unexercised = check.model === 'kv' && unread.length * 2 > partitions.size ? unread.map((k) => `key ${k} (never read)`) : [];
  const partialModel = gaveUp.length
    ? `search gave up on ${gaveUp.length} of ${partitions.size} ${check.model === 'kv' ? 'keys' : 'registers'} after ${count(budget)} steps${check.model === 'kv' ? `: ${gaveUp.slice(0, 5).join(', ')}` : ''}`
    : undefined;
  return report({ claimId, checker: name, consumed: all.length, anomalies, extra, partialModel, unexercised });
}
