/**
 * A tiny JSON router over node:http that opens one SERVER span per request,
 * continuing the caller's trace from its W3C `traceparent` header. Attribute
 * names follow the OpenTelemetry HTTP semantic conventions
 * (http.request.method, http.route, http.response.status_code, url.path).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';

/** What a handler sees of a request. */
export interface JsonRequest {
  params: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
}

/** What a handler answers. */
export interface JsonResponse {
  status: number;
  body: unknown;
}

/** One route: `route` uses `{name}` placeholders, as http.route does. */
export interface Route {
  method: string;
  route: string;
  handle(req: JsonRequest): Promise<JsonResponse> | JsonResponse;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.route.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function headerMap(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

/** Serve `routes` with one server span each; unknown paths answer 404, handler crashes 500. */
export function createJsonServer(tracer: Tracer, routes: Route[]): Server {
  const compiled = routes.map(compile);
  return createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    let match: { route: CompiledRoute; values: RegExpExecArray } | undefined;
    for (const route of compiled) {
      const values = route.method === method ? route.pattern.exec(path) : null;
      if (values) { match = { route, values }; break; }
    }
    if (!match) { send(404, { error: `no route ${method} ${path}` }); return; }
    const { route, values } = match;
    const headers = headerMap(req);
    const parent = propagation.extract(context.active(), headers);
    const span = tracer.startSpan(`${method} ${route.route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'http.route': route.route, 'url.path': path },
    }, parent);
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(values[i + 1])]));
    void context.with(trace.setSpan(parent, span), async () => {
      try {
        const raw = await readBody(req);
        let body: unknown;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          send(400, { error: 'body is not JSON' });
          return;
        }
        const out = await route.handle({ params, headers, body });
        send(out.status, out.body);
      } catch (err) {
        span.recordException(err as Error);
        send(500, { error: (err as Error).message });
      } finally {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
        span.end();
      }
    });
  });
}
