/**
 * The Toxiproxy HTTP API (Toxiproxy api.go routes, status codes and JSON
 * shapes) plus faultline's extensions, on node:http. Thin: parse the
 * request, call the registry, write JSON. Errors are `{"error": msg,
 * "status": code}` like Toxiproxy's ApiError; deletes and reset answer 204
 * with an empty body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, isFaultlineError } from '../../base/errors.js';
import { METRICS_CONTENT_TYPE, scrapeMetrics } from './metrics.js';
import type { ProxyRegistry } from './registry.js';
import { toxicJson } from './toxic-spec.js';
import type { ProxyState } from '../faults/fault-injector.js';

/** Toxiproxy release whose API this server mirrors; build metadata names faultline. */
export const SERVER_VERSION = '2.12.0+faultline';
/** Largest API request body accepted. */
const MAX_BODY = 1 << 20;

type Reply = { status: number; body?: unknown; text?: string; contentType?: string };
type Handler = (params: string[], body: () => Promise<unknown>) => Promise<Reply> | Reply;

function proxyJson(p: ProxyState): Record<string, unknown> {
  return { name: p.name, listen: p.listen, upstream: p.upstream, enabled: p.enabled, toxics: p.toxics.map(toxicJson) };
}

/** Build the request handler for one registry. */
export function createApiHandler(registry: ProxyRegistry): (req: IncomingMessage, res: ServerResponse) => void {
  const ok = (body: unknown, status = 200): Reply => ({ status, body });
  const none: Reply = { status: 204 };
  const routes: [string, RegExp, Handler][] = [
    ['GET', /^\/version$/, () => ok({ version: SERVER_VERSION })],
    ['POST', /^\/reset$/, async () => (await registry.reset(), none)],
    ['GET', /^\/proxies$/, () => ok(Object.fromEntries(registry.list().map((p) => [p.name, proxyJson(p)])))],
    ['POST', /^\/proxies$/, async (_p, body) => ok(proxyJson(await registry.create(await body())), 201)],
    // An empty populate must still answer `{"proxies": []}`: toxiproxy-node-client iterates it.
    ['POST', /^\/populate$/, async (_p, body) => ok({ proxies: (await registry.populate(await body())).map(proxyJson) }, 201)],
    ['GET', /^\/proxies\/([^/]+)$/, ([n]) => ok(proxyJson(registry.proxy(n).state()))],
    ['POST|PATCH', /^\/proxies\/([^/]+)$/, async ([n], body) => ok(proxyJson(await registry.update(n, await body())))],
    ['DELETE', /^\/proxies\/([^/]+)$/, async ([n]) => (await registry.remove(n), none)],
    ['GET', /^\/proxies\/([^/]+)\/toxics$/, ([n]) => ok(registry.toxics(n).map(toxicJson))],
    ['POST', /^\/proxies\/([^/]+)\/toxics$/, async ([n], body) => {
      registry.proxy(n); // 404 before parsing the body, as Toxiproxy does
      return ok(toxicJson(registry.addToxic(n, await body())));
    }],
    ['GET', /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/, ([n, t]) => ok(toxicJson(registry.toxic(n, t)))],
    ['POST|PATCH', /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/, async ([n, t], body) => {
      registry.toxic(n, t);
      return ok(toxicJson(registry.updateToxic(n, t, await body())));
    }],
    ['DELETE', /^\/proxies\/([^/]+)\/toxics\/([^/]+)$/, ([n, t]) => (registry.removeToxic(n, t), none)],
    ['GET', /^\/faultline\/counters$/, () => ok(Object.fromEntries(registry.allCounters().map((c) => [c.proxy, c])))],
    ['GET', /^\/faultline\/counters\/([^/]+)$/, ([n]) => ok(registry.counters(n))],
    ['GET', /^\/metrics$/, async () => ({ status: 200, text: await scrapeMetrics(registry), contentType: METRICS_CONTENT_TYPE })],
  ];

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    let reply: Promise<Reply>;
    const match = routes.find(([m, re]) => m.split('|').includes(method) && re.test(path));
    if (!match) {
      const known = routes.some(([, re]) => re.test(path));
      reply = Promise.resolve({ status: known ? 405 : 404, text: known ? 'Method Not Allowed\n' : '404 page not found\n' });
      req.resume();
    } else {
      const params = (match[1].exec(path) as RegExpExecArray).slice(1).map(decodeURIComponent);
      reply = Promise.resolve().then(() => match[2](params, () => readJson(req)));
    }
    reply.then(
      (r) => send(res, r),
      (err: unknown) => {
        req.resume();
        const status = isFaultlineError(err) ? err.statusCode : 500;
        const message = err instanceof Error ? err.message : String(err);
        send(res, { status, body: { error: message, status } });
      },
    );
  };
}

function send(res: ServerResponse, r: Reply): void {
  if (r.status === 204) {
    res.writeHead(204).end();
    return;
  }
  const text = r.text ?? JSON.stringify(r.body);
  res.writeHead(r.status, { 'content-type': r.contentType ?? (r.text === undefined ? 'application/json' : 'text/plain; charset=utf-8'), 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Read and parse a JSON body; Toxiproxy's message for bad JSON is `bad request body: …`. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw fail('PAYLOAD_TOO_LARGE', `bad request body: larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fail('BAD_INPUT', `bad request body: ${(err as Error).message}`);
  }
}
