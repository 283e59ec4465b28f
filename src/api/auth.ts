/**
 * Bearer-token auth (RFC 6750): mutating routes need `Authorization: Bearer
 * <token>` with one of the configured tokens; reads need one too unless
 * reads are open. Tokens are compared in constant time. With no tokens
 * configured, mutating routes are refused (never silently open).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../../base/errors.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Operational endpoints stay open so probes and scrapers need no secret.
 * OTLP ingest stays open too: OpenTelemetry SDK exporters send no bearer
 * token by default, the route can only add spans (never start a fault), and
 * it is bounded by its own body limit and queue (429 QUEUE_FULL).
 * The web console's shell and bundle (`/`, `/console/…`) hold no data: the
 * page must load to ask for the token it then sends to the API.
 */
const OPEN_PATHS = [/^\/$/, /^\/console\/[^/]+$/, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/docs(\/|$)/, /^\/v1\/traces$/];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when the request carries one of `tokens`. */
export function hasValidToken(req: FastifyRequest, tokens: readonly string[]): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  // Hash first so lengths match and timingSafeEqual never throws.
  const given = digest(m[1]);
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(given, digest(t)) || ok;
  return ok;
}

/** Install the auth hook. */
export function installAuth(app: FastifyInstance, opts: { tokens: readonly string[]; readsOpen: boolean }): void {
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0];
    if (OPEN_PATHS.some((r) => r.test(path))) return;
    if (READ_METHODS.has(req.method) && opts.readsOpen) return;
    if (!hasValidToken(req, opts.tokens)) {
      throw fail('UNAUTHORIZED', opts.tokens.length === 0 ? 'no API tokens are configured (FAULTLINE_API_TOKENS); mutating routes are disabled' : 'send Authorization: Bearer <token> with a configured API token');
    }
  });
}
