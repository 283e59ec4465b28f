/**
 * Grafana Tempo as a TraceSource: `/api/search` (TraceQL `q`, or a
 * `service.name` tag) over windows of the range — Tempo has no pagination,
 * so a window returning `limit` hits is halved — then each new trace id via
 * `/api/v2/traces/{id}`, falling back to `/api/traces/{id}` on Tempo
 * versions without v2. Ids are de-duplicated across windows.
 */
import { getJson, splitUserInfo, type HttpOptions, type WindowedSourceOptions } from './backend-http.js';
import type { Span, TimeWindow } from './span.js';
import { spansFromTempoTrace, tempoSearchHits, type TempoSearchHit } from './tempo-json.js';
import { adaptiveWindows, resolveWindow } from './time-windows.js';
import type { TraceQuery, TraceSource } from './trace-source.js';
import { IngestWarnings } from './warnings.js';
import { markWholeTraces } from './whole-traces.js';
import { fail } from '../base/errors.js';

/** Options of a Tempo source. */
export interface TempoSourceOptions extends WindowedSourceOptions {
  /** Base URL of Tempo's HTTP API, e.g. `http://127.0.0.1:3200`. */
  url: string;
  /** TraceQL, e.g. `{ resource.service.name = "checkout" }`. */
  query?: string;
  /** Search hits per request, default 20 (Tempo's default). */
  limit?: number;
}

/** Reads traces from Tempo. */
export class TempoTraceSource implements TraceSource {
  readonly describe: string;
  private readonly base: string;
  private readonly http: HttpOptions;
  /** False once `/api/v2/traces` proved absent. */
  private v2 = true;

  constructor(private readonly opts: TempoSourceOptions) {
    // Credentials in the URL become a header: fetch refuses them there, and describe/messages must not show them.
    const plain = splitUserInfo(opts.url);
    this.base = plain.url.replace(/\/+$/, '');
    this.describe = `tempo ${this.base}`;
    this.http = { fetch: opts.fetch ?? ((u, i) => fetch(u, i)), retries: opts.retries ?? 2, retryDelayMs: opts.retryDelayMs ?? 200, headers: { ...plain.headers, ...opts.headers } };
  }

  private get limit(): number {
    return this.opts.limit ?? 20;
  }

  /** One trace by id (v2, falling back to v1); empty when Tempo does not know it. */
  async trace(traceId: string, warnings: IngestWarnings, signal?: AbortSignal): Promise<Span[]> {
    const id = encodeURIComponent(traceId);
    if (this.v2) {
      const r = await getJson(`${this.base}/api/v2/traces/${id}`, this.http, signal);
      if (r.status !== 404) return spansFromTempoTrace(r.body, warnings);
    }
    const r = await getJson(`${this.base}/api/traces/${id}`, this.http, signal);
    if (r.status === 404) return [];
    // v2 said 404 but v1 knows the trace: this Tempo has no v2 endpoint.
    this.v2 = false;
    return spansFromTempoTrace(r.body, warnings);
  }

  async *read(query: TraceQuery, warnings: IngestWarnings, signal?: AbortSignal): AsyncIterable<Span[]> {
    const range = resolveWindow(query, this.opts.lookbackMs ?? 3_600_000, (this.opts.now ?? Date.now)());
    if (!(range.endUs > range.startUs)) throw fail('BAD_INPUT', 'tempo query window is empty', { ...range });
    const seen = new Set<string>();
    const max = query.maxTraces ?? Infinity;
    const windows = adaptiveWindows(range, (this.opts.windowMs ?? 3_600_000) * 1000, this.limit,
      (w) => this.search(query, w, signal), warnings, signal, 1_000_000);
    for await (const hits of windows) {
      for (const hit of hits) {
        if (seen.has(hit.traceId)) continue;
        if (seen.size >= max) return;
        seen.add(hit.traceId);
        const spans = await this.trace(hit.traceId, warnings, signal);
        if (spans.length === 0) warnings.add('skipped trace: found by search but not by id');
        else yield markWholeTraces(spans); // a by-id answer is the whole trace
      }
    }
  }

  private async search(query: TraceQuery, w: TimeWindow, signal?: AbortSignal): Promise<{ hits: number; value: TempoSearchHit[] }> {
    const p = new URLSearchParams();
    const traceql = query.query ?? this.opts.query;
    if (traceql) p.set('q', traceql);
    else if (query.service) p.set('tags', `service.name=${query.service}`);
    // Tempo's search range is in whole seconds; widen outward so no edge is lost.
    p.set('start', String(Math.floor(w.startUs / 1e6)));
    p.set('end', String(Math.ceil(w.endUs / 1e6)));
    p.set('limit', String(this.limit));
    const r = await getJson(`${this.base}/api/search?${p}`, this.http, signal);
    if (r.status === 404) return { hits: 0, value: [] };
    const hits = tempoSearchHits(r.body, new IngestWarnings());
    return { hits: hits.length, value: hits };
  }
}
