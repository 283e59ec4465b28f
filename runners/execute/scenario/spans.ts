/**
 * Per-phase spans: the trace source is asked for each phase's wall-clock
 * window (history monotonic ms + startedAtUnixMs, in µs as ingest/span.ts
 * uses), so boundary metrics compare the same edges before, during and
 * after the fault.
 */
import type { Phase } from '../../../claims/claim.js';
import type { Span } from '../../../ingest/span.js';
import type { TraceSource } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { History } from '../../../claims/history.js';

/** Spans of each phase's window. */
export type SpansByPhase = Record<Phase, Span[]>;

/** Cap per phase so a busy backend cannot exhaust the runner's memory. */
const MAX_SPANS_PER_PHASE = 200_000;

/** Read spans per phase; no trace source gives empty phases. */
export async function collectPhaseSpans(source: TraceSource | undefined, history: History, signal?: AbortSignal): Promise<SpansByPhase> {
  const out: SpansByPhase = { baseline: [], fault: [], recovery: [] };
  if (!source) return out;
  for (const phase of ['baseline', 'fault', 'recovery'] as const) {
    const w = history.phases[phase];
    const startUs = Math.floor((history.startedAtUnixMs + w.startMs) * 1000);
    const endUs = Math.ceil((history.startedAtUnixMs + w.endMs) * 1000);
    const warnings = new IngestWarnings();
    for await (const batch of source.read({ startUs, endUs }, warnings, signal)) {
      for (const s of batch) {
        if (out[phase].length >= MAX_SPANS_PER_PHASE) break;
        out[phase].push(s);
      }
    }
  }
  return out;
}
