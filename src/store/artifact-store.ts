/**
 * The artifact store: every durable thing the service produces (plans, runs,
 * findings, graph snapshots, sweeps, schedules, the digest outbox) behind one
 * narrow interface. The real adapter (src/store/dir-artifact-store.ts) keeps them as
 * plain files a person can read (`<dataDir>/plans/<id>.json` + `.md`); tests
 * may use an in-memory one. Both pass test/src/store/artifact-store.contract.ts.
 */
import type { Plan } from '../../generators/plan.js';
import type { ScenarioStage } from '../../runners/execute/executor.js';
import type { Findings, Verdict } from '../../runners/record/result.js';
import type { GraphSnapshot, RiskRanking } from '../../graph/model.js';
import type { GraphDiff } from '../sweeps/graph-diff.js';
import { fail } from '../../base/errors.js';

/** Where a run is in its life. */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** The latest known stage of one scenario of a run. */
export interface ScenarioProgress {
  scenarioId: string;
  stage: ScenarioStage;
  at: string;
  detail?: string;
}

/** A run of a plan (the findings live apart, under the same id). */
export interface RunRecord {
  id: string;
  planId: string;
  status: RunStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  options: { only?: string[]; phaseScale?: number };
  /** Scenarios the run covers. */
  total: number;
  progress: ScenarioProgress[];
  /** Verdict → count once succeeded. */
  counts?: Partial<Record<Verdict, number>>;
  /** Why it failed (the executor threw: an environment problem, not a verdict). */
  error?: { code: string; message: string };
  sweepId?: string;
}

/** A graph snapshot with the ranking computed for it. */
export interface GraphRecord {
  id: string;
  createdAt: string;
  snapshot: GraphSnapshot;
  ranking: RiskRanking;
  sweepId?: string;
}

/** One claim's outcome in one sweep (the raw material of trends). */
export interface ClaimOutcome {
  claimId: string;
  verdicts: Verdict[];
  /** Slowest recovery among the claim's scenarios; null when one did not recover; absent when not measured. */
  recoveredAfterMs?: number | null;
  /** Graph edges the claim's scenarios targeted. */
  edges: string[];
}

/** A resilience sweep: traces → graph → plan → run → findings → digest. */
export interface SweepRecord {
  id: string;
  startedAt: string;
  finishedAt?: string;
  /** `empty`: nothing was tested (no span in the trace window, no scenario, none executed); `error` says why. */
  status: 'running' | 'succeeded' | 'failed' | 'empty';
  trigger: 'api' | 'schedule' | 'cli';
  scheduleId?: string;
  system?: string;
  graphId?: string;
  planId?: string;
  runId?: string;
  diff?: GraphDiff;
  counts?: Partial<Record<Verdict, number>>;
  claims: ClaimOutcome[];
  durationMs?: number;
  error?: { code: string; message: string };
  digest?: { outboxId: string; delivered: boolean };
}

/** A sweep schedule: a cron pattern evaluated in a time zone. */
export interface ScheduleRecord {
  id: string;
  cron: string;
  timezone: string;
  /** Manifest the sweep uses; absent = the server's configured manifest. */
  manifestPath?: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A digest waiting for (or done with) delivery. */
export interface OutboxEntry {
  id: string;
  createdAt: string;
  sweepId?: string;
  payload: unknown;
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

/** A stored plan (the plan itself carries id and createdAt). */
export type PlanRecord = Plan;
/** Stored findings (keyed by run id). */
export type FindingsRecord = Findings;

/** Kind → value type. */
export interface ArtifactMap {
  plans: PlanRecord;
  runs: RunRecord;
  findings: FindingsRecord;
  graphs: GraphRecord;
  sweeps: SweepRecord;
  schedules: ScheduleRecord;
  outbox: OutboxEntry;
}
export type ArtifactKind = keyof ArtifactMap;
export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['plans', 'runs', 'findings', 'graphs', 'sweeps', 'schedules', 'outbox'];

/** List filters; results are newest first. */
export interface ListOptions<T> {
  /** Keep values whose timestamp is at or after this ISO time. */
  since?: string;
  where?: (value: T) => boolean;
  limit?: number;
}

/** The store. Writes are atomic: a reader sees the old or the new value, never half. */
export interface ArtifactStore {
  put<K extends ArtifactKind>(kind: K, value: ArtifactMap[K], markdown?: string): Promise<void>;
  get<K extends ArtifactKind>(kind: K, id: string): Promise<ArtifactMap[K] | undefined>;
  /** The Markdown twin written with `put`, if any. */
  getMarkdown(kind: ArtifactKind, id: string): Promise<string | undefined>;
  list<K extends ArtifactKind>(kind: K, options?: ListOptions<ArtifactMap[K]>): Promise<ArtifactMap[K][]>;
  /** True when something was deleted. */
  delete(kind: ArtifactKind, id: string): Promise<boolean>;
}

/** The id of any artifact (findings are keyed by their run id). */
export function artifactId(kind: ArtifactKind, value: ArtifactMap[ArtifactKind]): string {
  return kind === 'findings' ? (value as Findings).runId : (value as { id: string }).id;
}

/** The ISO timestamp lists sort and `since` filters on. */
export function artifactTime(kind: ArtifactKind, value: ArtifactMap[ArtifactKind]): string {
  if (kind === 'findings' || kind === 'sweeps') return (value as Findings | SweepRecord).startedAt;
  return (value as { createdAt: string }).createdAt;
}

/** Ids become file names, so only a safe alphabet is accepted. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
const ID_RE = new RegExp(ID_PATTERN);

/** Throws BAD_INPUT unless `id` is a safe artifact id. */
export function assertId(id: string): void {
  if (!ID_RE.test(id) || id.includes('..')) throw fail('BAD_INPUT', `invalid id ${JSON.stringify(id)}: use letters, digits, '.', '_' or '-'`, { id });
}

/** Newest first, `since`/`where`/`limit` applied: shared by every adapter. */
export function applyList<K extends ArtifactKind>(kind: K, values: ArtifactMap[K][], options: ListOptions<ArtifactMap[K]> = {}): ArtifactMap[K][] {
  let out = values.filter((v) => (options.since === undefined || artifactTime(kind, v) >= options.since) && (options.where?.(v) ?? true));
  out.sort((a, b) => (artifactTime(kind, b) < artifactTime(kind, a) ? -1 : artifactTime(kind, b) > artifactTime(kind, a) ? 1 : artifactId(kind, b).localeCompare(artifactId(kind, a))));
  if (options.limit !== undefined) out = out.slice(0, options.limit);
  return out;
}
