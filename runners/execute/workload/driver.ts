/**
 * The open-loop workload driver. Arrivals are scheduled from a seeded RNG
 * (Poisson or fixed interval) and issued whether or not earlier requests
 * have answered, so a slow system does not slow the load (the coordinated
 * omission trap of closed-loop drivers). In-flight operations are capped to
 * protect the harness; arrivals dropped by the cap are harness errors, not
 * system errors. The driver also measures its own lag — how late arrivals
 * were issued against schedule and the event-loop delay — so blame can tell
 * a struggling harness from a struggling system. Lag is recorded per op
 * (`lagMs`) because it is a property of each send, not of the whole run.
 * Every op carries its own W3C `traceparent` (fresh trace and span id,
 * sampled) and a `baggage` naming the scenario and request key, so the
 * op's own spans can be found in the traces. Once the fault has ended,
 * part of the load re-asks what failed during it (workload/revisits.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Phase } from '../../../claims/claim.js';
import type { ManifestEntrypoint } from '../../../generators/manifest.js';
import { fail } from '../../../base/errors.js';
import type { Op } from '../../../claims/history.js';
import { pickWeighted, saltedUuids, seededRng } from './rng.js';
import { checkTemplate, renderString, renderTemplate, renderUrl, type Choice } from './template.js';
import { Revisits } from './revisits.js';
import { sendRequest, type FetchLike } from './request.js';

/** How the driver runs. */
export interface WorkloadOptions {
  /** Entrypoint definitions (the plan's copy of the manifest's). */
  entrypoints: readonly ManifestEntrypoint[];
  /** The scenario's mix: entrypoint names and weights. */
  mix: readonly { name: string; weight: number }[];
  ratePerSec: number;
  seed: number;
  /** Arrival process (default poisson). */
  arrivals?: 'poisson' | 'fixed';
  /** In-flight cap (default 256). */
  maxInFlight?: number;
  /** Monotonic clock in ms relative to run start. */
  clock: () => number;
  fetch?: FetchLike;
  /** Called synchronously when an op completes (the halting guard listens here). */
  onOp?: (op: Op) => void;
  /** Initial phase (default baseline). */
  phase?: Phase;
  /** 0 for a scenario's first attempt; a re-run repeats the same workload with fresh request keys (saltedUuids). */
  attempt?: number;
  /**
   * Mixed into every request key with the attempt; unique per run, so a plan
   * run twice against a system that keeps its state never re-sends the first
   * run's keys (its idempotency would answer them as replays, and the
   * checkers would find last run's records under them).
   */
  keySalt?: number;
  /** Scenario id sent in each op's baggage (`faultline.scenario`). */
  scenarioId?: string;
}

/** The driver's view of its own health. */
export interface DriverLag {
  /** Arrivals issued later than scheduled: worst and mean lateness. */
  arrivalLagMaxMs: number;
  arrivalLagMeanMs: number;
  arrivalLagP99Ms: number;
  eventLoopDelayMaxMs: number;
  eventLoopDelayMeanMs: number;
  eventLoopDelayP99Ms: number;
}

/** What the driver hands back when stopped. */
export interface WorkloadReport {
  /** Every op, ordered by id. */
  ops: Op[];
  generatedKeys: string[];
  /** Arrivals scheduled (issued + dropped). */
  scheduled: number;
  /** Arrivals dropped by the in-flight cap (harness errors). */
  dropped: number;
  /** Harness-side errors: dropped arrivals plus internal failures of the driver. */
  driverErrors: number;
  lag: DriverLag;
}

/** A running workload. */
export interface WorkloadRun {
  /** Ops completed so far, in completion order (live). */
  readonly completed: readonly Op[];
  /** Every op issued so far, in invocation order (live; `completeMs` is 0 while in flight). */
  readonly issued: readonly Op[];
  readonly phase: Phase;
  setPhase(phase: Phase): void;
  /** Stop issuing, wait for in-flight ops (bounded by their timeouts), and report. */
  stop(): Promise<WorkloadReport>;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Start driving load now. */
export function startWorkload(opts: WorkloadOptions): WorkloadRun {
  const byName = new Map(opts.entrypoints.map((e) => [e.name, e]));
  const mix = opts.mix.filter((m) => m.weight > 0);
  if (mix.length === 0) throw fail('BAD_INPUT', 'workload has no entrypoint with a positive weight');
  for (const m of mix) {
    const ep = byName.get(m.name);
    if (!ep) throw fail('BAD_INPUT', `workload names entrypoint "${m.name}" which the plan does not define`, { entrypoint: m.name });
    checkTemplate(ep.body, `entrypoints.${m.name}.body`);
    checkTemplate(ep.headers ?? {}, `entrypoints.${m.name}.headers`);
    checkTemplate(ep.url, `entrypoints.${m.name}.url`);
  }
  if (!(opts.ratePerSec > 0)) throw fail('BAD_INPUT', `workload rate must be positive, got ${opts.ratePerSec}`);
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const cap = opts.maxInFlight ?? 256;
  // Separate streams: op content must not depend on how arrivals interleave with time.
  const arrivalRng = seededRng(opts.seed);
  const contentRng = saltedUuids(seededRng(opts.seed ^ 0x5bd1e995), ((opts.keySalt ?? 0) ^ Math.imul(opts.attempt ?? 0, 0x9e3779b1)) >>> 0);
  const meanGap = 1000 / opts.ratePerSec;
  const gap = () => (opts.arrivals === 'fixed' ? meanGap : arrivalRng.exponential(meanGap));

  const ops: Op[] = [];
  const completed: Op[] = [];
  const keys: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const freeSlots: number[] = [];
  let nextSlot = 0;
  let phase: Phase = opts.phase ?? 'baseline';
  let scheduled = 0;
  let dropped = 0;
  let internalErrors = 0;
  let lagSum = 0;
  let lagMax = 0;
  const lags: number[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const revisits = new Revisits();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();

  const issue = (scheduledAt: number) => {
    scheduled++;
    const lag = Math.max(0, opts.clock() - scheduledAt);
    lagSum += lag;
    lagMax = Math.max(lagMax, lag);
    lags.push(lag);
    if (inFlight.size >= cap) {
      dropped++;
      return;
    }
    const pick = pickWeighted(contentRng, mix);
    const ep = byName.get(pick.name)!;
    const key = contentRng.uuid();
    const revisit = phase === 'recovery' ? revisits.pick(ep.name, contentRng) : undefined;
    const choices: { drawn: Choice[]; replay?: readonly Choice[] } = { drawn: [], replay: revisit?.choices };
    const ctx = { rng: contentRng, key, choices };
    const input = ep.body === undefined ? undefined : renderTemplate(ep.body, ctx);
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(ep.headers ?? {})) headers[h] = String(renderString(v, ctx));
    if (ep.idempotencyHeader) headers[ep.idempotencyHeader] = key;
    const trace = traceHeaders(headers, opts.scenarioId, key);
    const process = freeSlots.length > 0 ? freeSlots.pop()! : nextSlot++;
    const op: Op = { id: ops.length, process, type: ep.name, key, ok: false, timeout: false, invokeMs: opts.clock(), completeMs: 0, epoch: phase, lagMs: round(lag) };
    if (trace) op.traceId = trace;
    if (revisit) op.revisitOf = revisit.opId;
    if (input !== undefined) op.input = input;
    ops.push(op);
    keys.push(key);
    const drawn: string[] = [];
    const url = renderUrl(ep.url, ctx, drawn);
    if (drawn.length > 0) op.resource = drawn.join('/');
    if (choices.drawn.length > 0) op.choices = choices.drawn;
    op.path = decodedPath(url);
    const p = sendRequest(doFetch, { method: ep.method.toUpperCase(), url, headers, body: input, timeoutMs: ep.timeoutMs ?? DEFAULT_TIMEOUT_MS })
      .then((res) => {
        op.completeMs = opts.clock();
        op.ok = res.ok;
        op.timeout = res.timeout;
        if (res.status !== undefined) op.status = res.status;
        if (res.output !== undefined) op.output = res.output;
        if (res.error !== undefined) op.error = res.error;
        if (res.node !== undefined) op.node = res.node;
        revisits.record(op);
        completed.push(op);
        opts.onOp?.(op);
      })
      .catch(() => {
        internalErrors++;
      })
      .finally(() => {
        inFlight.delete(p);
        freeSlots.push(process);
      });
    inFlight.add(p);
  };

  let nextAt = opts.clock() + gap();
  const tick = () => {
    if (stopped) return;
    const now = opts.clock();
    // Catch up on every arrival that is due: late arrivals are issued late (and counted as lag), never skipped.
    while (nextAt <= now) {
      issue(nextAt);
      nextAt += gap();
    }
    timer = setTimeout(tick, Math.max(0, nextAt - opts.clock()));
  };
  timer = setTimeout(tick, Math.max(0, nextAt - opts.clock()));

  return {
    completed,
    issued: ops,
    get phase() {
      return phase;
    },
    setPhase(p) {
      phase = p;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      loop.disable();
      return {
        ops,
        generatedKeys: keys,
        scheduled,
        dropped,
        driverErrors: dropped + internalErrors,
        lag: {
          arrivalLagMaxMs: round(lagMax),
          arrivalLagMeanMs: round(scheduled > 0 ? lagSum / scheduled : 0),
          arrivalLagP99Ms: round(p99(lags)),
          eventLoopDelayMaxMs: round(nsToMs(loop.max)),
          eventLoopDelayMeanMs: round(Number.isFinite(loop.mean) ? nsToMs(loop.mean) : 0),
          eventLoopDelayP99Ms: round(loop.count > 0 ? nsToMs(loop.percentile(99)) : 0),
        },
      };
    },
  };
}

/**
 * Add a fresh W3C trace context (sampled) and faultline baggage unless the
 * entrypoint's own headers already carry one; returns the trace id sent.
 */
function traceHeaders(headers: Record<string, string>, scenarioId: string | undefined, key: string): string | undefined {
  const named = (name: string) => Object.keys(headers).find((h) => h.toLowerCase() === name);
  const own = named('traceparent');
  if (own !== undefined) return /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(headers[own])?.[1];
  const traceId = randomBytes(16).toString('hex');
  headers.traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  if (named('baggage') === undefined) {
    const items = [...(scenarioId ? [`faultline.scenario=${encodeURIComponent(scenarioId)}`] : []), `faultline.request_key=${encodeURIComponent(key)}`];
    headers.baggage = items.join(',');
  }
  return traceId;
}

function p99(xs: number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

function nsToMs(ns: number): number {
  return ns / 1e6;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** The rendered URL's path and query, decoded (`/seats/s-12/hold?x=1`); the URL itself when it does not parse. */
function decodedPath(url: string): string {
  try {
    const u = new URL(url);
    return decodeURIComponent(u.pathname + u.search);
  } catch {
    return url;
  }
}
