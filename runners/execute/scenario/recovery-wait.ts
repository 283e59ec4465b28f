/**
 * The recovery phase, ended as soon as its evidence is complete, and no
 * earlier than any bound a claim of the scenario names. The evidence is
 * complete when every entrypoint the scenario drives has either
 * - come back inside its baseline band and held there (claims/recovery.ts,
 *   the same measurement the recovery checker makes), with enough ops after
 *   the fault for the checkers, or
 * - irrevocably missed the bound of a recovery claim of the scenario: the
 *   bound, the hold and one window have all been observed with no op in
 *   flight, and no recovery started within the bound. Nothing seen later
 *   can move a recovery start back inside the bound, so waiting longer only
 *   delays the verdict (and the lasting-damage check, which gives the
 *   system its own grace).
 * An entrypoint that is still out of band without such a claim keeps the
 * phase to its full planned length, so a slow recovery is never cut short
 * into a verdict.
 */
import { MIN_OPS } from '../../../claims/checkers/report.js';
import type { RecoverySettings } from '../../../claims/claim.js';
import type { History, Op } from '../../../claims/history.js';
import { measureRecovery } from '../../../claims/recovery.js';
import type { Scenario } from '../../../generators/plan.js';
import { sleep } from './sleep.js';

/** How often the live history is re-measured. */
const POLL_MS = 250;

/** What the wait needs from the attempt. */
export interface RecoveryWaitInput {
  scenario: Scenario;
  history: History;
  /** Every op issued so far, in invocation order; `completeMs` 0 while in flight. */
  issued: readonly Op[];
  settings: RecoverySettings;
  /** The planned (scaled) recovery length: the longest the phase lasts. */
  maxMs: number;
  clock: () => number;
  signal?: AbortSignal;
}

/** Why the phase ended before its planned length, in words for the findings. */
export type EarlyEnd = string;

/** Wait out the recovery phase; returns why it ended early, or undefined when it ran its planned length. */
export async function waitForRecovery(input: RecoveryWaitInput): Promise<EarlyEnd | undefined> {
  const { history, clock } = input;
  const start = history.phases.recovery.startMs;
  const floor = Math.min(input.maxMs, minimumMs(input.scenario, input.settings));
  while (clock() - start < input.maxMs) {
    await sleep(Math.min(POLL_MS, input.maxMs - (clock() - start)), input.signal);
    const now = clock();
    if (now - start < floor) continue;
    const why = recoveryEvidence(input, now);
    // Evidence complete with the planned length already reached is no early end.
    if (why !== undefined) return now - start < input.maxMs ? why : undefined;
  }
  return undefined;
}

/**
 * No earlier than the hold plus one window (a recovery needs both to be
 * seen), nor than the hold and a window past the longest `withinMs` a
 * recovery claim of the scenario names: the phase never ends before a
 * bound a claim states, and what follows the bound is seen long enough to
 * tell a system back at its baseline from one that still fails one request
 * in a few (an error cached during the outage).
 */
function minimumMs(scenario: Scenario, settings: RecoverySettings): number {
  const bounds = scenario.oracle.map((o) => (o.check.type === 'recovery' ? o.check.withinMs + settings.holdMs + settings.windowMs : 0));
  return Math.max(settings.holdMs + settings.windowMs, ...bounds);
}

/**
 * Whether the recovery evidence is complete at `now` (pure): a sentence
 * saying so, or undefined while some entrypoint is still undecided.
 */
export function recoveryEvidence(input: Pick<RecoveryWaitInput, 'scenario' | 'history' | 'issued' | 'settings'>, now: number): EarlyEnd | undefined {
  const { history, scenario, settings } = input;
  const faultEnd = history.phases.fault.endMs;
  // An op still in flight is judged by nobody yet: observe only up to the oldest one.
  const pending = input.issued.find((o) => o.completeMs === 0 && o.invokeMs >= faultEnd);
  const end = Math.min(now, pending?.invokeMs ?? now);
  const ops = input.issued.filter((o) => o.completeMs > 0 && o.invokeMs < end);
  const view: History = { ...history, ops, phases: { ...history.phases, recovery: { startMs: history.phases.recovery.startMs, endMs: end } } };
  const bounds = new Map<string, number>();
  for (const o of scenario.oracle) if (o.check.type === 'recovery') bounds.set(o.check.entrypoint, Math.min(bounds.get(o.check.entrypoint) ?? Infinity, o.check.withinMs));
  const entrypoints = scenario.workload.entrypoints.filter((e) => e.weight > 0).map((e) => e.name);
  const missed: string[] = [];
  let back = 0;
  for (const ep of entrypoints) {
    const after = ops.filter((o) => o.type === ep && o.invokeMs >= faultEnd).length;
    if (after < MIN_OPS) return undefined;
    const r = measureRecovery(view, ep, settings).recoveredAfterMs;
    const bound = bounds.get(ep);
    // Out of band (or back only after its bound): decided only once the bound, the hold and a window were all seen.
    const decided = bound !== undefined && end - faultEnd >= bound + settings.holdMs + settings.windowMs;
    if (r !== null && (bound === undefined || r <= bound || !decided)) {
      back++;
      continue;
    }
    if (!decided) return undefined;
    missed.push(`${ep} (${bound} ms)`);
  }
  if (missed.length === 0) return 'every entrypoint was back in its band and had held there';
  const one = missed.length === 1;
  const rest = back > 0 ? `, and every other entrypoint was back in its band and had held there` : '';
  return `${missed.join(', ')} had already missed the recovery bound ${one ? 'its claim names' : 'their claims name'}${rest}`;
}
