/**
 * One attempt of a scenario, the I/O half: precheck → probes before →
 * baseline → fault (with the scenario's halting guards) → recovery → wait
 * for quiescence → probes after → lasting-damage check → per-phase spans.
 * Everything it observed comes back as values for the pure analysis
 * (analyse.ts). The toxic is removed in a finally: after success, after an
 * exception in any step, after a halting trip, on abort.
 */
import { performance } from 'node:perf_hooks';
import type { Scenario } from '../../../generators/plan.js';
import type { ProxyCounters } from '../../faults/fault-injector.js';
import type { History, QueueDepthSample } from '../../../claims/history.js';
import type { AbortRecord, LastingDamage } from '../../record/result.js';
import { HaltingGuard, type HaltingTrip } from '../../analyse/halting.js';
import { scenarioHalting } from '../../../generators/halting-scope.js';
import type { ScenarioHalting } from '../../../generators/plan.js';
import { ProbeReader, type ProbeDumpResult } from '../probes.js';
import { checkProbe } from '../../../claims/forms/index.js';
import { startWorkload, type WorkloadReport, type WorkloadRun } from '../workload/driver.js';
import type { FetchLike } from '../workload/request.js';
import { injectFault, type ActiveFault } from './fault.js';
import { runBeforeScenarioHooks } from './hooks.js';
import { precheck } from './precheck.js';
import { collectPhaseSpans, type PhaseSpans, type SpansByPhase } from './spans.js';
import { quiescencePlan, waitForQuiescence } from './quiescence.js';
import { checkLastingDamage } from './damage.js';
import { sleep } from './sleep.js';
import { waitForRecovery } from './recovery-wait.js';
import { toxicName, type ScenarioDeps, type ScenarioPlanContext, type StageReporter } from './context.js';

/** Everything one attempt observed. */
export interface AttemptData {
  /** Set when the environment prevented a meaningful attempt; the rest may be empty. */
  envProblem?: string;
  /** True when `envProblem` is the system under test not answering (hooks, precheck, probes). */
  systemDown?: boolean;
  history: History;
  driver?: Omit<WorkloadReport, 'ops' | 'generatedKeys'>;
  /** Proxy counters when the baseline started, before the fault, and after it. */
  countersBaseline?: ProxyCounters;
  countersBefore?: ProxyCounters;
  countersAfter?: ProxyCounters;
  abort?: AbortRecord;
  /** The halting guards this attempt ran under. */
  halting: ScenarioHalting;
  /** Subjects healthy in the baseline that did not come back. */
  damage?: LastingDamage[];
  spans: SpansByPhase;
  /** How spans were tied to phases (spans.ts). */
  spansBy?: PhaseSpans['by'];
  toxicName: string;
  /** False when the proxy misbehaved (removal failed, counters unreadable mid-run). */
  proxyHealthy: boolean;
  /** Problems that did not stop the attempt but weaken it (probe errors, removal trouble). */
  warnings: string[];
  /** What the attempt decided on the way that a reviewer should know (a phase ended early, and why). */
  notes?: string[];
}

/** Run one attempt. Throws only for unexpected failures; the coordinator turns those into INCONCLUSIVE-env. */
export async function runAttempt(scenario: Scenario, plan: ScenarioPlanContext, deps: ScenarioDeps, stage: StageReporter): Promise<AttemptData> {
  const scale = deps.phaseScale ?? 1;
  const baselineMs = scenario.phases.baselineMs * scale;
  const faultMs = scenario.phases.faultMs * scale;
  const recoveryMs = scenario.phases.recoveryMs * scale;
  const doFetch: FetchLike = deps.fetch ?? ((u, i) => fetch(u, i));
  const name = toxicName(deps.owner, scenario.id);
  const startedAtUnixMs = Date.now();
  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const history: History = {
    schemaVersion: 1,
    startedAtUnixMs,
    ops: [],
    phases: { baseline: { startMs: 0, endMs: 0 }, fault: { startMs: 0, endMs: 0 }, recovery: { startMs: 0, endMs: 0 } },
    probes: { before: {}, after: {} },
  };
  const halting = scenario.halting ?? scenarioHalting(scenario, plan.halting);
  const data: AttemptData = { history, halting, spans: { baseline: [], fault: [], recovery: [] }, toxicName: name, proxyHealthy: true, warnings: [] };

  deps.signal?.throwIfAborted();
  stage('precheck');
  // A hook that cannot restore the system is the system not answering.
  const hookProblem = await runBeforeScenarioHooks(plan.hooks?.beforeScenario ?? [], doFetch);
  if (hookProblem) return { ...data, envProblem: hookProblem, systemDown: true };
  const problem = await precheck(scenario, plan, deps.injector, doFetch, deps.settleMs);
  if (problem) return { ...data, envProblem: problem.reason, systemDown: problem.systemDown };

  const probes = new ProbeReader(plan.probes, { defaultRedisUrl: deps.defaultRedisUrl, fetch: doFetch });
  let workload: WorkloadRun | undefined;
  let fault: ActiveFault | undefined;
  const depths: QueueDepthSample[] = [];
  const sampleDepths = async (phase: 'baseline' | 'fault' | 'recovery') => {
    const at = clock();
    for (const [probe, c] of Object.entries(await probes.queueDepths())) depths.push({ probe, phase, atMs: at, ...c });
  };
  try {
    const before = await probes.dump();
    if (before.errors.length > 0) return { ...data, envProblem: `probes unreadable before the baseline: ${before.errors.join('; ')}`, systemDown: true };
    history.probes.before = before.values;

    // Halting: a trip wakes the fault-phase sleep so the toxic comes off at once.
    let guard: HaltingGuard | undefined;
    let onTrip: (t: HaltingTrip) => void = () => undefined;
    const tripped = new Promise<HaltingTrip>((resolve) => (onTrip = resolve));
    stage('baseline');
    history.phases.baseline.startMs = clock();
    workload = startWorkload({
      entrypoints: plan.entrypoints,
      mix: scenario.workload.entrypoints,
      ratePerSec: scenario.workload.ratePerSec,
      seed: scenario.workload.seed,
      attempt: deps.attempt ?? 0,
      keySalt: deps.keySalt,
      clock,
      fetch: doFetch,
      maxInFlight: deps.maxInFlight,
      scenarioId: scenario.id,
      onOp: (op) => {
        if (op.epoch !== 'fault' || !guard) return;
        const trip = guard.observe(op);
        if (trip) onTrip(trip);
      },
    });
    data.countersBaseline = await readCounters(deps, scenario.target.proxy, data);
    await sleep(baselineMs, deps.signal);
    await sampleDepths('baseline');

    data.countersBefore = await readCounters(deps, scenario.target.proxy, data);
    // A stop that arrived during the reads above must not be followed by a fault.
    deps.signal?.throwIfAborted();
    fault = await injectFault(deps.injector, scenario, name, faultMs + (deps.ttlMarginMs ?? 5000));
    stage('fault', name);
    history.phases.baseline.endMs = clock();
    history.phases.fault.startMs = history.phases.baseline.endMs;
    guard = new HaltingGuard(halting.guards, history.phases.fault.startMs);
    workload.setPhase('fault');
    await sleep(faultMs, deps.signal, tripped);
    const trip = guard.trip;
    await fault.remove();
    history.phases.fault.endMs = clock();
    if (trip) data.abort = { condition: trip.condition, abortLatencyMs: round(history.phases.fault.endMs - trip.windowEndMs) };
    await sampleDepths('fault');
    data.countersAfter = await readCounters(deps, scenario.target.proxy, data);

    stage('recovery');
    workload.setPhase('recovery');
    history.phases.recovery.startMs = history.phases.fault.endMs;
    const issued = workload.issued;
    const early = await waitForRecovery({ scenario, history, issued, settings: plan.recovery, maxMs: recoveryMs, clock, signal: deps.signal });
    history.phases.recovery.endMs = clock();
    if (early) (data.notes ??= []).push(`recovery phase ended after ${Math.round(history.phases.recovery.endMs - history.phases.recovery.startMs)} of ${Math.round(recoveryMs)} ms: ${early}`);
    const report = await workload.stop();
    workload = undefined;
    await sampleDepths('recovery');
    await sleep(deps.quiesceMs ?? 300, deps.signal);
    const { ops, generatedKeys, ...driver } = report;
    history.ops = ops;
    history.generatedKeys = generatedKeys;
    if (depths.length > 0) history.queueDepths = depths;
    data.driver = driver;
    // Effects are read once nothing is in flight (or the bound passed, and the history says so).
    // A scenario whose checks read no probe has no effects to settle: one
    // dump serves the lasting-damage check, which has its own grace.
    const dump = () => probes.dump();
    const read = new Set([...scenario.oracle, ...(scenario.watch ?? [])].map((o) => checkProbe(o.check)).filter((p): p is string => p !== undefined));
    let after: ProbeDumpResult;
    if (read.size > 0) {
      const settled = await waitForQuiescence(dump, quiescencePlan(plan.probes, plan.quiescence, read), clock, deps.signal);
      history.quiescence = settled.record;
      after = settled.last;
    } else {
      after = await dump();
    }
    history.probes.after = after.values;
    data.warnings.push(...after.errors.map((e) => `after recovery: ${e}`));
    const damage = await checkLastingDamage({ scenario, plan, history, dump, after, fetch: doFetch, graceMs: deps.damageGraceMs, signal: deps.signal });
    if (damage.length > 0) data.damage = damage;
  } finally {
    if (fault) {
      try {
        await fault.remove();
      } catch (err) {
        data.proxyHealthy = false;
        data.warnings.push(`could not remove ${name}: ${(err as Error).message} (its TTL will)`);
      }
    }
    if (workload) {
      const report = await workload.stop();
      history.ops = report.ops;
    }
    await probes.close();
  }
  const phaseSpans = await collectPhaseSpans(deps.traceSource, history, deps.signal);
  data.spans = phaseSpans.spans;
  data.spansBy = phaseSpans.by;
  return data;
}

async function readCounters(deps: ScenarioDeps, proxy: string, data: AttemptData): Promise<ProxyCounters | undefined> {
  try {
    return await deps.injector.counters(proxy);
  } catch (err) {
    data.proxyHealthy = false;
    data.warnings.push(`counters of ${proxy} unreadable: ${(err as Error).message}`);
    return undefined;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
