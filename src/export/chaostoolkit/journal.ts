/**
 * faultline findings as Chaos Toolkit journals, one per scenario result: a
 * journal records one run of one experiment (chaoslib/run.py), and each
 * faultline scenario is one experiment (./experiment.ts). Values in,
 * values out.
 *
 * What faultline measured goes where a Chaos Toolkit reader looks for it:
 * the fault's landing evidence is the output of the method's inject step;
 * each checker faultline ran over the history is a probe of the steady state
 * after the method, `tolerance_met` being whether it found no anomaly. Those
 * probes name the command that re-runs the check (`faultline run … --only
 * … --seed … --fail-on FAIL`, exit 0 when the claim holds), so the record
 * says how to reproduce it. Times come from the findings: the run's start
 * plus the durations of the results before it, so they are approximate
 * when several workers ran scenarios side by side.
 */
import { fail } from '../../../base/errors.js';
import type { Plan } from '../../../generators/plan.js';
import type { Findings, ScenarioResult } from '../../../runners/record/result.js';
import { scenarioExperiment, type ExperimentOptions } from './experiment.js';
import type { CtkActivity, CtkExperiment, CtkJournal, CtkRun, CtkSteadyState } from './format.js';
import { journalStatus, methodRan } from './journal-status.js';

/** The chaoslib release whose journal format this follows (its run.py). */
export const CHAOSLIB_FORMAT_VERSION = '1.45.0';

/** One journal and the scenario it records. */
export interface ExportedJournal {
  scenarioId: string;
  journal: CtkJournal;
}

const iso = (ms: number) => new Date(ms).toISOString();

function run(activity: CtkActivity, atMs: number, output: unknown, extra: Partial<CtkRun> = {}): CtkRun {
  return { activity, status: 'succeeded', output, start: iso(atMs), end: iso(atMs), duration: 0, ...extra };
}

/** Each check faultline ran, as a probe run of the steady state after the method. */
function checkRuns(r: ScenarioResult, planFile: string, atMs: number): CtkRun[] {
  return r.checks.map((c) => run({
    type: 'probe',
    name: `faultline ${c.checker} check of ${c.claimId}`,
    provider: { type: 'process', path: 'faultline', arguments: ['run', planFile, '--only', r.scenarioId, '--seed', String(r.seed), '--fail-on', 'FAIL'] },
    tolerance: 0,
  }, atMs, { ok: c.ok, sufficient: c.sufficient, summary: c.summary, opsConsumed: c.opsConsumed, anomalies: c.anomalies.map((a) => a.message) }, { tolerance_met: c.ok }));
}

/** The method's steps at the times they happened: inject when the fault started, each next step after the previous one's pause. */
function methodRuns(e: CtkExperiment, r: ScenarioResult, faultStartMs: number): CtkRun[] {
  let t = faultStartMs;
  return e.method.map((a, i) => {
    const at = t;
    t += (a.pauses?.after ?? 0) * 1000;
    return run(a, at, i === 0 ? { landing: r.landing, ...(r.abort ? { abort: r.abort } : {}) } : null);
  });
}

/** One scenario result as a journal; `startMs` is when the scenario started. */
export function scenarioJournal(plan: Plan, findings: Findings, r: ScenarioResult, startMs: number, options: ExperimentOptions = {}): CtkJournal {
  const scenario = plan.scenarios.find((s) => s.id === r.scenarioId);
  if (!scenario) throw fail('BAD_INPUT', `findings name scenario "${r.scenarioId}", which plan ${plan.id} does not have`, { scenario: r.scenarioId, planId: plan.id });
  const planned = scenarioExperiment(plan, scenario, options);
  const experiment: CtkExperiment = {
    ...planned,
    extensions: planned.extensions.map((x) => x.name !== 'faultline' ? x : {
      ...x, runId: findings.runId, verdict: r.verdict, verdictPath: r.verdictPath, blame: r.blame, blameReason: r.blameReason,
      attempts: r.attempts, ...(r.envProblem ? { envProblem: r.envProblem } : {}), ...(r.notRun ? { notRun: r.notRun } : {}),
      ...(r.lastingDamage?.length ? { lastingDamage: r.lastingDamage } : {}), ...(r.recovery ? { recovery: r.recovery } : {}),
    }),
  };
  const { status, deviated } = journalStatus(r);
  const endMs = startMs + r.durationMs;
  const ran = methodRan(r);
  const before: CtkSteadyState = { steady_state_met: ran, probes: [] };
  const after: CtkSteadyState | null = ran ? { steady_state_met: !deviated, probes: checkRuns(r, options.planFile ?? 'plan.json', endMs) } : null;
  const faultStartMs = startMs + (r.timeline?.faultStartMs ?? scenario.phases.baselineMs);
  return {
    'chaoslib-version': CHAOSLIB_FORMAT_VERSION,
    platform: 'faultline',
    node: `faultline run ${findings.runId}`,
    experiment,
    start: iso(startMs),
    end: iso(endMs),
    duration: r.durationMs / 1000,
    status,
    deviated,
    steady_states: { before, after, during: [] },
    run: ran ? methodRuns(experiment, r, faultStartMs) : [],
    rollbacks: ran ? experiment.rollbacks.map((a) => run(a, endMs, null)) : [],
  };
}

/** Every result of a run as a journal, in the findings' order. */
export function findingsJournals(plan: Plan, findings: Findings, options: ExperimentOptions = {}): ExportedJournal[] {
  if (findings.planId !== plan.id) {
    throw fail('BAD_INPUT', `findings of run ${findings.runId} are for plan ${findings.planId}, not ${plan.id}`, { planId: plan.id, findingsPlanId: findings.planId });
  }
  let at = Date.parse(findings.startedAt);
  if (Number.isNaN(at)) throw fail('BAD_INPUT', `findings startedAt "${findings.startedAt}" is not a date`, { path: 'startedAt' });
  return findings.results.map((r) => {
    const journal = scenarioJournal(plan, findings, r, at, options);
    at += r.durationMs;
    return { scenarioId: r.scenarioId, journal };
  });
}
