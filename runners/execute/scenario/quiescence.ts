/**
 * Quiescence: effects are read once nothing is in flight. Claims such as
 * conservation or exactly-once hold "once the system has settled"; an
 * after-dump read while a queue still drains makes a healthy system look
 * broken. The manifest says what settled means (generators/manifest.ts
 * ManifestQuiescence, globally or per probe); without a word from it, every
 * probe the scenario's checks read must stay unchanged for 3 s and every
 * such bullmq-queue probe be empty, within 10 s. The wait is bounded: when it times out the effects are
 * read anyway and the history says they were read before quiescence.
 */
import type { ManifestProbe, ManifestQuiescence } from '../../../generators/manifest.js';
import type { QuiescenceRecord } from '../../../claims/history.js';
import { evaluateSelector } from '../../../claims/selector.js';
import type { ProbeDumpResult } from '../probes.js';
import { sleep } from './sleep.js';

/**
 * Default stability time and bound when the manifest declares nothing. A
 * consumer that lost its broker connection under the fault reconnects with
 * back-off (ioredis waits up to 2 s between attempts by default, BullMQ and
 * most AMQP/Kafka clients similar), and its probe does not move meanwhile;
 * a stable window shorter than that reads a backlog as lost work.
 */
export const DEFAULT_STABLE_FOR_MS = 3000;
export const DEFAULT_QUIESCENCE_TIMEOUT_MS = 10_000;
const POLL_MS = 200;
/** Every probe unreadable this long: the system is not settling, it is gone; the lasting-damage check takes over. */
export const UNREADABLE_GIVE_UP_MS = 2000;

/** One thing that must hold; `probe` undefined on a stability condition means every probe. */
interface Condition {
  probe?: string;
  selector?: string;
  equals?: number | string | boolean;
  stableForMs?: number;
  queueEmpty?: boolean;
}

/** The conditions of a plan and the bound on waiting for them. */
export interface QuiescencePlan {
  conditions: Condition[];
  timeoutMs: number;
  /** In words, for the history and findings. */
  describe: string;
}

function describeCondition(c: Condition): string {
  const parts: string[] = [];
  if (c.queueEmpty) parts.push(`queue ${c.probe} empty`);
  if (c.selector !== undefined) parts.push(`${c.probe}${c.selector.slice(1)} = ${JSON.stringify(c.equals ?? true)}`);
  if (c.stableForMs !== undefined) parts.push(`${c.probe ?? 'every probe'} unchanged for ${c.stableForMs} ms`);
  return parts.join(' and ');
}

/**
 * What to wait for, from the manifest's declarations or the default. With
 * `read` (the probes the scenario's checks read), the default waits only
 * for those: a probe no check reads cannot turn in-flight work into a
 * false verdict, so its movement is no reason to wait.
 */
export function quiescencePlan(probes: readonly ManifestProbe[], declared?: ManifestQuiescence, read?: ReadonlySet<string>): QuiescencePlan {
  const conditions: Condition[] = [];
  const timeouts: number[] = [];
  if (declared) {
    conditions.push({ probe: declared.probe, selector: declared.selector, equals: declared.equals, stableForMs: declared.stableForMs });
    if (declared.timeoutMs !== undefined) timeouts.push(declared.timeoutMs);
  }
  for (const p of probes) {
    if (!p.quiescence) continue;
    conditions.push({ probe: p.name, selector: p.quiescence.selector, equals: p.quiescence.equals, stableForMs: p.quiescence.stableForMs });
    if (p.quiescence.timeoutMs !== undefined) timeouts.push(p.quiescence.timeoutMs);
  }
  if (conditions.length === 0 && probes.length > 0) {
    if (read === undefined) conditions.push({ stableForMs: DEFAULT_STABLE_FOR_MS });
    for (const p of probes) {
      if (read !== undefined && !read.has(p.name)) continue;
      if (read !== undefined) conditions.push({ probe: p.name, stableForMs: DEFAULT_STABLE_FOR_MS });
      if (p.type === 'bullmq-queue') conditions.push({ probe: p.name, queueEmpty: true });
    }
  }
  const timeoutMs = timeouts.length > 0 ? Math.max(...timeouts) : DEFAULT_QUIESCENCE_TIMEOUT_MS;
  const describe = conditions.length === 0 ? 'no probes: nothing to wait for' : `${conditions.map(describeCondition).join('; ')} (within ${timeoutMs} ms)`;
  return { conditions, timeoutMs, describe };
}

/** Feeds successive dumps; answers what is still unsettled. Pure apart from the times it is given. */
export class QuiescenceWatch {
  private readonly last = new Map<string, { json: string; since: number }>();

  constructor(private readonly plan: QuiescencePlan) {}

  /** Observe one dump round at `atMs`; returns what still keeps it from being quiescent (empty: quiescent). */
  observe(atMs: number, dump: ProbeDumpResult): string[] {
    for (const [name, value] of Object.entries(dump.values)) {
      const json = JSON.stringify(value);
      const prev = this.last.get(name);
      if (!prev || prev.json !== json) this.last.set(name, { json, since: atMs });
    }
    for (const name of [...this.last.keys()]) if (!(name in dump.values)) this.last.delete(name);
    const waiting: string[] = [...dump.errors];
    for (const c of this.plan.conditions) {
      const names = c.probe === undefined ? Object.keys(dump.values) : [c.probe];
      for (const name of names) {
        if (!(name in dump.values)) {
          if (!dump.errors.some((e) => e.includes(`probe ${name} `))) waiting.push(`probe ${name} not read`);
          continue;
        }
        const value = dump.values[name];
        if (c.queueEmpty) {
          const q = value as { waiting?: number; active?: number; delayed?: number };
          const n = (q.waiting ?? 0) + (q.active ?? 0) + (q.delayed ?? 0);
          if (n > 0) waiting.push(`queue ${name} still holds ${n} jobs`);
        }
        if (c.selector !== undefined) {
          const want = c.equals ?? true;
          const got = evaluateSelector(value, c.selector);
          if (got.length === 0 || got.some((v) => v !== want)) waiting.push(`${name}${c.selector.slice(1)} is ${JSON.stringify(got.length === 1 ? got[0] : got)}, waiting for ${JSON.stringify(want)}`);
        }
        if (c.stableForMs !== undefined) {
          const stableFor = atMs - (this.last.get(name)?.since ?? atMs);
          if (stableFor < c.stableForMs) waiting.push(`probe ${name} changed ${Math.round(stableFor)} ms ago`);
        }
      }
    }
    return [...new Set(waiting)];
  }
}

/** Reads every probe once (ProbeReader.dump). */
export type DumpProbes = () => Promise<ProbeDumpResult>;

/**
 * Poll the probes until the plan's conditions hold or its bound passes.
 * Returns the record for the history and the last dump (the after-dump).
 */
export async function waitForQuiescence(dump: DumpProbes, plan: QuiescencePlan, clock: () => number, signal?: AbortSignal): Promise<{ record: QuiescenceRecord; last: ProbeDumpResult }> {
  const start = clock();
  const watch = new QuiescenceWatch(plan);
  let unreadableSince: number | undefined;
  for (;;) {
    const last = await dump();
    const now = clock();
    const waiting = watch.observe(now, last);
    const waitedMs = Math.round(now - start);
    if (waiting.length === 0) return { record: { reached: true, condition: plan.describe, waitedMs }, last };
    unreadableSince = Object.keys(last.values).length === 0 && last.errors.length > 0 ? (unreadableSince ?? now) : undefined;
    if (now - start >= plan.timeoutMs || (unreadableSince !== undefined && now - unreadableSince >= UNREADABLE_GIVE_UP_MS)) {
      return { record: { reached: false, condition: plan.describe, waitedMs, detail: waiting.slice(0, 5).join('; ') }, last };
    }
    await sleep(Math.min(POLL_MS, Math.max(0, plan.timeoutMs - (now - start))), signal);
  }
}
