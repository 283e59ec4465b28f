/**
 * A snapshot from a dependency list instead of spans: Jaeger's
 * `/api/dependencies` answers `[{parent, child, callCount}]` (bare or in a
 * `{data: [...]}` envelope). Only call volumes are known, so latency,
 * errors, retries and entrypoints stay empty; the structure (depth, fan-out)
 * is real, which is what ranking and exports at scale need.
 */
import type { GraphEdge, GraphSnapshot } from './model.js';
import { fail } from '../base/errors.js';
import { IngestWarnings } from '../ingest/warnings.js';
import { depthByNode } from './depth.js';

/** One Jaeger dependency link. */
export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
}

/** Build a snapshot from dependency links; malformed links are skipped and counted. */
export function graphFromDependencies(input: unknown, options: { now?: () => Date } = {}): GraphSnapshot {
  const links = Array.isArray(input) ? input : isRecord(input) && Array.isArray(input.data) ? input.data : undefined;
  if (!links) throw fail('TRACE_FORMAT', 'dependency list must be an array of {parent, child, callCount} (or {data: [...]})');
  const warnings = new IngestWarnings();
  const calls = new Map<string, { source: string; target: string; calls: number }>();
  const nodes = new Set<string>();
  for (const l of links) {
    if (!isRecord(l) || typeof l.parent !== 'string' || typeof l.child !== 'string' || l.parent === '' || l.child === '') {
      warnings.add('dependency link skipped: parent or child missing');
      continue;
    }
    const n = typeof l.callCount === 'number' && Number.isFinite(l.callCount) && l.callCount >= 0 ? Math.round(l.callCount) : undefined;
    if (n === undefined) {
      warnings.add('dependency link skipped: callCount is not a non-negative number');
      continue;
    }
    nodes.add(l.parent).add(l.child);
    const id = `${l.parent}->${l.child}`;
    const e = calls.get(id) ?? { source: l.parent, target: l.child, calls: 0 };
    e.calls += n;
    calls.set(id, e);
  }
  const edges: GraphEdge[] = [...calls].map(([id, e]) => ({
    id,
    source: e.source,
    target: e.target,
    mode: 'sync',
    protocol: 'other',
    calls: e.calls,
    errors: 0,
    errorRate: 0,
    latency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    operations: [],
    serverAddresses: [],
    retries: { retriedParents: 0, extraAttempts: 0, amplification: 1 },
    timeout: { evidence: 'none' },
  }));
  edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = [...nodes].sort();
  return {
    schemaVersion: 1,
    builtAt: (options.now ?? (() => new Date()))().toISOString(),
    spans: 0,
    traces: 0,
    warnings: warnings.toJSON(),
    nodes: ids.map((id) => ({ id, type: 'service', instrumented: true, spans: 0 })),
    edges,
    entrypoints: [],
    crossings: {},
    depth: depthByNode(ids, edges),
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
