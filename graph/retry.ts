/**
 * Retry detection. A retry is the same request sent again: under one parent
 * span, to the same callee, with the same operation (span name, HTTP method
 * and URL as sent), started after the previous attempt ended or failed.
 * A GET and a POST to one callee are two requests, not a retry; three
 * identical calls in flight at once are a fan-out; `GET /accounts/7` then
 * `GET /accounts/8` fetch two records. The OpenTelemetry HTTP semconv also
 * lets instrumentation announce a retry itself with
 * `http.request.resend_count`, which we honour even when the earlier
 * attempts were not sampled.
 */
import type { CallFact } from './trace-analysis.js';

/** Retries found on one edge within one trace. */
export interface RetryCount {
  retriedParents: number;
  extraAttempts: number;
}

/**
 * Clock slack (µs) when comparing one attempt's start with the previous
 * one's end: both come from the caller's clock, but exporters round to µs.
 */
const SEQUENTIAL_SLACK_US = 100;

/** Edge id → retries, for the calls of one trace. */
export function countRetries(calls: CallFact[]): Map<string, RetryCount> {
  const out = new Map<string, RetryCount>();
  if (!mayHaveRetries(calls)) return out;
  // Group by parent first: most parents make one call per callee, so the
  // finer (request) grouping runs only where it can matter.
  const byParent = new Map<string, CallFact[]>();
  for (const c of calls) {
    if (c.parentSpanId === undefined) {
      // Calls with no parent cannot be siblings of anything; only resend_count speaks for them.
      if (c.resend) record(out, `${c.source}->${c.target}`, 1);
      continue;
    }
    const xs = byParent.get(c.parentSpanId);
    if (xs) xs.push(c);
    else byParent.set(c.parentSpanId, [c]);
  }
  for (const siblings of byParent.values()) {
    if (siblings.length === 1 || !hasRepeat(siblings)) {
      for (const c of siblings) if (c.resend) record(out, `${c.source}->${c.target}`, 1);
      continue;
    }
    const groups = new Map<string, { edge: string; attempts: CallFact[]; resent: number }>();
    for (const c of siblings) {
      const edge = `${c.source}->${c.target}`;
      const key = `${edge}\u0000${c.operation}\u0000${c.method ?? ''}\u0000${c.url ?? ''}`;
      const g = groups.get(key) ?? { edge, attempts: [], resent: 0 };
      g.attempts.push(c);
      if (c.resend) g.resent += 1;
      groups.set(key, g);
    }
    // Siblings and resend_count describe the same attempts; take the larger
    // so a retry announced both ways is not counted twice.
    for (const g of groups.values()) {
      const extra = Math.max(sequentialRepeats(g.attempts), g.resent);
      if (extra > 0) record(out, g.edge, extra);
    }
  }
  return out;
}

/**
 * Attempts of one request that follow an earlier attempt: started once it
 * ended, or after it started when it failed (a client that gives up may
 * close its span late). Concurrent copies are not retries.
 */
function sequentialRepeats(attempts: CallFact[]): number {
  if (attempts.length < 2) return 0;
  const sorted = [...attempts].sort((a, b) => a.startUs - b.startUs);
  let last = sorted[0];
  let extra = 0;
  for (let i = 1; i < sorted.length; i++) {
    const c = sorted[i];
    if (c.startUs + SEQUENTIAL_SLACK_US >= last.endUs || last.error) {
      extra += 1;
      last = c;
    }
  }
  return extra;
}

function record(out: Map<string, RetryCount>, edge: string, extra: number): void {
  const r = out.get(edge) ?? { retriedParents: 0, extraAttempts: 0 };
  r.retriedParents += 1;
  r.extraAttempts += extra;
  out.set(edge, r);
}

/** The same request to the same callee (parents are compared by the caller). */
function sameRequest(a: CallFact, b: CallFact): boolean {
  return a.target === b.target && a.operation === b.operation && a.source === b.source && a.method === b.method && a.url === b.url;
}

/**
 * Cheap pre-check for the common trace (a handful of calls, no retries): no
 * call announces a resend and no two calls share parent and request. Long
 * call lists skip the check and take the grouping path.
 */
function mayHaveRetries(calls: CallFact[]): boolean {
  if (calls.length > 32) return true;
  for (let i = 0; i < calls.length; i++) {
    const a = calls[i];
    if (a.resend) return true;
    if (a.parentSpanId === undefined) continue;
    for (let j = 0; j < i; j++) {
      const b = calls[j];
      if (a.parentSpanId === b.parentSpanId && sameRequest(a, b)) return true;
    }
  }
  return false;
}

/** True when two siblings send the same request (quadratic, but sibling lists are short). */
function hasRepeat(siblings: CallFact[]): boolean {
  for (let i = 1; i < siblings.length; i++) {
    const a = siblings[i];
    for (let j = 0; j < i; j++) if (sameRequest(a, siblings[j])) return true;
  }
  return false;
}

/** calls / (calls − extra attempts): how many attempts each logical call cost (1 = no retries). */
export function amplification(calls: number, extraAttempts: number): number {
  const logical = calls - extraAttempts;
  return logical > 0 ? calls / logical : calls > 0 ? calls : 1;
}
