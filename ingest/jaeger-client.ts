/**
 * Jaeger query as a TraceSource. api/v3 first (Jaeger v2's HTTP gateway:
 * `GET /api/v3/services`, `GET /api/v3/traces?query.*` answering
 * `{"result": TracesData}` OTLP JSON, 404 = no match); when
 * `/api/v3/services` is 404 the legacy UI API is used instead
 * (`/api/services`, `/api/traces?service&start&end&limit` in µs,
 * `/api/traces/{id}`). Ranges are windowed and a window that returns the
 * full limit is split again; traces are de-duplicated by id across services
 * and windows.
 */
import { fail } from '../base/errors.js';
import { getJson, splitUserInfo, type HttpOptions, type WindowedSourceOptions } from './backend-http.js';
import { spansFromJaegerJson } from './jaeger-json.js';
import { spansFromOtlpJson } from './otlp-json.js';
import type { Span, TimeWindow } from './span.js';
import { adaptiveWindows, resolveWindow } from './time-windows.js';
import type { TraceQuery, TraceSource } from './trace-source.js';
import { IngestWarnings } from './warnings.js';
import { markWholeTraces } from './whole-traces.js';

/** Options of a Jaeger source. */
export interface JaegerSourceOptions extends WindowedSourceOptions {
  /** Base URL of jaeger-query, e.g. `http://127.0.0.1:16686`. */
  url: string;
  /** Only traces of this service (default: every service the backend lists). */
  service?: string;
  /** Traces per request (`limit` / `query.search_depth`), default 100. */
  pageLimit?: number;
}

type Api = 'v3' | 'legacy';

/** RFC 3339 with microseconds (`2024-01-31T05:28:29.209712Z`) for api/v3 query times. */
export function rfc3339Micros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

/** Reads traces from Jaeger (api/v3, falling back to the legacy API). */
export class JaegerTraceSource implements TraceSource {
  readonly describe: string;
  private readonly base: string;
  private readonly http: HttpOptions;
  private api?: Api;

  constructor(private readonly opts: JaegerSourceOptions) {
    // Credentials in the URL become a header: fetch refuses them there, and describe/messages must not show them.
    const plain = splitUserInfo(opts.url);
    this.base = plain.url.replace(/\/+$/, '');
    this.describe = `jaeger ${this.base}`;
    this.http = { fetch: opts.fetch ?? ((u, i) => fetch(u, i)), retries: opts.retries ?? 2, retryDelayMs: opts.retryDelayMs ?? 200, headers: { ...plain.headers, ...opts.headers } };
  }

  private get limit(): number {
    return this.opts.pageLimit ?? 100;
  }

  /** Which API the backend speaks (probed once). */
  async detectApi(signal?: AbortSignal): Promise<Api> {
    if (this.api) return this.api;
    const r = await getJson(`${this.base}/api/v3/services`, this.http, signal);
    this.api = r.status === 404 ? 'legacy' : 'v3';
    if (this.api === 'v3') this.cachedServices = servicesOf(r.body, 'services');
    return this.api;
  }

  private cachedServices?: string[];

  /** Services known to the backend. */
  async services(signal?: AbortSignal): Promise<string[]> {
    const api = await this.detectApi(signal);
    if (api === 'v3' && this.cachedServices) return this.cachedServices;
    const path = api === 'v3' ? '/api/v3/services' : '/api/services';
    const r = await getJson(`${this.base}${path}`, this.http, signal);
    return servicesOf(r.body, api === 'v3' ? 'services' : 'data');
  }

  /**
   * Jaeger's service dependency links for `lookbackMs` before `endMs`
   * (`GET /api/dependencies?endTs&lookback`, both in ms), as the
   * `[{parent, child, callCount}]` list graph/dependency-list.ts reads.
   */
  async dependencies(endMs: number, lookbackMs: number, signal?: AbortSignal): Promise<unknown[]> {
    const p = new URLSearchParams({ endTs: String(Math.round(endMs)), lookback: String(Math.round(lookbackMs)) });
    const r = await getJson(`${this.base}/api/dependencies?${p}`, this.http, signal);
    if (r.status === 404) throw fail('BACKEND_RESPONSE', `${this.base} answered 404 for /api/dependencies: point --jaeger at jaeger-query (the UI's address)`);
    const list = Array.isArray(r.body) ? r.body : (r.body as { data?: unknown } | null)?.data;
    if (!Array.isArray(list)) throw fail('BACKEND_RESPONSE', 'jaeger dependencies response has no "data" array');
    return list;
  }

  /** One trace by id (empty when the backend does not know it). */
  async trace(traceId: string, warnings: IngestWarnings, signal?: AbortSignal): Promise<Span[]> {
    const api = await this.detectApi(signal);
    const id = encodeURIComponent(traceId);
    const r = await getJson(`${this.base}${api === 'v3' ? `/api/v3/traces/${id}` : `/api/traces/${id}`}`, this.http, signal);
    if (r.status === 404) return [];
    return api === 'v3' ? spansFromOtlpJson(r.body, warnings) : spansFromJaegerJson(r.body, warnings);
  }

  async *read(query: TraceQuery, warnings: IngestWarnings, signal?: AbortSignal): AsyncIterable<Span[]> {
    const api = await this.detectApi(signal);
    const range = resolveWindow(query, this.opts.lookbackMs ?? 3_600_000, (this.opts.now ?? Date.now)());
    if (!(range.endUs > range.startUs)) throw fail('BAD_INPUT', 'jaeger query window is empty', { ...range });
    const service = query.service ?? this.opts.service;
    const services = service !== undefined ? [service] : await this.services(signal);
    const seen = new Set<string>();
    const max = query.maxTraces ?? Infinity;
    for (const svc of services) {
      const windows = adaptiveWindows(range, (this.opts.windowMs ?? 3_600_000) * 1000, this.limit,
        (w) => this.searchWindow(api, svc, w, warnings, signal), warnings, signal);
      for await (const spans of windows) {
        const fresh: Span[] = [];
        const admitted = new Set<string>();
        for (const s of spans) {
          if (!admitted.has(s.traceId)) {
            if (seen.has(s.traceId) || seen.size >= max) continue;
            seen.add(s.traceId);
            admitted.add(s.traceId);
          }
          fresh.push(s);
        }
        // Search answers hold whole traces (api/v3 and legacy alike), and the
        // admission above keeps or drops a trace whole.
        if (fresh.length > 0) yield markWholeTraces(fresh);
        if (seen.size >= max) return;
      }
    }
  }

  /** One search request; hits = distinct traces returned. */
  private async searchWindow(api: Api, service: string, w: TimeWindow, warnings: IngestWarnings, signal?: AbortSignal) {
    const limit = this.limit;
    let url: string;
    if (api === 'v3') {
      const p = new URLSearchParams({
        'query.service_name': service,
        'query.start_time_min': rfc3339Micros(w.startUs),
        'query.start_time_max': rfc3339Micros(w.endUs),
        'query.search_depth': String(limit),
      });
      url = `${this.base}/api/v3/traces?${p}`;
    } else {
      const p = new URLSearchParams({ service, start: String(w.startUs), end: String(w.endUs), limit: String(limit) });
      url = `${this.base}/api/traces?${p}`;
    }
    const r = await getJson(url, this.http, signal);
    if (r.status === 404) return { hits: 0, value: [] as Span[] };
    // Count per request so a window that comes back full is split, not trusted.
    const local = new IngestWarnings();
    const spans = api === 'v3' ? spansFromOtlpJson(r.body, local) : spansFromJaegerJson(r.body, local);
    const hits = api === 'legacy' && Array.isArray((r.body as { data?: unknown }).data)
      ? ((r.body as { data: unknown[] }).data.length)
      : new Set(spans.map((s) => s.traceId)).size;
    // A full window is re-queried in halves: count its warnings only once, from the halves.
    if (hits < limit || w.endUs - w.startUs <= 1000) warnings.merge(local);
    return { hits, value: spans };
  }
}

function servicesOf(body: unknown, key: 'services' | 'data'): string[] {
  const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(list)) throw fail('BACKEND_RESPONSE', `jaeger services response has no "${key}" array`);
  return list.filter((s): s is string => typeof s === 'string');
}
