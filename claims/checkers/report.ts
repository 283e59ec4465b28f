/**
 * How every checker reports: a CheckResult with a capped anomaly list, the
 * total count, and a one-line summary a reviewer can check by hand
 * (`checked 4,213 ops, 0 anomalies`).
 */
import type { Anomaly, CheckResult } from '../check-result.js';

/** Anomalies listed in full; the rest are only counted. */
export const MAX_LISTED_ANOMALIES = 20;

/** Op ids listed per anomaly. */
export const MAX_LISTED_OPS = 10;

/** Checkers need at least this many ops to say anything. */
export const MIN_OPS = 10;

/** `4213` → `4,213`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

function anomalyCount(n: number): string {
  return `${count(n)} ${n === 1 ? 'anomaly' : 'anomalies'}`;
}

/** A finished check. `noun` names what was consumed (`ops`, `records`). */
export function report(input: {
  claimId: string;
  checker: string;
  consumed: number;
  noun?: string;
  anomalies: Anomaly[];
  extra?: string[];
  partialModel?: string;
  unexercised?: string[];
}): CheckResult {
  const { anomalies } = input;
  const parts = [`checked ${count(input.consumed)} ${input.noun ?? 'ops'}`, anomalyCount(anomalies.length), ...(input.extra ?? [])];
  const result: CheckResult = {
    claimId: input.claimId,
    checker: input.checker,
    ok: anomalies.length === 0,
    opsConsumed: input.consumed,
    anomalies: anomalies.slice(0, MAX_LISTED_ANOMALIES).map((a) => (a.ops && a.ops.length > MAX_LISTED_OPS ? { ...a, ops: a.ops.slice(0, MAX_LISTED_OPS) } : a)),
    summary: parts.join(', '),
    sufficient: true,
  };
  if (anomalies.length > MAX_LISTED_ANOMALIES) result.anomalyCount = anomalies.length;
  if (input.partialModel) result.partialModel = input.partialModel;
  if (input.unexercised && input.unexercised.length) result.unexercised = input.unexercised;
  return result;
}

/** A check that could not do its job. */
export function insufficient(claimId: string, checker: string, reason: string, consumed = 0): CheckResult {
  return {
    claimId,
    checker,
    ok: true,
    opsConsumed: consumed,
    anomalies: [],
    summary: `insufficient: ${reason}`,
    sufficient: false,
    insufficientReason: reason,
  };
}
