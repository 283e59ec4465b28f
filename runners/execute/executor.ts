/**
 * The seam between whoever starts a run (CLI, API, sweeps) and whatever
 * executes its scenarios: in-process (runners/execute/inprocess-executor.ts) or on
 * BullMQ workers (runners/execute/bullmq-executor.ts). One contract suite runs
 * against both.
 */
import type { Plan } from '../../generators/plan.js';
import type { Findings } from '../record/result.js';

/** Where a scenario is in its life. */
export type ScenarioStage =
  | 'queued'
  | 'precheck'
  | 'baseline'
  | 'fault'
  | 'recovery'
  | 'checking'
  | 'rerun'
  | 'done'
  | 'failed';

/** A progress event, emitted per phase per scenario. */
export interface ProgressEvent {
  runId: string;
  scenarioId: string;
  stage: ScenarioStage;
  /** Index of the scenario in the plan and the plan's scenario count. */
  index: number;
  total: number;
  at: string;
  /** Free text such as the verdict when done. */
  detail?: string;
}

/** Options of a run. */
export interface RunOptions {
  runId: string;
  /** Only these scenario ids (default: all). */
  only?: string[];
  /** Scale every phase length (e.g. 0.2 for a quick smoke run). */
  phaseScale?: number;
  signal?: AbortSignal;
}

/** Runs a plan's scenarios and returns findings; reports progress as it goes. */
export interface Executor {
  readonly describe: string;
  run(plan: Plan, options: RunOptions, onProgress?: (e: ProgressEvent) => void): Promise<Findings>;
  /**
   * Emergency stop of everything this executor's workers may run, including
   * runs other processes started (a shared BullMQ queue); answers the run
   * ids cancelled. Absent where a run's own signal already reaches all of it.
   */
  stopAll?(reason: string): Promise<string[]>;
  close(): Promise<void>;
}
