/**
 * Operational endpoints: liveness (`/healthz`), readiness (`/readyz`: the
 * fault proxy answers and every configured probe such as Redis passes) and
 * Prometheus metrics (`/metrics`).
 */
import type { FastifyInstance } from 'fastify';
import { isFaultlineError } from '../../../base/errors.js';
import { problem } from '../problem.js';
import type { RouteContext } from '../route-context.js';

async function check(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return isFaultlineError(err) ? err.message : (err as Error).message || 'failed';
  }
}

/** Register health, readiness and metrics. */
export async function healthRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const probes: Record<string, () => Promise<unknown>> = { proxy: () => ctx.deps.injector.version(), ...ctx.deps.readiness };
    const names = Object.keys(probes);
    const results = await Promise.all(names.map((n) => check(probes[n])));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const failed = names.filter((n) => checks[n] !== 'ok');
    if (failed.length === 0) return { status: 'ready', checks };
    return reply.code(503).type('application/problem+json').send(problem('NOT_READY', `not ready: ${failed.map((n) => `${n} (${checks[n]})`).join(', ')}`, { checks }));
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type(ctx.metrics.contentType).send(await ctx.metrics.render()));
}
