/**
 * Per-phase spans. Every workload op carries its own `traceparent`
 * (workload/driver.ts), so the spans of a phase are the traces of the ops
 * invoked in it: no other traffic, no guessing from clocks. The trace
 * source is read once over the whole attempt (wall clock, µs as
 * ingest/span.ts uses). A system that does not propagate W3C trace context
 * has no span in those traces; then the phases fall back to the spans that
 * started in each phase's time window, and the result says so.
 */
import type { Phase } from '../../../claims/claim.js';
import type { Span } from '../../../ingest/span.js';
import type { TraceSource } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { History } from '../../../claims/history.js';

/** Spans of each phase. */
export type SpansByPhase = Record<Phase, Span[]>;

/** Per-phase spans and how they were tied to the phase. */
export interface PhaseSpans {
  spans: SpansByPhase;
  /** `op-traces`: the traces of the ops themselves; `time-window`: spans that started in the phase (no op trace found). */
  by: 'op-traces' | 'time-window' | 'none';
}

/** Cap so a busy backend cannot exhaust the runner's memory. */
const MAX_SPANS = 600_000;
/** Late spans of an op invoked at the end of the recovery phase still belong to it. */
const TAIL_MS = 5000;

/** Assign spans to phases: by the epoch of the op whose trace they are in, else by start time. */
export function spansByPhase(spans: readonly Span[], history: History): PhaseSpans {
  const out: SpansByPhase = { baseline: [], fault: [], recovery: [] };
  const epochOf = new Map<string, Phase>();
  for (const o of history.ops) if (o.traceId) epochOf.set(o.traceId, o.epoch);
  const mine = spans.filter((s) => epochOf.has(s.traceId));
  if (mine.length > 0) {
    for (const s of mine) out[epochOf.get(s.traceId) ?? 'baseline'].push(s);
    return { spans: out, by: 'op-traces' };
  }
  for (const phase of ['baseline', 'fault', 'recovery'] as const) {
    const w = history.phases[phase];
    const startUs = (history.startedAtUnixMs + w.startMs) * 1000;
    const endUs = (history.startedAtUnixMs + w.endMs) * 1000;
    for (const s of spans) if (s.startUs >= startUs && s.startUs < endUs) out[phase].push(s);
  }
  return { spans: out, by: spans.length > 0 ? 'time-window' : 'none' };
}

/** Read the attempt's spans and tie them to phases; no trace source gives empty phases. */
export async function collectPhaseSpans(source: TraceSource | undefined, history: History, signal?: AbortSignal): Promise<PhaseSpans> {
  if (!source) return { spans: { baseline: [], fault: [], recovery: [] }, by: 'none' };
  const startUs = Math.floor((history.startedAtUnixMs + history.phases.baseline.startMs) * 1000);
  const endUs = Math.ceil((history.startedAtUnixMs + history.phases.recovery.endMs + TAIL_MS) * 1000);
  const all: Span[] = [];
  const warnings = new IngestWarnings();
  for await (const batch of source.read({ startUs, endUs }, warnings, signal)) {
    for (const s of batch) {
      if (all.length >= MAX_SPANS) break;
      all.push(s);
    }
  }
  return spansByPhase(all, history);
}
