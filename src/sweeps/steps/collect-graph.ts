/**
 * Sweep step: pull the last window of traces from the manifest's source and
 * build the interaction graph. The window is the source's `lookback`
 * (default one hour) ending now; trace files are read whole.
 */
import type { Manifest } from '../../../generators/manifest.js';
import type { GraphSnapshot } from '../../../graph/model.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { Pipeline } from '../../pipeline.js';

const DEFAULT_LOOKBACK_MS = 60 * 60 * 1000;

/**
 * The trace window ending at `now`, in µs (TimeWindow's unit). Trace files
 * are a fixed record, not a live feed: they are read whole.
 */
export function traceWindow(pipeline: Pipeline, manifest: Manifest, now: Date): { startUs: number; endUs: number } {
  const spec = manifest.traces;
  if (spec.type === 'files') return { startUs: 0, endUs: Number.MAX_SAFE_INTEGER };
  const lookback = 'lookback' in spec && spec.lookback ? pipeline.parseLookback(spec.lookback) : DEFAULT_LOOKBACK_MS;
  const endUs = now.getTime() * 1000;
  return { startUs: endUs - lookback * 1000, endUs };
}

/** The trace window in words, for saying where no span was found: `jaeger http://jaeger:16686`, lookback `7d`. */
export function traceWindowWords(manifest: Manifest): { source: string; lookback?: string } {
  const spec = manifest.traces;
  const source = 'url' in spec && spec.url ? `${spec.type} ${spec.url}` : spec.type === 'files' ? `the trace files (${spec.paths.join(', ')})` : spec.type;
  if (spec.type === 'files') return { source };
  return { source, lookback: 'lookback' in spec && spec.lookback ? spec.lookback : '1h' };
}

/** Read the traces and build the graph. */
export async function collectGraph(pipeline: Pipeline, manifest: Manifest, now: Date): Promise<GraphSnapshot> {
  const source = pipeline.traceSource(manifest.traces);
  const warnings = new IngestWarnings();
  const spec = manifest.traces;
  return pipeline.buildGraph(source, { ...traceWindow(pipeline, manifest, now), ...(spec.type === 'jaeger' && spec.service ? { service: spec.service } : {}), ...(spec.type === 'tempo' && spec.query ? { query: spec.query } : {}) }, warnings);
}
