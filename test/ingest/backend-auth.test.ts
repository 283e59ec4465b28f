/**
 * Tracing backends as teams run them: Tempo behind a bearer token and a
 * tenant header, Jaeger behind basic auth (from a manifest naming env
 * vars, or credentials in the URL) and behind a private CA, and Jaeger's
 * /api/dependencies read from a URL. Loopback servers refuse requests
 * without the right headers; secrets never show in messages or describe.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { traceSourceFromSpec } from '../../ingest/source-factory.js';
import { JaegerTraceSource } from '../../ingest/jaeger-client.js';
import { resolveBackendAuth } from '../../ingest/backend-auth.js';
import type { TraceSource } from '../../ingest/trace-source.js';
import { IngestWarnings } from '../../ingest/warnings.js';
import { isFaultlineError } from '../../base/errors.js';
import { graphFromDependencies } from '../../graph/dependency-list.js';
import { main } from '../../src/cli.js';
import { loadConfig } from '../../src/config.js';

const tls = (f: string) => readFileSync(fileURLToPath(new URL(`../fixtures/tls/${f}`, import.meta.url)), 'utf8');
const caFile = fileURLToPath(new URL('../fixtures/tls/ca.pem', import.meta.url));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

type Handler = (url: URL, req: IncomingMessage, res: ServerResponse) => void;

/** A loopback backend that answers 401 unless `authorized(req)`, recording every request's headers. */
async function backend(authorized: (req: IncomingMessage) => boolean, handler: Handler, secure = false) {
  const seen: IncomingMessage['headers'][] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.headers);
    if (!authorized(req)) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('unauthorized');
      return;
    }
    handler(new URL(req.url ?? '/', 'http://x'), req, res);
  };
  const srv = secure ? createHttpsServer({ cert: tls('server.pem'), key: tls('server-key.pem') }, listener) : createHttpServer(listener);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  servers.push(srv);
  const port = (srv.address() as { port: number }).port;
  return { base: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`, seen };
}

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function drain(src: TraceSource): Promise<number> {
  let n = 0;
  const now = Date.now() * 1000;
  for await (const batch of src.read({ startUs: now - 60_000_000, endUs: now }, new IngestWarnings())) n += batch.length;
  return n;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

const env: Record<string, string> = { TEMPO_TOKEN: 'tok-s3cret', JAEGER_PASSWORD: 'pw-s3cret', TENANT: 'team-a' };
const secret = (name: string) => env[name];

describe('tracing backend credentials', () => {
  it('sends a bearer token and X-Scope-OrgID to Tempo on every request, from env vars the manifest names', async () => {
    const tempo = await backend((r) => r.headers.authorization === 'Bearer tok-s3cret' && r.headers['x-scope-orgid'] === 'team-a', (url, _req, res) => {
      if (url.pathname === '/api/search') json(res, { traces: [] });
      else json(res, {});
    });
    const src = traceSourceFromSpec({ type: 'tempo', url: tempo.base, auth: { bearerTokenEnv: 'TEMPO_TOKEN', orgIdEnv: 'TENANT' }, headers: { 'X-Team': 'payments' } }, undefined, { secret });
    expect(await drain(src)).toBe(0);
    expect(tempo.seen.length).toBeGreaterThan(0);
    for (const h of tempo.seen) expect([h.authorization, h['x-scope-orgid'], h['x-team']]).toEqual(['Bearer tok-s3cret', 'team-a', 'payments']);
  });

  it('is refused without the credentials, and the error names neither the token nor the header values', async () => {
    const tempo = await backend((r) => r.headers.authorization === 'Bearer right', (_u, _r, res) => json(res, { traces: [] }));
    const err = await failure(drain(traceSourceFromSpec({ type: 'tempo', url: tempo.base, auth: { bearerTokenEnv: 'TEMPO_TOKEN' } }, undefined, { secret })));
    expect(isFaultlineError(err, 'BACKEND_RESPONSE')).toBe(true);
    expect(err.message).toContain('401');
    expect(err.message).not.toContain('tok-s3cret');
    expect(JSON.stringify((err as { details?: unknown }).details)).not.toContain('tok-s3cret');
  });

  it('names the missing environment variable, never a value, when a secret is not set', () => {
    let thrown: unknown;
    try {
      traceSourceFromSpec({ type: 'tempo', url: 'http://127.0.0.1:1', auth: { bearerTokenEnv: 'NOT_SET_TOKEN' } }, undefined, { secret });
    } catch (err) {
      thrown = err;
    }
    expect(isFaultlineError(thrown, 'CONFIG_INVALID')).toBe(true);
    expect((thrown as Error).message).toContain('NOT_SET_TOKEN');
  });

  it('sends basic auth to Jaeger from a user name and a password env var', async () => {
    const expected = `Basic ${Buffer.from('reader:pw-s3cret').toString('base64')}`;
    const jaeger = await backend((r) => r.headers.authorization === expected, (url, _r, res) => {
      if (url.pathname === '/api/v3/services') json(res, { services: [] });
      else json(res, { result: { resourceSpans: [] } });
    });
    const src = traceSourceFromSpec({ type: 'jaeger', url: jaeger.base, auth: { basic: { username: 'reader', passwordEnv: 'JAEGER_PASSWORD' } } }, undefined, { secret });
    expect(await drain(src)).toBe(0);
    expect(jaeger.seen.every((h) => h.authorization === expected)).toBe(true);
  });

  it('turns credentials in a Jaeger URL into basic auth and keeps them out of describe and errors', async () => {
    const expected = `Basic ${Buffer.from('reader:pw-s3cret').toString('base64')}`;
    const jaeger = await backend((r) => r.headers.authorization === expected, (_u, _r, res) => { res.writeHead(503); res.end(); });
    const src = new JaegerTraceSource({ url: jaeger.base.replace('http://', 'http://reader:pw-s3cret@'), retries: 0 });
    expect(src.describe).not.toContain('pw-s3cret');
    const err = await failure(drain(src));
    expect(err.message).toContain('503');
    expect(err.message).not.toContain('pw-s3cret');
    expect(jaeger.seen[0].authorization).toBe(expected);
  });

  it('trusts a private CA named by caFile for an https backend, and fails without it', async () => {
    const jaeger = await backend(() => true, (url, _r, res) => {
      if (url.pathname === '/api/v3/services') json(res, { services: [] });
      else json(res, {});
    }, true);
    expect(await drain(traceSourceFromSpec({ type: 'jaeger', url: jaeger.base, auth: { caFile } }, undefined, { secret }))).toBe(0);
    const err = await failure(drain(new JaegerTraceSource({ url: jaeger.base, retries: 0 })));
    expect(isFaultlineError(err, 'BACKEND_UNAVAILABLE')).toBe(true);
  });

  it('reads an unreadable caFile as a configuration error naming the file', () => {
    expect(() => resolveBackendAuth({ auth: { caFile: '/no/such/ca.pem' } }, { secret, readFile: (p) => readFileSync(p, 'utf8') })).toThrow(/caFile: cannot read \/no\/such\/ca\.pem: ENOENT/);
  });
});

describe("Jaeger's /api/dependencies from a URL", () => {
  it('reads the dependency links for the lookback window and builds a graph from them', async () => {
    const token = `Bearer ${env.TEMPO_TOKEN}`;
    const requests: URL[] = [];
    const jaeger = await backend((r) => r.headers.authorization === token, (url, _r, res) => {
      requests.push(url);
      json(res, { data: [{ parent: 'frontend', child: 'orders', callCount: 12 }, { parent: 'orders', child: 'payments', callCount: 7 }] });
    });
    const src = new JaegerTraceSource({ url: jaeger.base, headers: { authorization: token } });
    const links = await src.dependencies(1_700_000_000_000, 3_600_000);
    expect(requests[0].pathname).toBe('/api/dependencies');
    expect(Object.fromEntries(requests[0].searchParams)).toEqual({ endTs: '1700000000000', lookback: '3600000' });
    expect(links).toHaveLength(2);
    const snap = graphFromDependencies(links);
    expect(snap.edges.map((e) => e.id).sort()).toEqual(['frontend->orders', 'orders->payments']);
  });

  it('`faultline graph --jaeger URL --dependencies` builds the graph from the URL', async () => {
    const jaeger = await backend(() => true, (_u, _r, res) => json(res, { data: [{ parent: 'frontend', child: 'orders', callCount: 12 }] }));
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => undefined, interactive: false, cwd: process.cwd(), config: () => loadConfig({}) };
    expect(await main(['graph', '--jaeger', jaeger.base, '--dependencies', '--lookback', '2h', '--json'], io)).toBe(0);
    expect(out.join('\n')).toContain('frontend->orders');
  });

  it('`faultline graph --tempo URL` takes the token from --bearer-token-env, a tenant and extra headers', async () => {
    const tempo = await backend((r) => r.headers.authorization === 'Bearer tok-s3cret' && r.headers['x-scope-orgid'] === 'team-a' && r.headers['x-team'] === 'payments', (url, _r, res) => {
      if (url.pathname === '/api/search') json(res, { traces: [] });
      else json(res, {});
    });
    const err: string[] = [];
    const io = { out: () => undefined, err: (t: string) => err.push(t), interactive: false, cwd: process.cwd(), config: () => loadConfig({ TEMPO_TOKEN: 'tok-s3cret' }) };
    expect(await main(['graph', '--tempo', tempo.base, '--bearer-token-env', 'TEMPO_TOKEN', '--org-id', 'team-a', '--header', 'X-Team: payments', '--json'], io)).toBe(0);
    expect(tempo.seen.length).toBeGreaterThan(0);
    expect(tempo.seen.every((h) => h.authorization === 'Bearer tok-s3cret')).toBe(true);
    expect(err.join('\n')).not.toContain('tok-s3cret');
    expect(await main(['graph', '--tempo', tempo.base, '--header', 'Authorization: Bearer x'], io)).toBe(2);
  });
});
