/**
 * Emergency stop: cancel every running run and remove every toxic
 * (Toxiproxy `POST /reset`). Runs are cancelled first so nothing re-adds a
 * toxic after the reset; a reset that fails is reported as 502 naming the
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
    const cancelling = ctx.runs.cancelAll();
    let resetError: unknown;
    try {
      await ctx.deps.injector.reset();
    } catch (err) {
      resetError = err;
    }
    const cancelled = await cancelling;
    // Reset again after the runs ended: a scenario may have added a toxic between.
    if (!resetError && cancelled.length) await ctx.deps.injector.reset().catch((err) => (resetError = err));
    if (resetError) {
      throw fail('PROXY_UNAVAILABLE', `runs cancelled but toxics not removed: ${isFaultlineError(resetError) ? resetError.message : 'reset failed'}`, { cancelled });
    }
    ctx.deps.log.warn({ cancelled }, 'emergency stop');
    return { cancelled, reset: true };
  });
}
