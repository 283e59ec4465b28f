/** Plain Span objects for graph tests. */
import type { Span, SpanAttributes } from '../../ingest/span.js';

let seq = 0;

/** A span with sensible defaults; `attributes` merge in. */
export function span(p: Partial<Span> & { service: string; attributes?: SpanAttributes }): Span {
  seq += 1;
  return {
    traceId: 't1',
    spanId: `s${seq}`,
    operation: 'op',
    kind: 'internal',
    startUs: 1_700_000_000_000_000 + seq,
    durationUs: 1000,
    status: 'unset',
    ...p,
    attributes: p.attributes ?? {},
  };
}

/** A client span in `from` answered by a server span in `to`, under `parent`. */
export function hop(
  traceId: string,
  from: string,
  to: string,
  opts: { parent?: string; durationMs?: number; status?: Span['status']; operation?: string; serverStatus?: Span['status']; atMs?: number } = {},
): [Span, Span] {
  // `atMs` places the call on a shared clock (sequential attempts are retries, overlapping ones are not).
  const at = opts.atMs === undefined ? {} : { startUs: 1_700_000_000_000_000 + opts.atMs * 1000 };
  const client = span({
    ...at, traceId, service: from, kind: 'client', parentSpanId: opts.parent, operation: opts.operation ?? 'GET',
    durationUs: (opts.durationMs ?? 10) * 1000, status: opts.status ?? 'unset', attributes: { httpMethod: 'GET' },
  });
  const server = span({
    ...at, traceId, service: to, kind: 'server', parentSpanId: client.spanId, operation: opts.operation ?? 'GET /x',
    durationUs: (opts.durationMs ?? 10) * 900, status: opts.serverStatus ?? 'unset', attributes: { httpMethod: 'GET', httpRoute: '/x' },
  });
  return [client, server];
}

/** A root server span (an entrypoint). */
export function root(traceId: string, service: string, route = '/checkout', method = 'POST', status: Span['status'] = 'unset'): Span {
  return span({ traceId, service, kind: 'server', operation: `${method} ${route}`, durationUs: 50_000, status, attributes: { httpMethod: method, httpRoute: route } });
}
