/**
 * The recovery phase, ended as soon as its evidence is complete: every
 * entrypoint the scenario drives is back inside its baseline band and has
 * held there (claims/recovery.ts, the same measurement the recovery checker
 * makes), with enough ops after the fault for the checkers, and no earlier
 * than any bound a claim of the scenario names. A system that does not come
 * back keeps the phase to its full planned length, so a slow recovery is
 * never cut short into a verdict.
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

/** Wait out the recovery phase; returns true when it ended early with the evidence complete. */
export async function waitForRecovery(input: RecoveryWaitInput): Promise<boolean> {
  const { history, clock } = input;
  const start = history.phases.recovery.startMs;
  const floor = Math.min(input.maxMs, minimumMs(input.scenario, input.settings));
  const entrypoints = input.scenario.workload.entrypoints.filter((e) => e.weight > 0).map((e) => e.name);
  while (clock() - start < input.maxMs) {
    await sleep(Math.min(POLL_MS, input.maxMs - (clock() - start)), input.signal);
    const now = clock();
    if (now - start < floor) continue;
    // Evidence complete with the planned length already reached is no early end.
    if (evidenceComplete(input, entrypoints, now)) return now - start < input.maxMs;
  }
  return false;
}

/**
 * No earlier than the hold plus one window (a recovery needs both to be
 * seen), nor than the longest `withinMs` a recovery claim of the scenario
 * names: the phase never ends before a bound a claim states.
 */
function minimumMs(scenario: Scenario, settings: RecoverySettings): number {
  const bounds = scenario.oracle.map((o) => (o.check.type === 'recovery' ? o.check.withinMs : 0));
  return Math.max(settings.holdMs + settings.windowMs, ...bounds);
}

function evidenceComplete(input: RecoveryWaitInput, entrypoints: string[], now: number): boolean {
  const { history } = input;
  // An op still in flight is judged by nobody yet: observe only up to the oldest one.
  const pending = input.issued.find((o) => o.completeMs === 0 && o.invokeMs >= history.phases.fault.endMs);
  const end = Math.min(now, pending?.invokeMs ?? now);
  const ops = input.issued.filter((o) => o.completeMs > 0 && o.invokeMs < end);
  const view: History = { ...history, ops, phases: { ...history.phases, recovery: { startMs: history.phases.recovery.startMs, endMs: end } } };
  return entrypoints.every((ep) => {
    const after = ops.filter((o) => o.type === ep && o.invokeMs >= history.phases.fault.endMs).length;
    return after >= MIN_OPS && measureRecovery(view, ep, input.settings).recoveredAfterMs !== null;
  });
}
