/**
 * The run history: every operation the workload driver issued, in the
 * default history schema (op id, process, invoke/complete on a monotonic
 * clock, type, key, input, output, error, timeout marker, node, fault epoch).
 * Checkers are pure functions over this and the probe dumps.
 */
import type { Phase } from './claim.js';

/** One workload operation. */
export interface Op {
  id: number;
  /** Logical client (process) that issued it; one op in flight per process at a time is NOT assumed. */
  process: number;
  /** Entrypoint name. */
  type: string;
  /** The request key the workload generated (idempotency key), if any. */
  key?: string;
  input?: unknown;
  /**
   * The values the entrypoint URL's placeholders took, joined with `/`
   * (`/carts/c-{{int 1 50}}/items` → `7`): which resource the op
   * addressed. Absent when the URL has no placeholder.
   */
  resource?: string;
  /**
   * The path (and query) the op called, rendered and decoded
   * (`/seats/s-12/hold`): the business keys a request names, such as a
   * seat, that at-most-once may key records by.
   */
  path?: string;
  /** Parsed response body when the op completed. Absent when timed out. */
  output?: unknown;
  /** HTTP status when a response arrived. */
  status?: number;
  /** True when a response arrived and counted as success (2xx). */
  ok: boolean;
  /** Transport or HTTP error description when not ok and not timed out. */
  error?: string;
  /** The client gave up waiting: the effect may or may not have happened. Never success or failure. */
  timeout: boolean;
  /** Monotonic ms (performance.now based, relative to run start). */
  invokeMs: number;
  /** Monotonic ms when the response or error arrived; for timeouts, when the client gave up. */
  completeMs: number;
  /** Which server answered, when the response says (e.g. a header). */
  node?: string;
  /** The phase in which the op was invoked. */
  epoch: Phase;
  /** How late the driver sent it against its schedule, in ms (a harness property of this op, not the system's). */
  lagMs?: number;
  /** The `{{int}}` and `{{pick}}` values the op's templates drew, in rendering order (what a revisit replays). */
  choices?: (string | number)[];
  /**
   * Set on a recovery-phase op that re-asks the resources of a request that
   * failed during the fault (runners/execute/workload/revisits.ts): that op's id.
   */
  revisitOf?: number;
  /** W3C trace id the driver sent in its `traceparent`, so the op's own spans can be found. */
  traceId?: string;
}

/**
 * A 4xx answer: the system up and deciding. For a request that re-asks one
 * that failed during the fault it is an answer, not a failure: the original
 * may have taken effect (a seat held), and refusing it again is right.
 */
export function isRefusal(answer: { status?: number }): boolean {
  return answer.status !== undefined && answer.status >= 400 && answer.status < 500;
}

/** Phase boundaries on the same monotonic clock as the ops. */
export interface PhaseWindows {
  baseline: { startMs: number; endMs: number };
  fault: { startMs: number; endMs: number };
  recovery: { startMs: number; endMs: number };
}

/** Probe dumps taken before the baseline and after the recovery phase. */
export interface ProbeDumps {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Everything a checker may read. */
export interface History {
  schemaVersion: 1;
  /** Wall clock at monotonic 0, for correlating with traces. */
  startedAtUnixMs: number;
  ops: Op[];
  phases: PhaseWindows;
  probes: ProbeDumps;
  /** Keys the workload generated (for at-most-once: only these keys count). */
  generatedKeys?: string[];
  /** Queue depth of bullmq-queue probes, sampled at the end of each phase (runners/execute/probes.ts). */
  queueDepths?: QueueDepthSample[];
  /** Whether nothing was in flight when the after-dump was read (absent: not waited for). */
  quiescence?: QuiescenceRecord;
}

/** The wait for quiescence before the after-dump. */
export interface QuiescenceRecord {
  reached: boolean;
  /** The condition waited for, in words. */
  condition: string;
  waitedMs: number;
  /** What was still moving when it was not reached. */
  detail?: string;
}

/** One queue-depth sample of a bullmq-queue probe. */
export interface QueueDepthSample {
  probe: string;
  phase: Phase;
  /** Monotonic ms, same clock as the ops. */
  atMs: number;
  waiting: number;
  active: number;
  delayed: number;
}
