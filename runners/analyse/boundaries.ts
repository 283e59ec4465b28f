/**
 * Service-boundary metrics per phase, from the spans of each phase window:
 * the observed blast radius of a fault. A boundary is a client (or producer)
 * span's caller→callee pair: the callee is the service of its child server
 * span when that child lives in another service, else the dependency named
 * by the client span's own attributes (graph/dependency.ts, so ids match the
 * interaction graph's edges). Retries are repeated calls to the same callee
 * operation under one parent span, plus `http.request.resend_count`.
 */
import type { Phase } from '../../claims/claim.js';
import { inferCallee, isOutgoing } from '../../graph/dependency.js';
import type { Span } from '../../ingest/span.js';
import { percentile } from '../../claims/phase-metrics.js';
import type { BoundaryMetrics } from '../record/result.js';

function isError(s: Span): boolean {
  return s.status === 'error' || (s.attributes.httpStatusCode !== undefined && s.attributes.httpStatusCode >= 500);
}

/** The caller→callee edge of each outgoing span. */
function outgoingEdges(spans: readonly Span[]): { span: Span; edge: string }[] {
  const children = new Map<string, Span[]>();
  for (const s of spans) {
    if (!s.parentSpanId || (s.kind !== 'server' && s.kind !== 'consumer')) continue;
    const k = `${s.traceId}/${s.parentSpanId}`;
    children.set(k, [...(children.get(k) ?? []), s]);
  }
  const out: { span: Span; edge: string }[] = [];
  for (const s of spans) {
    if (!isOutgoing(s)) continue;
    const child = children.get(`${s.traceId}/${s.spanId}`)?.find((c) => c.service !== s.service);
    out.push({ span: s, edge: `${s.service}->${child ? child.service : inferCallee(s).id}` });
  }
  return out;
}

/** Trace ids whose spans cross `edge` (a workload op whose trace crosses the edge depends on it). */
export function tracesCrossing(spans: readonly Span[], edge: string): Set<string> {
  return new Set(outgoingEdges(spans).filter((e) => e.edge === edge).map((e) => e.span.traceId));
}

function edgesOf(spans: Span[]): BoundaryMetrics[] {
  const acc = new Map<string, { lat: number[]; errors: number; retries: number; attempts: Map<string, number> }>();
  for (const { span: s, edge } of outgoingEdges(spans)) {
    let a = acc.get(edge);
    if (!a) acc.set(edge, (a = { lat: [], errors: 0, retries: 0, attempts: new Map() }));
    a.lat.push(s.durationUs / 1000);
    if (isError(s)) a.errors++;
    a.retries += s.attributes.resendCount ?? 0;
    const attemptKey = `${s.traceId}/${s.parentSpanId ?? ''}/${s.operation}`;
    a.attempts.set(attemptKey, (a.attempts.get(attemptKey) ?? 0) + 1);
  }
  return [...acc].map(([edge, a]) => {
    let repeated = 0;
    for (const n of a.attempts.values()) repeated += n - 1;
    const lat = a.lat.sort((x, y) => x - y);
    return { edge, phase: 'baseline' as Phase, calls: lat.length, errorRate: a.errors / lat.length, p99Ms: Math.round(percentile(lat, 99) * 10) / 10, retries: a.retries + repeated };
  });
}

/** Per caller→callee boundary metrics for each phase that has spans. */
export function boundaryMetrics(spansByPhase: Partial<Record<Phase, Span[]>>): BoundaryMetrics[] {
  const out: BoundaryMetrics[] = [];
  for (const phase of ['baseline', 'fault', 'recovery'] as const) {
    const spans = spansByPhase[phase];
    if (!spans) continue;
    for (const b of edgesOf(spans).sort((x, y) => x.edge.localeCompare(y.edge))) out.push({ ...b, phase });
  }
  return out;
}
