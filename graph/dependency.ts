/**
 * What a span calls when no instrumented callee answered it: the dependency
 * is inferred from the client/producer span's semantic-convention
 * attributes (OpenTelemetry semconv: `db.system.name`, `messaging.system`,
 * `peer.service`, `server.address`).
 */
import type { NodeType } from './model.js';
import type { Span } from '../ingest/span.js';

/** An inferred callee node. */
export interface InferredCallee {
  id: string;
  type: NodeType;
  system?: string;
}

/** Key-value stores the semconv lists under `db.system` that behave as caches. */
const CACHE_SYSTEMS = new Set(['redis', 'memcached', 'valkey', 'hazelcast', 'coherence', 'geode', 'ignite']);

/** The id used when a client span names no callee at all. */
export const UNKNOWN_CALLEE = 'unknown';

/**
 * True when the span is an outgoing call: kind client/producer, or a span
 * without a kind that carries db/messaging attributes (Jaeger clients often
 * tag `db.type` without `span.kind`).
 */
export function isOutgoing(span: Span): boolean {
  if (span.kind === 'client' || span.kind === 'producer') return true;
  if (span.kind === 'unspecified' || span.kind === 'internal') {
    return span.attributes.dbSystem !== undefined || span.attributes.messagingSystem !== undefined;
  }
  return false;
}

/** True when the span answers a call: server or consumer. */
export function isIncoming(span: Span): boolean {
  return span.kind === 'server' || span.kind === 'consumer';
}

/** Protocol of a call, judged from the caller's attributes (then the callee's). */
export function protocolOf(span: Span, callee?: Span): 'http' | 'rpc' | 'db' | 'messaging' | 'other' {
  const own = protocolOfOne(span);
  return own === 'other' && callee ? protocolOfOne(callee) : own;
}

function protocolOfOne(s: Span): 'http' | 'rpc' | 'db' | 'messaging' | 'other' {
  const a = s.attributes;
  if (a.dbSystem) return 'db';
  if (a.messagingSystem || s.kind === 'producer' || s.kind === 'consumer') return 'messaging';
  if (a.rpcSystem) return 'rpc';
  if (a.httpMethod || a.httpRoute || a.httpStatusCode !== undefined) return 'http';
  return 'other';
}

/**
 * The inferred callee of an outgoing span with no instrumented child:
 * cache (`redis`), database (`postgresql:orders`), queue (`kafka:orders`),
 * else an external node named by `peer.service` or `server.address`. A name
 * that matches an instrumented service lands on that service's node, since
 * node ids share one namespace.
 */
export function inferCallee(span: Span): InferredCallee {
  const a = span.attributes;
  if (a.dbSystem) {
    const system = a.dbSystem.toLowerCase();
    if (CACHE_SYSTEMS.has(system)) return { id: system, type: 'cache', system };
    return { id: a.dbName ? `${system}:${a.dbName}` : system, type: 'database', system };
  }
  if (a.messagingSystem) {
    const system = a.messagingSystem.toLowerCase();
    return { id: a.messagingDestination ? `${system}:${a.messagingDestination}` : system, type: 'queue', system };
  }
  if (a.peerService) return { id: a.peerService, type: 'external' };
  if (a.serverAddress) return { id: a.serverAddress, type: 'external' };
  return { id: UNKNOWN_CALLEE, type: 'external' };
}
