/**
 * Emergency stop: cancel every running run and remove every toxic
 * (Toxiproxy `POST /reset`). Runs are cancelled first so nothing re-adds a
 * toxic after the reset; with BullMQ the cancellation reaches every worker
 * of the queue (runners/execute/stop-signal.ts), for this server's runs and
 * for any other run with a job on the queue, and the answer waits until the
 * workers have aborted them. A reset that fails is reported as 502 naming the
 * runs that were cancelled anyway. The route is exempt from the API's rate
 * limit (auth still applies).
 */
import type { FastifyInstance } from 'fastify';
import { fail, isFaultlineError } from '../../../base/errors.js';
import { problemResponses, type RouteContext } from '../route-context.js';

/** Register the stop route. */
export async function stopRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post('/v1/stop', {
    // The brake is never rate-limited: an operator in a hurry (or a script
    // that already spent the minute's budget) must always be able to stop.
    config: { rateLimit: false },
    schema: {
      summary: 'Emergency stop: cancel running runs and remove all toxics',
      tags: ['runs'],
      response: { 200: { type: 'object', properties: { cancelled: { type: 'array', items: { type: 'string' } }, reset: { type: 'boolean' } } }, ...problemResponses },
    },
  }, async () => {
    // With BullMQ the cancellation reaches every worker; cancelAll resolves once they confirmed (or its grace ran out).
    const reason = 'emergency stop (POST /v1/stop)';
    const cancelling = ctx.runs.cancelAll(reason);
    // Runs this server does not track (a CLI run on the same queue) are stopped on their workers too.
    const elsewhere = ctx.deps.executor.stopAll ? ctx.deps.executor.stopAll(reason).catch((err: unknown) => {
      ctx.deps.log.error({ err }, 'emergency stop could not reach the queue');
      return [] as string[];
    }) : Promise.resolve([] as string[]);
    let resetError: unknown;
    try {
      await ctx.deps.injector.reset();
    } catch (err) {
      resetError = err;
    }
    const cancelled = await cancelling;
    const queued = await elsewhere;
    // Reset again after the runs ended: a scenario may have added a toxic between.
    if (!resetError && cancelled.length) await ctx.deps.injector.reset().catch((err) => (resetError = err));
    if (resetError) {
      throw fail('PROXY_UNAVAILABLE', `runs cancelled but toxics not removed: ${isFaultlineError(resetError) ? resetError.message : 'reset failed'}`, { cancelled });
    }
    ctx.deps.log.warn({ cancelled, queued }, 'emergency stop');
    return { cancelled, reset: true };
  });
}
