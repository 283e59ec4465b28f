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
export type ScenarioPlanContext = Pick<Plan, 'id' | 'system' | 'recovery' | 'halting' | 'entrypoints' | 'proxies' | 'probes' | 'claims' | 'hooks'>;

/** Cut a plan down to what a scenario needs (e.g. for a queue job). */
export function planContext(plan: Plan): ScenarioPlanContext {
  const { id, system, recovery, halting, entrypoints, proxies, probes, claims, hooks } = plan;
  return { id, system, recovery, halting, entrypoints, proxies, probes, claims, ...(hooks ? { hooks } : {}) };
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
  /** Wait after the workload stops before the after-probes, so nothing is in flight (default 300 ms). */
  quiesceMs?: number;
  /** 0 for the first attempt, 1 for the same-seed re-run of a FAIL (fresh request keys, same workload). */
  attempt?: number;
  /** How long an unhealthy entrypoint may take to settle in precheck (default 5000 ms). */
  settleMs?: number;
  /** Added to the fault duration for the toxic's TTL: the proxy removes it even if we die (default 5000 ms). */
  ttlMarginMs?: number;
  /** In-flight cap of the workload driver. */
  maxInFlight?: number;
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
