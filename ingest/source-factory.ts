/**
 * From the manifest's `traces:` block to a TraceSource.
 */
import type { TraceSourceSpec } from './trace-source.js';
import { fail } from '../base/errors.js';
import { FileTraceSource } from './file-source.js';
import { JaegerTraceSource } from './jaeger-client.js';
import type { SpanStore } from './span-store.js';
import { TempoTraceSource } from './tempo-client.js';
import type { TraceSource } from './trace-source.js';
import { fetchTrustingCa, resolveBackendAuth } from './backend-auth.js';
import { readFileSync } from 'node:fs';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `'7d' | '90m' | '30s' | '1h' | '500ms' | '2w'` → milliseconds; BAD_INPUT on anything else. */
export function parseLookback(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
  if (!m || !(ms > 0) || !Number.isFinite(ms)) {
    throw fail('BAD_INPUT', `lookback must be a positive duration like 30s, 90m, 12h or 7d, got ${JSON.stringify(text)}`, { value: text });
  }
  return Math.round(ms);
}

/** Extra wiring the factory cannot get from the spec. */
export interface SourceFactoryOptions {
  fetch?: typeof fetch;
  /** Reads a secret the spec names by environment variable (config.secretFromEnv); without it, a named secret is reported missing. */
  secret?: (envName: string) => string | undefined;
}

/**
 * The TraceSource for a manifest spec. `otlp` reads faultline's own OTLP
 * receiver store, which must be passed in.
 */
export function traceSourceFromSpec(spec: TraceSourceSpec, store?: SpanStore, opts: SourceFactoryOptions = {}): TraceSource {
  switch (spec.type) {
    case 'otlp':
      // Spans pushed to faultline live only in a receiver's store; without one, say how to get them.
      if (!store) throw fail('CONFIG_INVALID', 'traces.type "otlp" needs faultline\'s OTLP receiver: use faultline serve, or save spans with `faultline collect --for 60s --out traces.jsonl` and read them as traces: {type: files}');
      return store;
    case 'files':
      return new FileTraceSource(spec.paths);
    case 'jaeger':
      return new JaegerTraceSource({
        url: spec.url,
        service: spec.service,
        lookbackMs: lookbackOf(spec),
        ...connection(spec, opts),
      });
    case 'tempo':
      return new TempoTraceSource({
        url: spec.url,
        query: spec.query,
        lookbackMs: lookbackOf(spec),
        ...connection(spec, opts),
      });
    default:
      throw fail('MANIFEST_INVALID', `unknown traces.type ${JSON.stringify((spec as { type: unknown }).type)}`);
  }
}

/** A backend's headers (credentials resolved) and a fetch that trusts its CA file, if it names one. */
function connection(spec: Extract<TraceSourceSpec, { type: 'jaeger' | 'tempo' }>, opts: SourceFactoryOptions) {
  const auth = resolveBackendAuth(spec, { secret: opts.secret ?? (() => undefined), readFile: (p) => readFileSync(p, 'utf8') });
  return { headers: auth.headers, fetch: opts.fetch ?? (auth.ca ? fetchTrustingCa(auth.ca) : undefined) };
}

/** A backend spec's lookback in ms, when it names one. */
function lookbackOf(spec: { lookback?: string }): number | undefined {
  return spec.lookback === undefined ? undefined : parseLookback(spec.lookback);
}
