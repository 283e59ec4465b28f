/**
 * Revisits: once a fault has ended, part of the load re-asks the resources
 * whose requests failed during it. A fresh random request mostly addresses
 * resources the fault never touched, so it cannot see damage that sticks to
 * the ones it did: an error cached for a key (a negative cache with the
 * positive TTL), a lock or lease taken by a request that then failed and
 * never released, a per-key breaker left open. A client retrying later is
 * exactly what users do after an outage, so recovery is judged on those
 * requests too, not only on new ones.
 *
 * A revisit replays the failed op's resource choices (`{{int}}`, `{{pick}}`)
 * with a fresh request key and fresh uuids: the same resource, a new
 * request, never a replay of the old one.
 */
import type { Op } from '../../../claims/history.js';
import type { Choice } from './template.js';
import type { Rng } from './rng.js';

/** Share of recovery-phase ops of an entrypoint that re-ask a failed request, while there is one to re-ask. */
const REVISIT_SHARE = 0.5;

/** The failed fault-phase requests of each entrypoint, and whose turn it is to be re-asked. */
export class Revisits {
  private readonly failed = new Map<string, { choices: readonly Choice[]; opId: number }[]>();
  private readonly seen = new Set<string>();
  private readonly turn = new Map<string, number>();

  /** Note a completed op: a failed (or timed-out) op of the fault phase that drew resource choices is one to re-ask. */
  record(op: Op): void {
    const choices = op.choices;
    if (op.epoch !== 'fault' || op.ok || choices === undefined || choices.length === 0) return;
    const id = `${op.type}\u0000${JSON.stringify(choices)}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const list = this.failed.get(op.type) ?? [];
    list.push({ choices, opId: op.id });
    this.failed.set(op.type, list);
  }

  /**
   * For an op of `type` about to be sent in the recovery phase: the failed
   * request it should re-ask, in turn (each distinct failed resource before
   * any twice), or undefined for a fresh one.
   */
  pick(type: string, rng: Rng): { choices: readonly Choice[]; opId: number } | undefined {
    const list = this.failed.get(type);
    if (!list || list.length === 0) return undefined;
    if (rng.next() >= REVISIT_SHARE) return undefined;
    const i = this.turn.get(type) ?? 0;
    this.turn.set(type, i + 1);
    return list[i % list.length];
  }
}
