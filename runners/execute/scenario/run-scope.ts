/**
 * Shared by both executors: which scenarios a run covers, the progress
 * event shape, and the result a scenario gets when it could not run at all
 * (environment problem, lost job) — a scenario is reported, never lost.
 */
import type { Plan, Scenario } from '../../../generators/plan.js';
import { fail } from '../../../base/errors.js';
import type { ProgressEvent, ScenarioStage } from '../executor.js';
import type { ScenarioResult } from '../../record/result.js';

/** The plan's scenarios filtered by `only`; unknown ids are a BAD_INPUT naming them. */
export function selectScenarios(plan: Plan, only: readonly string[] | undefined): Scenario[] {
  if (!only || only.length === 0) return plan.scenarios;
  const known = new Set(plan.scenarios.map((s) => s.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw fail('BAD_INPUT', `unknown scenario id(s) ${unknown.join(', ')}; the plan has ${[...known].join(', ')}`, { unknown });
  }
  const wanted = new Set(only);
  return plan.scenarios.filter((s) => wanted.has(s.id));
}

/** Build a progress event. */
export function progressEvent(runId: string, scenarioId: string, stage: ScenarioStage, index: number, total: number, detail?: string): ProgressEvent {
  const e: ProgressEvent = { runId, scenarioId, stage, index, total, at: new Date().toISOString() };
  if (detail !== undefined) e.detail = detail;
  return e;
}

/** The result of a scenario the environment kept from running; `systemDown` when it was the system under test that did not answer. */
export function environmentResult(scenario: Scenario, reason: string, durationMs: number, attempts = 1, systemDown = false): ScenarioResult {
  const r: ScenarioResult = {
    scenarioId: scenario.id,
    claims: scenario.claims,
    verdict: 'INCONCLUSIVE-env',
    verdictPath: [`environment problem: ${reason}`],
    checks: [],
    landing: { proven: false, source: 'none', evidence: [] },
    metrics: [],
    boundaries: [],
    blame: 'environment',
    blameReason: reason,
    seed: scenario.workload.seed,
    attempts,
    envProblem: reason,
    durationMs: Math.round(durationMs),
  };
  if (systemDown) r.systemDown = true;
  return r;
}

/**
 * Tracks whether the system under test is down since a scenario left it
 * dead, and turns the later scenarios it kept from running into "not run"
 * results blamed on the system, not the environment. A scenario that runs
 * (its hooks restarted the system, or it came back) clears the state.
 */
export class SystemDownTracker {
  private since: { scenarioId: string; what: string } | undefined;
  /** The last scenario that ran: the system answered its precheck, so it was up before it. */
  private lastRan: string | undefined;

  /** Observe a result in run order; returns it, rewritten when the system was down. */
  observe(result: ScenarioResult): ScenarioResult {
    if (result.lastingDamage?.length) {
      this.since = { scenarioId: result.scenarioId, what: result.lastingDamage.map((d) => `${d.subject}: ${d.error}`).join('; ') };
      this.lastRan = result.scenarioId;
      return result;
    }
    if (!result.envProblem) {
      this.since = undefined;
      this.lastRan = result.scenarioId;
      return result;
    }
    if (!result.systemDown) return result;
    // Damage that passed the last scenario's own check (a share of keys
    // locked for good, a pool leaking slowly) still stops the system later:
    // it answered before that scenario and does not now.
    if (!this.since && this.lastRan) this.since = { scenarioId: this.lastRan, what: `it answered before that scenario ran, and after it: ${result.envProblem}` };
    if (!this.since) return result;
    const why = `the system under test has been down since scenario ${this.since.scenarioId} (${this.since.what})`;
    const { envProblem, ...rest } = result;
    return { ...rest, verdictPath: [`not run: ${why}`, `its precheck found: ${envProblem}`], blame: 'SUT', blameReason: `not run: ${why}`, notRun: why };
  }
}

/** Apply SystemDownTracker to results in plan order (executors that finish scenarios out of order). */
export function markNotRun(results: ScenarioResult[]): ScenarioResult[] {
  const tracker = new SystemDownTracker();
  return results.map((r) => tracker.observe(r));
}

/** A progress callback that can never break the run: a listener that throws is ignored. */
export function safeEmitter(onProgress: ((e: ProgressEvent) => void) | undefined): (e: ProgressEvent) => void {
  return (e) => {
    try {
      onProgress?.(e);
    } catch {
      // A broken progress listener must not break the run.
    }
  };
}
