/**
 * The manifest (`faultline.yaml`): the system under test as the user
 * describes it. Loaded and validated once (generators/manifest-loader.ts);
 * a bad manifest names the offending key path and nothing runs.
 */
import type { Claim } from '../claims/claim.js';
import type { TraceSourceSpec } from '../ingest/trace-source.js';

/** A proxy carrying one caller→callee edge. */
export interface ManifestProxy {
  name: string;
  /** `host:port` the caller connects to. */
  listen: string;
  /** `host:port` of the real callee. */
  upstream: string;
  /** The graph edge it carries. */
  edge: { from: string; to: string };
}

/**
 * An entrypoint the workload may call. `body` and header values are
 * templates: `{{uuid}}`, `{{int 1 100}}`, `{{key}}` (the operation's request
 * key), `{{pick a b c}}`.
 */
export interface ManifestEntrypoint {
  /** Stable name used by claims and scenarios, e.g. `checkout`. */
  name: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Header carrying the request key (the workload generates one per operation). */
  idempotencyHeader?: string;
  /** Relative share of the workload (default 1). */
  weight?: number;
  /** Client timeout per request (default 5000 ms). */
  timeoutMs?: number;
  /** Trace entrypoint id this maps to (`service METHOD /route`), when it cannot be matched by route. */
  traceEntrypoint?: string;
}

/**
 * When nothing is in flight any more, so effects may be read (the after-dump
 * that conservation, exactly-once and at-most-once claims judge). Either a
 * readiness condition — `selector` into `probe`'s dump, every value equal
 * to `equals` (default `true`), e.g. `{ probe: queue, selector: "$.pending",
 * equals: 0 }` — or `stableForMs` (the dumps unchanged for that long), or
 * both; bounded by `timeoutMs`. Without any, the default applies: every
 * probe dump stable for 1 s and every bullmq-queue probe empty, within 10 s.
 */
export interface ManifestQuiescence {
  /** The probe to read (implicit on a probe's own `quiescence`). */
  probe?: string;
  selector?: string;
  equals?: number | string | boolean;
  stableForMs?: number;
  /** Give up waiting after this long (default 10000 ms); effects are then read, and reported as read before quiescence. */
  timeoutMs?: number;
}

/** A state probe: a URL that dumps state as JSON, or a queue depth. */
export type ManifestProbe = (
  | { name: string; type: 'http'; url: string }
  | { name: string; type: 'redis-list'; redisUrl?: string; key: string }
  | { name: string; type: 'bullmq-queue'; redisUrl?: string; queue: string }
) & {
  /** The graph service whose state the probe reads (lets the planner tie probe claims to edges). */
  service?: string;
  /** When this probe's state has settled (see ManifestQuiescence; `probe` is this one). */
  quiescence?: Omit<ManifestQuiescence, 'probe'>;
};

/**
 * A halting condition: remove the fault when it trips over a full window.
 * By default it protects only what a scenario does not target
 * (generators/halting-scope.ts); `scope: always` makes it a stop condition
 * for every entrypoint it names, the scenario's own included.
 */
export interface ManifestHalting {
  entrypoint?: string;
  /** Error rate above which the fault is removed, over a full window of `windowMs` of fault-phase data. */
  maxErrorRate: number;
  windowMs: number;
  scope?: 'outside-hypothesis' | 'always';
}

/** An HTTP call faultline makes on the system, e.g. to restore it between scenarios. */
export interface ManifestHook {
  method: string;
  url: string;
  body?: unknown;
}

/** The validated, frozen manifest. */
export interface Manifest {
  version: 1;
  system: { name: string; description?: string };
  traces: TraceSourceSpec;
  toxiproxy: { url?: string };
  proxies: ManifestProxy[];
  entrypoints: ManifestEntrypoint[];
  probes: ManifestProbe[];
  /** User claims, inline or loaded from `claimsFile` (Markdown front matter or YAML). */
  claims: Claim[];
  workload: { ratePerSec: number; seed: number };
  phases: { baselineMs: number; faultMs: number; recoveryMs: number };
  halting: ManifestHalting[];
  /** When the after-dump may be read (absent: the default of ManifestQuiescence). */
  quiescence?: ManifestQuiescence;
  /**
   * `beforeScenario` calls run before every scenario attempt (a restart or
   * state-reset endpoint), so damage one scenario leaves behind — a breaker
   * stuck open — cannot make the next one INCONCLUSIVE-env. A non-2xx answer
   * makes the attempt INCONCLUSIVE-env with the reason.
   */
  hooks: { beforeScenario: ManifestHook[] };
  llm?: { model: string; baseUrl?: string; timeoutMs?: number };
  slack?: { webhookUrl?: string; findingsBaseUrl?: string };
  schedule?: { cron: string; timezone: string };
}
