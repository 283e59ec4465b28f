/**
 * The builder's running statistics per entrypoint (`service METHOD route`),
 * with the cardinality fold: routes taken from URL paths are re-keyed to
 * their template once a position under one parent proves to hold record
 * names (graph/route-cardinality.ts), merging their counts and latency.
 * The fold runs at every snapshot and whenever the table has doubled, so a
 * service addressing millions of records by name cannot grow it unbounded.
 */
import type { GraphEntrypoint } from './model.js';
import { summarise } from './edge-stats.js';
import { RouteCardinality } from './route-cardinality.js';
import { QuantileSketch } from './sketch.js';
import type { EntrypointFact } from './trace-analysis.js';

interface EntrypointStats {
  service: string;
  method: string;
  route: string;
  fromUrl: boolean;
  calls: number;
  errors: number;
  latency: QuantileSketch;
}

/** Entrypoints folded before the first size-triggered fold. */
const FIRST_FOLD = 1000;

/** Entrypoint statistics keyed by entrypoint id. */
export class EntrypointTable {
  private readonly stats = new Map<string, EntrypointStats>();
  private readonly cardinality = new RouteCardinality();
  private foldAt = FIRST_FOLD;

  /** Count one entrypoint request. */
  add(e: EntrypointFact): void {
    let st = this.stats.get(e.id);
    if (!st) {
      st = { service: e.service, method: e.method, route: e.route, fromUrl: e.fromUrl, calls: 0, errors: 0, latency: new QuantileSketch() };
      this.stats.set(e.id, st);
    }
    st.calls += 1;
    if (e.error) st.errors += 1;
    st.latency.add(e.durationMs);
  }

  /** True when the table has grown enough since the last fold to fold again. */
  get due(): boolean {
    return this.stats.size > this.foldAt;
  }

  /** Template URL-path routes by cardinality; returns old id → new id for every entrypoint merged away. */
  fold(): Map<string, string> {
    const scopes = new Map<string, Map<string, number>>();
    for (const st of this.stats.values()) {
      if (!st.fromUrl) continue;
      const scope = `${st.service} ${st.method}`;
      let routes = scopes.get(scope);
      if (!routes) scopes.set(scope, (routes = new Map()));
      routes.set(st.route, (routes.get(st.route) ?? 0) + st.calls);
    }
    const renames = new Map<string, string>();
    for (const [scope, routes] of scopes) {
      for (const [route, template] of this.cardinality.fold(scope, routes)) renames.set(`${scope} ${route}`, `${scope} ${template}`);
    }
    for (const [from, to] of renames) {
      const st = this.stats.get(from)!;
      this.stats.delete(from);
      const into = this.stats.get(to);
      if (into) {
        into.calls += st.calls;
        into.errors += st.errors;
        into.latency.merge(st.latency);
      } else {
        this.stats.set(to, { ...st, route: to.slice(st.service.length + st.method.length + 2) });
      }
    }
    this.foldAt = Math.max(this.foldAt, this.stats.size * 2);
    return renames;
  }

  /** Entrypoints, busiest first. */
  toList(): GraphEntrypoint[] {
    return [...this.stats]
      .map(([id, e]) => ({ id, service: e.service, method: e.method, route: e.route, calls: e.calls, errors: e.errors, latency: summarise(e.latency) }))
      .sort((a, b) => b.calls - a.calls || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
