/**
 * Retry detection. A parent span that calls the same callee and operation
 * more than once is retrying (the repeats are the extra attempts); the
 * OpenTelemetry HTTP semconv also lets instrumentation announce a retry
 * itself with `http.request.resend_count`, which we honour even when the
 * earlier attempts were not sampled.
 */
import type { CallFact } from './trace-analysis.js';

/** Retries found on one edge within one trace. */
export interface RetryCount {
  retriedParents: number;
  extraAttempts: number;
}

/** Edge id → retries, for the calls of one trace. */
export function countRetries(calls: CallFact[]): Map<string, RetryCount> {
  const out = new Map<string, RetryCount>();
  if (!mayHaveRetries(calls)) return out;
  // Group by parent first: most parents make one call per callee, so the
  // finer (callee, operation) grouping runs only where it can matter.
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
    if (siblings.length === 1) {
      if (siblings[0].resend) record(out, `${siblings[0].source}->${siblings[0].target}`, 1);
      continue;
    }
    if (!hasRepeat(siblings)) {
      for (const c of siblings) if (c.resend) record(out, `${c.source}->${c.target}`, 1);
      continue;
    }
    const groups = new Map<string, { edge: string; n: number; resent: number }>();
    for (const c of siblings) {
      const edge = `${c.source}->${c.target}`;
      const key = `${edge}\u0000${c.operation}`;
      const g = groups.get(key) ?? { edge, n: 0, resent: 0 };
      g.n += 1;
      if (c.resend) g.resent += 1;
      groups.set(key, g);
    }
    // Siblings and resend_count describe the same attempts; take the larger
    // so a retry announced both ways is not counted twice.
    for (const g of groups.values()) {
      const extra = Math.max(g.n - 1, g.resent);
      if (extra > 0) record(out, g.edge, extra);
    }
  }
  return out;
}

function record(out: Map<string, RetryCount>, edge: string, extra: number): void {
  const r = out.get(edge) ?? { retriedParents: 0, extraAttempts: 0 };
  r.retriedParents += 1;
  r.extraAttempts += extra;
  out.set(edge, r);
}

/**
 * Cheap pre-check for the common trace (a handful of calls, no retries): no
 * call announces a resend and no two calls share parent, callee and
 * operation. Long call lists skip the check and take the grouping path.
 */
function mayHaveRetries(calls: CallFact[]): boolean {
  if (calls.length > 32) return true;
  for (let i = 0; i < calls.length; i++) {
    const a = calls[i];
    if (a.resend) return true;
    if (a.parentSpanId === undefined) continue;
    for (let j = 0; j < i; j++) {
      const b = calls[j];
      if (a.parentSpanId === b.parentSpanId && a.target === b.target && a.operation === b.operation && a.source === b.source) return true;
    }
  }
  return false;
}

/** True when two siblings call the same callee and operation (quadratic, but sibling lists are short). */
function hasRepeat(siblings: CallFact[]): boolean {
  for (let i = 1; i < siblings.length; i++) {
    const a = siblings[i];
    for (let j = 0; j < i; j++) {
      const b = siblings[j];
      if (a.target === b.target && a.operation === b.operation && a.source === b.source) return true;
    }
  }
  return false;
}

/** calls / (calls − extra attempts): how many attempts each logical call cost (1 = no retries). */
export function amplification(calls: number, extraAttempts: number): number {
  const logical = calls - extraAttempts;
  return logical > 0 ? calls / logical : calls > 0 ? calls : 1;
}
