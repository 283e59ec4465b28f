/**
 * What a scenario run needs besides the scenario itself: the slice of the
 * plan it reads (so a BullMQ job carries only that), and its dependencies
 * (fault injector, trace source, HTTP) passed in — core code never reaches
 * for globals or the environment.
 */
import type { Plan } from '../../../generators/plan.js';
import type { TraceSource } from '../../../ingest/trace-source.js';
import type { ScenarioStage } from '../executor.js';
import type { FaultInjector } from '../../faults/fault-injector.js';
import type { FetchLike } from '../workload/request.js';

/** The part of a plan one scenario reads. */
export type ScenarioPlanContext = Pick<Plan, 'id' | 'system' | 'recovery' | 'halting' | 'entrypoints' | 'proxies' | 'probes' | 'claims' | 'hooks' | 'traces' | 'toxiproxy' | 'quiescence'>;

/** Cut a plan down to what a scenario needs (e.g. for a queue job). */
export function planContext(plan: Plan): ScenarioPlanContext {
  const { id, system, recovery, halting, entrypoints, proxies, probes, claims, hooks, traces, toxiproxy, quiescence } = plan;
  // traces and toxiproxy travel with a queue job so a worker wires the plan's own trace source and fault proxy.
  return { id, system, recovery, halting, entrypoints, proxies, probes, claims, ...(hooks ? { hooks } : {}), ...(traces ? { traces } : {}), ...(toxiproxy ? { toxiproxy } : {}), ...(quiescence ? { quiescence } : {}) };
}

/** The outside world of a scenario run. */
export interface ScenarioDeps {
  injector: FaultInjector;
  /** Per-phase spans for boundary metrics and landing evidence; without it landing relies on counters / client timing. */
  traceSource?: TraceSource;
  fetch?: FetchLike;
  /** Redis for probes that name none. */
  defaultRedisUrl?: string;
  /**
   * Who owns the toxics this run adds: toxics are named
   * `faultline-<owner>-<scenario>` so a restarted worker can remove exactly its own leftovers.
   */
  owner?: string;
  /** Scales every phase length (RunOptions.phaseScale). */
  phaseScale?: number;
  signal?: AbortSignal;
  /** Pause after the workload stops, before the quiescence wait (default 300 ms). */
  quiesceMs?: number;
  /** 0 for the first attempt, 1 for the same-seed re-run of a FAIL (fresh request keys, same workload). */
  attempt?: number;
  /** Unique per run (a hash of the run id): request keys differ from every other run's (WorkloadOptions.keySalt). */
  keySalt?: number;
  /** How long an unhealthy entrypoint may take to settle in precheck (default 5000 ms). */
  settleMs?: number;
  /** Added to the fault duration for the toxic's TTL: the proxy removes it even if we die (default 5000 ms). */
  ttlMarginMs?: number;
  /** In-flight cap of the workload driver. */
  maxInFlight?: number;
  /** How long a subject that failed after the recovery phase gets to come back before it is lasting damage (default 10000 ms). */
  damageGraceMs?: number;
}

/** Reports a scenario's stage as it moves. */
export type StageReporter = (stage: ScenarioStage, detail?: string) => void;

/** Toxic name for a scenario (Toxiproxy names are free text; the prefix marks ours). */
export function toxicName(owner: string | undefined, scenarioId: string): string {
  return `faultline-${owner ?? 'local'}-${scenarioId}`;
}

/** The prefix of every toxic an owner adds. */
export function ownerPrefix(owner: string | undefined): string {
  return `faultline-${owner ?? 'local'}-`;
}
