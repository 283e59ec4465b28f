/**
 * Server spans for faultline's own API requests. The SDK (src/telemetry.ts)
 * starts after fastify has loaded node:http, and ESM imports bypass the
 * require hooks auto-instrumentation relies on, so the spans are made here
 * with @opentelemetry/api. Without a started SDK the API's tracer is a no-op.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

const spans = new WeakMap<object, Span>();

/** Add onRequest/onResponse hooks that open and close one SERVER span per request. */
export function traceRequests(app: FastifyInstance): void {
  const tracer = trace.getTracer('faultline');
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url ?? req.url.split('?')[0];
    spans.set(req, tracer.startSpan(`${req.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': req.url.split('?')[0] },
    }));
  });
  app.addHook('onResponse', async (req, reply) => {
    const span = spans.get(req);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(req);
  });
}
