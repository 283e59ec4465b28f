/**
 * Turns one assembled trace into facts: the calls it made (caller→callee
 * with the caller's latency and status), its entrypoint(s), and which edges
 * each entrypoint's request crossed. Pure: spans in, facts out.
 *
 * Pairing follows the OpenTelemetry span-kind model: a CLIENT span whose
 * child is a SERVER span in another service is one call between the two
 * services; PRODUCER→CONSUMER (as parent/child or via a span link, which is
 * how Jaeger FOLLOWS_FROM arrives) is an asynchronous hand-off.
 */
import type { NodeType } from './model.js';
import type { Span } from '../ingest/span.js';
import { inferCallee, isIncoming, isOutgoing, protocolOf, UNKNOWN_CALLEE } from './dependency.js';
import { methodOf, routeOf, routeSourceOf } from './route.js';

/** Warning for an outgoing span that names no callee (no peer.service, server.address, db or messaging system). */
export const UNNAMED_CALLEE_WARNING = 'client span names no callee: recorded as calling "unknown"';

/** One caller→callee call seen in a trace. */
export interface CallFact {
  source: string;
  target: string;
  /** Set for inferred callees (database, cache, queue, external). */
  inferred?: { type: NodeType; system?: string };
  mode: 'sync' | 'async';
  protocol: 'http' | 'rpc' | 'db' | 'messaging' | 'other';
  durationMs: number;
  error: boolean;
  operation: string;
  /** `host:port` the caller dialled (the bare host when the span has no port), when known. */
  serverAddress?: string;
  /** `peer.service` the caller named, if any (a name users know the callee by). */
  peerService?: string;
  /** The caller's parent span: sibling calls sharing it may be retries. */
  parentSpanId?: string;
  /** When the attempt started and ended (µs): only an attempt after an earlier one ended (or failed) is a retry. */
  startUs: number;
  endUs: number;
  /** HTTP method and the URL as sent, when the spans say: a retry repeats both. */
  method?: string;
  url?: string;
  /** `http.request.resend_count` > 0: the instrumentation itself says this is a retry. */
  resend: boolean;
  /** Entrypoint id of the request this call belongs to, when it has one. */
  entrypoint?: string;
}

/** A request entering the system (a root server span). */
export interface EntrypointFact {
  id: string;
  service: string;
  method: string;
  route: string;
  /** The route is a URL path with ids collapsed (no `http.route`): it may be templated further by cardinality. */
  fromUrl: boolean;
  durationMs: number;
  error: boolean;
}

/** A producer remembered across traces, so a consumer linking to it from another trace can be paired. */
export interface ProducerRef {
  service: string;
  durationMs: number;
  error: boolean;
  operation: string;
}

/** Everything the builder folds in from one trace. */
export interface TraceFacts {
  calls: CallFact[];
  entrypoints: EntrypointFact[];
  /** Producers no consumer of this trace answered: a consumer in a later trace may link to them. */
  unpairedProducers: Span[];
  /** Warning reason → count (read-only: may be a shared empty map). */
  warnings: ReadonlyMap<string, number>;
}

/** Cross-trace lookups the analysis may use. */
export interface AnalysisContext {
  /** A producer span from an earlier trace, by `traceId/spanId`. */
  producer(traceId: string, spanId: string): ProducerRef | undefined;
}

/** Status error, or no status and an HTTP 5xx (instrumentations that only record the code). */
function isError(s: Span): boolean {
  return s.status === 'error' || (s.status === 'unset' && (s.attributes.httpStatusCode ?? 0) >= 500);
}

/** Analyse one trace's spans (any order). */
export function analyseTrace(spans: Span[], ctx?: AnalysisContext): TraceFacts {
  // Index-based: spans are addressed by position, so the per-trace state is
  // a few arrays rather than maps keyed by span id (this runs once per trace
  // on the ingest hot path).
  // No closures here: under tsx (how the CLI runs) each one costs a defineProperty per call.
  let warnings: Map<string, number> | undefined;
  const list: Span[] = [];
  // Most traces are a few dozen spans: a scan of their ids beats building
  // (and growing) a Map per trace. Large traces index by id.
  const byId = spans.length > SCAN_LIMIT ? new Map<string, number>() : undefined;
  for (const s of spans) {
    if (spanIndex(list, byId, s.spanId) !== undefined) warnings = bump(warnings, 'duplicate span id in trace: later copy ignored');
    else {
      byId?.set(s.spanId, list.length);
      list.push(s);
    }
  }
  const n = list.length;
  // One scratch buffer for all traces: allocating a typed array per trace
  // goes through the runtime (an ArrayBuffer each), and traces are small.
  if (parentScratch.length < n) parentScratch = new Int32Array(Math.max(n, parentScratch.length * 2));
  const parent = parentScratch;
  parent.fill(-1, 0, n);
  const kids: (number[] | undefined)[] = new Array(n);
  let linked: (number[] | undefined)[] | undefined;
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = list[i];
    const p = s.parentSpanId === undefined ? undefined : spanIndex(list, byId, s.parentSpanId);
    if (p !== undefined && p !== i) {
      parent[i] = p;
      (kids[p] ??= []).push(i);
    } else if (s.parentSpanId === undefined) {
      roots.push(i);
    } else if (s.kind === 'server') {
      warnings = bump(warnings, 'span parent missing: treated as root');
      roots.push(i);
    } else {
      warnings = bump(warnings, 'span parent missing');
    }
    if (s.links) {
      for (const l of s.links) {
        const j = l.traceId === s.traceId ? spanIndex(list, byId, l.spanId) : undefined;
        if (j !== undefined) ((linked ??= new Array(n))[j] ??= []).push(i);
      }
    }
  }

  // Entrypoints: root server spans, and root client spans of edge proxies
  // (an Istio/Envoy ingress gateway emits only the CLIENT side of the hop).
  // Every span inherits the entrypoint of its root (iterative walk: traces may be deep).
  const entrypoints: EntrypointFact[] = [];
  const entry: (string | undefined)[] = new Array(n);
  const stack: number[] = [];
  for (const r of roots) {
    const s = list[r];
    const gateway = s.kind === 'client' && s.attributes.httpMethod !== undefined;
    if (s.kind !== 'server' && !gateway) continue;
    const method = methodOf(s);
    const route = routeOf(s);
    const id = entrypointId(s.service, method, route);
    entrypoints.push({ id, service: s.service, method, route, fromUrl: routeSourceOf(s) === 'url', durationMs: s.durationUs / 1000, error: isError(s) });
    stack.push(r);
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (entry[i] !== undefined) continue;
      entry[i] = id;
      const k = kids[i];
      if (k) for (const c of k) stack.push(c);
      const l = linked?.[i];
      if (l) for (const c of l) stack.push(c);
    }
  }

  const calls: CallFact[] = [];
  const unpairedProducers: Span[] = [];
  for (let i = 0; i < n; i++) {
    const s = list[i];
    if (isOutgoing(s)) {
      let answered = 0;
      const direct = kids[i];
      if (direct) {
        for (const j of direct) {
          const c = list[j];
          if (!isIncoming(c) || c.service === s.service) continue;
          answered += 1;
          calls.push(callFact(s, c.service, c.kind === 'consumer' || s.kind === 'producer' ? 'async' : 'sync', c, entry[i]));
        }
      }
      // A consumer both parented and linked to this producer is one hand-off, not two.
      const viaLink = linked?.[i];
      if (viaLink) {
        for (const j of viaLink) {
          const c = list[j];
          if (parent[j] === i || !isIncoming(c) || c.service === s.service) continue;
          answered += 1;
          calls.push(callFact(s, c.service, 'async', c, entry[i]));
        }
      }
      if (answered === 0) {
        if (s.kind === 'producer') unpairedProducers.push(s);
        const callee = inferCallee(s);
        if (callee.id === s.service) continue; // a self-call by name: internal work, not an edge
        if (callee.id === UNKNOWN_CALLEE) warnings = bump(warnings, UNNAMED_CALLEE_WARNING);
        const fact = callFact(s, callee.id, s.kind === 'producer' ? 'async' : 'sync', undefined, entry[i]);
        fact.inferred = { type: callee.type, system: callee.system };
        calls.push(fact);
      }
    } else if (isIncoming(s)) {
      // A server/consumer whose parent is a non-client span in another service
      // (instrumentation that records only server spans): still a call, seen from the callee.
      const p = parent[i] >= 0 ? list[parent[i]] : undefined;
      if (p && !isOutgoing(p) && p.service !== s.service) {
        calls.push({
          source: p.service, target: s.service, mode: s.kind === 'consumer' ? 'async' : 'sync',
          protocol: protocolOf(s), durationMs: s.durationUs / 1000, error: isError(s), operation: s.operation,
          parentSpanId: p.spanId, resend: false, entrypoint: entry[i], startUs: s.startUs, endUs: s.startUs + s.durationUs,
          method: s.attributes.httpMethod, url: s.attributes.urlPath,
        });
      }
      // A consumer linked to a producer of an earlier trace.
      if (s.kind === 'consumer' && ctx && s.links) {
        for (const l of s.links) {
          if (l.traceId === s.traceId) continue;
          const prod = ctx.producer(l.traceId, l.spanId);
          if (prod && prod.service !== s.service) {
            calls.push({
              source: prod.service, target: s.service, mode: 'async', protocol: 'messaging', durationMs: prod.durationMs,
              error: prod.error, operation: prod.operation, resend: false, entrypoint: entry[i], startUs: s.startUs, endUs: s.startUs,
            });
          }
        }
      }
    }
  }
  return { calls, entrypoints, unpairedProducers, warnings: warnings ?? NO_WARNINGS };
}

const NO_WARNINGS: ReadonlyMap<string, number> = new Map();

/** Traces up to this many spans find spans by scanning rather than through a Map. */
const SCAN_LIMIT = 32;

/** Position of the (first) span with this id in `list`: through `byId` when there is one, else a scan. */
function spanIndex(list: Span[], byId: Map<string, number> | undefined, id: string): number | undefined {
  if (byId !== undefined) return byId.get(id);
  for (let i = 0; i < list.length; i++) if (list[i].spanId === id) return i;
  return undefined;
}

/** Parent index per span, reused by every {@link analyseTrace} call (only the first `n` entries are meaningful). */
let parentScratch = new Int32Array(64);

/** One call from the caller's side: its latency, and its status (the callee's when the caller set none). */
function callFact(caller: Span, target: string, mode: 'sync' | 'async', callee: Span | undefined, entrypoint: string | undefined): CallFact {
  const a = caller.attributes;
  const fact: CallFact = {
    source: caller.service,
    target,
    mode,
    protocol: protocolOf(caller, callee),
    durationMs: caller.durationUs / 1000,
    error: isError(caller) || (caller.status === 'unset' && callee !== undefined && isError(callee)),
    operation: callee !== undefined && callee.kind === 'server' ? callee.operation : caller.operation,
    parentSpanId: caller.parentSpanId,
    resend: (a.resendCount ?? 0) > 0,
    entrypoint,
    startUs: caller.startUs,
    endUs: caller.startUs + caller.durationUs,
    method: a.httpMethod ?? callee?.attributes.httpMethod,
    url: a.urlPath ?? callee?.attributes.urlPath,
  };
  if (a.peerService) fact.peerService = a.peerService;
  if (a.serverAddress) fact.serverAddress = a.serverPort ? hostPort(a.serverAddress, a.serverPort) : a.serverAddress;
  return fact;
}

/**
 * `host:port`, one shared string per pair: every call would otherwise build
 * a fresh concatenation that the edge's address set then flattens and hashes.
 * Bounded: cleared past {@link MAX_HOST_PORTS} hosts or {@link MAX_PORTS_PER_HOST} ports of one host.
 */
function hostPort(host: string, port: number): string {
  // An IPv6 literal goes in brackets, as net.JoinHostPort writes it.
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  let byPort = hostPorts.get(host);
  if (byPort === undefined) {
    if (hostPorts.size >= MAX_HOST_PORTS) hostPorts.clear();
    hostPorts.set(host, (byPort = new Map()));
  }
  let s = byPort.get(port);
  if (s === undefined) {
    if (byPort.size >= MAX_PORTS_PER_HOST) byPort.clear();
    byPort.set(port, (s = `${host}:${port}`));
  }
  return s;
}

/**
 * The entrypoint id `service METHOD route`, one shared flat string per
 * triple: a fresh concatenation per trace would be flattened and hashed
 * again by every map the builder keys by it (entrypoints, crossings).
 * Bounded like {@link hostPort}.
 */
function entrypointId(service: string, method: string, route: string): string {
  let byMethod = entrypointIds.get(service);
  if (byMethod === undefined) {
    if (entrypointIds.size >= MAX_ENTRYPOINT_SERVICES) entrypointIds.clear();
    entrypointIds.set(service, (byMethod = new Map()));
  }
  let byRoute = byMethod.get(method);
  if (byRoute === undefined) byMethod.set(method, (byRoute = new Map()));
  let id = byRoute.get(route);
  if (id === undefined) {
    if (byRoute.size >= MAX_ROUTES_PER_METHOD) byRoute.clear();
    byRoute.set(route, (id = [service, method, route].join(' ')));
  }
  return id;
}

const MAX_ENTRYPOINT_SERVICES = 4096;
const MAX_ROUTES_PER_METHOD = 4096;
const entrypointIds = new Map<string, Map<string, Map<string, string>>>();

const MAX_HOST_PORTS = 4096;
const MAX_PORTS_PER_HOST = 64;
const hostPorts = new Map<string, Map<number, string>>();

/** Count one warning, creating the map on first use (most traces have none). */
function bump(m: Map<string, number> | undefined, reason: string): Map<string, number> {
  const out = m ?? new Map<string, number>();
  out.set(reason, (out.get(reason) ?? 0) + 1);
  return out;
}
