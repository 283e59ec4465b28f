/**
 * The Fastify app factory, apart from the process entry (src/server.ts) so
 * tests drive it with `app.inject()` or a real listener on port 0. Wires the
 * problem+json error handler (router and HTTP-parser errors included), bearer
 * auth, rate limits on mutating routes (never on the emergency stop), body
 * limits and header/body timeouts, OpenAPI at /docs, the OTLP receiver and
 * the /v1 routes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppDeps } from './app-deps.js';
import type { Config } from '../config.js';
import { fail } from '../../base/errors.js';
import { systemClock } from '../store/artifact-id.js';
import { silentLog } from '../log.js';
import { createServiceMetrics } from './service-metrics.js';
import { installAuth } from './auth.js';
import { clientErrorHandler, frameworkProblem, installProblemHandlers } from './problem.js';
import { RunManager } from './run-manager.js';
import { configuredManifest, type RouteContext, type SweepLauncher } from './route-context.js';
import { startSweep } from '../sweeps/sweep.js';
import { planRoutes } from './routes/plans.js';
import { runRoutes } from './routes/runs.js';
import { findingsRoutes } from './routes/findings.js';
import { graphRoutes } from './routes/graph.js';
import { scheduleRoutes } from './routes/schedules.js';
import { sweepRoutes } from './routes/sweeps.js';
import { stopRoutes } from './routes/stop.js';
import { healthRoutes } from './routes/health.js';
import { eventRoutes } from './routes/events.js';
import { consoleRoutes } from './routes/console.js';
import { traceRequests } from './request-tracing.js';

/** The app plus the pieces the process entry needs at shutdown. */
export interface AppExtras {
  runs: RunManager;
  sweeps: SweepLauncher;
}

declare module 'fastify' {
  interface FastifyInstance {
    faultline: AppExtras;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Build the app (not listening). `app.faultline` exposes the run manager and sweep launcher. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const log = deps.log ?? silentLog;
  const clock = deps.clock ?? systemClock;
  const resolved = { ...deps, log, clock };
  const app = Fastify({
    bodyLimit: config.api.bodyLimitBytes,
    // Logging is done by our own handlers through `log`; Fastify's per-request lines stay off.
    logger: false,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A client that trickles its headers or body is cut off (408) instead of
    // holding a connection, and an OTLP queue slot, for as long as it likes.
    requestTimeout: config.api.requestTimeoutMs,
    http: { headersTimeout: config.api.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.api.headersTimeoutMs) },
    clientErrorHandler,
    frameworkErrors: frameworkProblem,
  });
  installProblemHandlers(app, log);
  const metrics = createServiceMetrics(deps.otlp?.spanCount);
  const runs = new RunManager({ store: deps.store, executor: deps.executor, clock, log, metrics, renderFindings: (f, p) => deps.pipeline.renderFindingsMarkdown(f, p) });
  let current: string | undefined;
  const sweeps: SweepLauncher = {
    running: () => current,
    async start(opts) {
      if (current) throw fail('CONFLICT', `sweep ${current} is still running`, { sweepId: current });
      const manifest = await configuredManifest(deps);
      const started = await startSweep({ store: deps.store, pipeline: deps.pipeline, runs, clock, log, metrics, notifier: deps.notifier, outbox: deps.outbox, publicUrl: config.api.publicUrl }, manifest, opts);
      current = started.record.id;
      void started.done.finally(() => (current = undefined));
      return started;
    },
  };
  app.decorate('faultline', { runs, sweeps });
  traceRequests(app);
  const ctx: RouteContext = { config, deps: resolved, runs, sweeps, metrics, manifest: () => configuredManifest(deps) };

  await app.register(swagger, {
    openapi: {
      info: { title: 'faultline', version: '0.1.0', description: 'Trace-driven resilience testing service' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(rateLimit, {
    max: config.api.rateLimitPerMinute,
    timeWindow: 60_000,
    // Only mutating routes are limited; OTLP ingest has its own queue bound (QUEUE_FULL),
    // and POST /v1/stop opts out (the brake is never limited).
    allowList: (req) => !MUTATING.has(req.method) || req.url.startsWith('/v1/traces'),
    errorResponseBuilder: (_req, c) => fail('RATE_LIMITED', `rate limit of ${c.max} requests per minute exceeded; retry in ${Math.ceil(c.ttl / 1000)} s`),
  });
  installAuth(app, { tokens: config.api.tokens, readsOpen: config.api.readsOpen });

  if (deps.otlp) {
    await app.register(deps.otlp.plugin, { store: deps.otlp.store, bodyLimitBytes: config.api.otlpBodyLimitBytes, queueCapacity: config.ingest.queueCapacity, maxTextLength: config.ingest.maxTextLength });
  }
  for (const routes of [healthRoutes, planRoutes, runRoutes, findingsRoutes, graphRoutes, scheduleRoutes, sweepRoutes, stopRoutes, eventRoutes, consoleRoutes]) {
    await app.register(async (scope) => routes(scope, ctx));
  }
  return app;
}
