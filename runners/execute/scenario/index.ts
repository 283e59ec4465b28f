/**
 * The scenario coordinator: one attempt, analysis, re-runs on the same
 * seed when it FAILs (reproducible vs nondeterministic), then blame from
 * evidence (checkers re-run on the baseline-only history, the driver's own
 * errors and lag, proxy health). A scenario that throws unexpectedly
 * becomes INCONCLUSIVE-env with the reason: never lost.
 */
import { performance } from 'node:perf_hooks';
import type { Scenario } from '../../../generators/plan.js';
import { oneLine } from '../../../base/errors.js';
import { assignBlame, baselineOnly, lagSummary } from '../../analyse/blame.js';
import type { ScenarioHalting } from '../../../generators/plan.js';
import { runChecks } from '../../../claims/checkers/index.js';
import type { ScenarioResult } from '../../record/result.js';
import { timelineOf } from '../../record/timeline.js';
import { analyseAttempt, damageLines, isFail } from './analyse.js';
import { runAttempt } from './attempt.js';
import { environmentResult } from './run-scope.js';
import { damagedBaseline } from './rerun-baseline.js';
import type { ScenarioDeps, ScenarioPlanContext, StageReporter } from './context.js';

export { planContext, toxicName, ownerPrefix, type ScenarioDeps, type ScenarioPlanContext, type StageReporter } from './context.js';

/**
 * Same-seed re-runs a FAIL gets before it is called nondeterministic. A race
 * or a stale read happens on some attempts only (a stale cache is visible
 * only between its return and the next write), so one passing re-run says
 * little; the second re-run is made only when the first passed.
 */
export const MAX_RERUNS = 2;

/** Run one scenario to a result. Never throws. */
export async function runScenario(scenario: Scenario, plan: ScenarioPlanContext, deps: ScenarioDeps, onProgress: StageReporter = () => undefined): Promise<ScenarioResult> {
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  try {
    const first = await runAttempt(scenario, plan, deps, onProgress);
    if (first.envProblem) return environmentResult(scenario, first.envProblem, elapsed(), 1, first.systemDown);
    onProgress('checking');
    const opts = { scaledDown: (deps.phaseScale ?? 1) < 1 };
    let analysis = analyseAttempt(scenario, plan, first, opts);
    let attempts = 1;
    if (isFail(analysis.verdict)) {
      // Same seed, same workload: does the anomaly come back?
      for (let n = 1; n <= MAX_RERUNS; n++) {
        // A stopped run is not re-run: the re-run would put the fault back after the stop.
        deps.signal?.throwIfAborted();
        // The detail says why this attempt runs, not the interim verdict (which reads like a result).
        onProgress('rerun', n === 1 ? 'the first attempt FAILed: same seed again' : 'the re-run passed: one more on the same seed');
        const again = await runAttempt(scenario, plan, { ...deps, attempt: n }, (stage, detail) => onProgress(stage === 'precheck' ? 'rerun' : stage, detail));
        attempts = n + 1;
        if (again.envProblem) {
          // A system the fault left dead cannot be re-run: that is the reproduction.
          if (first.damage) analysis = analyseAttempt(scenario, plan, first, { ...opts, damageRerun: 'could-not-run' });
          // So is one that passed its damage check and then stopped answering before the re-run.
          else if (again.systemDown) analysis = analyseAttempt(scenario, plan, first, { ...opts, rerun: { failedAgain: true, runs: n } });
          analysis.verdictPath.push(`same-seed re-run could not run: ${again.envProblem}${again.systemDown && !first.damage ? ': the system under test did not come back from the first attempt, which reproduces it' : ''}`);
          break;
        }
        onProgress('checking');
        const verdict = analyseAttempt(scenario, plan, again, opts).verdict;
        const damaged = isFail(verdict) ? undefined : damagedBaseline(first.history, again.history, scenario.workload.entrypoints.map((e) => e.name), plan.recovery.errorSlack);
        analysis = analyseAttempt(scenario, plan, first, {
          ...opts,
          rerun: { failedAgain: isFail(verdict) || damaged !== undefined, otherVerdict: verdict, runs: n },
          ...(first.damage ? { damageRerun: again.damage ? 'damaged-again' : 'healthy' } : {}),
        });
        if (damaged !== undefined) analysis.verdictPath.push(`same-seed re-run ${n} gave ${verdict}, but ${damaged}`);
        if (isFail(verdict) || damaged !== undefined) break;
      }
    }
    const data = first; // the attempt the verdict describes; a re-run only confirms or refutes it
    const baselineChecks = runChecks([...scenario.oracle, ...(scenario.watch ?? [])], baselineOnly(data.history), plan.recovery);
    const driver = data.driver;
    const { blame, reason } = assignBlame({
      verdict: analysis.verdict,
      checks: analysis.checks,
      baselineChecks,
      driverErrors: driver?.driverErrors ?? 0,
      lag: lagSummary(data.history.ops),
      envProblem: data.envProblem,
      proxyHealthy: data.proxyHealthy,
      damage: damageLines(data),
      ...(data.abort ? { halted: data.abort.condition } : {}),
    });
    const result: ScenarioResult = {
      scenarioId: scenario.id,
      claims: scenario.claims,
      verdict: analysis.verdict,
      verdictPath: [...(data.notes ?? []), ...analysis.verdictPath, ...data.warnings.map((w) => `warning: ${w}`)],
      checks: analysis.checks,
      landing: analysis.landing,
      recovery: analysis.recovery,
      metrics: analysis.metrics,
      boundaries: analysis.boundaries,
      blame,
      blameReason: reason,
      seed: scenario.workload.seed,
      attempts,
      durationMs: Math.round(elapsed()),
    };
    if (data.abort) result.abort = data.abort;
    if (data.history.ops.length > 0) result.timeline = timelineOf(data.history);
    if (data.damage) result.lastingDamage = data.damage;
    if (data.history.quiescence) result.quiescence = data.history.quiescence;
    result.halting = haltingText(data.halting);
    return result;
  } catch (err) {
    if (deps.signal?.aborted) return environmentResult(scenario, `run aborted mid-scenario: ${oneLine(deps.signal.reason ?? err)}`, elapsed());
    return environmentResult(scenario, `scenario crashed: ${oneLine(err)}`, elapsed());
  }
}

/** The scenario's halting decision in words, for findings. */
function haltingText(h: ScenarioHalting): { guards: string[]; exempt: string[] } {
  return {
    guards: h.guards.map((g) => `${g.entrypoints.join(', ')} error rate > ${Math.round(g.maxErrorRate * 100)}% over ${g.windowMs} ms (${g.why})`),
    exempt: h.exempt,
  };
}
