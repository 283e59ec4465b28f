/**
 * The parts of Chaos Toolkit's experiment and journal formats faultline
 * writes (chaostoolkit.org, reference "api/experiment"; chaostoolkit-lib's
 * chaoslib/experiment.py, activity.py, hypothesis.py and run.py validate and
 * produce them). Only what the exporter emits is typed here: the format
 * allows more (controls, secrets, refs), which faultline has no use for.
 */

/** A Python function of an installed extension: `module` + `func`, called with `arguments` by keyword. */
export interface CtkPythonProvider {
  type: 'python';
  module: string;
  func: string;
  arguments?: Record<string, unknown>;
}

/** An HTTP call; chaoslib sends `arguments` as a JSON body when the Content-Type header is application/json. */
export interface CtkHttpProvider {
  type: 'http';
  url: string;
  method?: string;
  headers?: Record<string, string>;
  arguments?: unknown;
  /** Seconds (chaoslib hands it to `requests`). */
  timeout?: number;
}

/** An executable on the PATH; its output is `{status, stdout, stderr}` (status = exit code). */
export interface CtkProcessProvider {
  type: 'process';
  path: string;
  arguments?: string[];
  timeout?: number;
}

/** One of chaoslib's three provider types (activity.py: python, process, http). */
export type CtkProvider = CtkPythonProvider | CtkHttpProvider | CtkProcessProvider;

/**
 * A probe's tolerance: a plain value the output must equal (an int is
 * compared with an HTTP or process `status`), a list of allowed values, or a
 * range over one field of the output (hypothesis.py, `within_tolerance`).
 */
export type CtkTolerance = boolean | number | string | unknown[] | { type: 'range'; range: [number, number]; target?: string };

/** An action (changes the system) or a probe (observes it). */
export interface CtkActivity {
  type: 'action' | 'probe';
  name: string;
  provider: CtkProvider;
  tolerance?: CtkTolerance;
  /** Seconds to wait before/after the activity: how faultline holds a fault for its phase. */
  pauses?: { before?: number; after?: number };
}

/** A named free-form block tools may read; chaoslib only requires the name. */
export interface CtkExtension {
  name: string;
  [key: string]: unknown;
}

/** One Chaos Toolkit experiment. */
export interface CtkExperiment {
  version: string;
  title: string;
  description: string;
  tags: string[];
  /** How much the experiment contributes to reliability, availability, performance… (high/medium/low/none). */
  contributions?: Record<string, 'high' | 'medium' | 'low' | 'none'>;
  configuration: Record<string, unknown>;
  extensions: CtkExtension[];
  'steady-state-hypothesis': { title: string; probes: CtkActivity[] };
  method: CtkActivity[];
  rollbacks: CtkActivity[];
}

/** One executed activity in a journal (chaoslib/activity.py, `execute_activity`). */
export interface CtkRun {
  activity: CtkActivity;
  status: 'succeeded' | 'failed';
  output: unknown;
  start: string;
  end: string;
  /** Seconds. */
  duration: number;
  tolerance_met?: boolean;
}

/** The outcome of one steady-state hypothesis check (hypothesis.py, `run_steady_state_hypothesis`). */
export interface CtkSteadyState {
  steady_state_met: boolean;
  probes: CtkRun[];
}

/** The statuses chaoslib allows a journal (run.py: anything else is overridden to "completed"). */
export type CtkStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

/** A Chaos Toolkit journal: one experiment run (chaoslib/run.py, `initialize_run_journal` and `Runner.run`). */
export interface CtkJournal {
  'chaoslib-version': string;
  platform: string;
  node: string;
  experiment: CtkExperiment;
  start: string;
  end: string;
  /** Seconds. */
  duration: number;
  status: CtkStatus;
  deviated: boolean;
  steady_states: { before: CtkSteadyState | null; after: CtkSteadyState | null; during: CtkSteadyState[] };
  run: CtkRun[];
  rollbacks: CtkRun[];
}
