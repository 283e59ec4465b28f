/**
 * Sweeps: trigger one now (202), list and read them, and a claim's trend of
 * verdicts and recovery times across sweeps.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../base/errors.js';
import { idParams, isoSince, openObject, problemResponses, type RouteContext } from '../route-context.js';
import { claimTrend } from '../../sweeps/steps/claim-outcomes.js';

/** Register the sweep routes. */
export async function sweepRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { store } = ctx.deps;
  app.post<{ Body: { phaseScale?: number } | undefined }>('/v1/sweeps', {
    schema: {
      summary: 'Trigger a sweep now with the configured manifest (202; 409 while one runs)',
      tags: ['sweeps'],
      // Keyed by media type so a bodiless POST is valid too.
      body: { content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { phaseScale: { type: 'number', exclusiveMinimum: 0, maximum: 10 } } } } } },
      response: { 202: openObject, ...problemResponses },
    },
  }, async (req, reply) => {
    const running = ctx.sweeps.running();
    if (running) throw fail('CONFLICT', `sweep ${running} is still running`, { sweepId: running });
    const { record } = await ctx.sweeps.start({ trigger: 'api', ...(req.body?.phaseScale !== undefined ? { phaseScale: req.body.phaseScale } : {}) });
    reply.code(202).header('location', `/v1/sweeps/${record.id}`);
    return record;
  });

  app.get<{ Querystring: { since?: string; status?: string; limit: number } }>('/v1/sweeps', {
    schema: {
      summary: 'List sweeps, newest first',
      tags: ['sweeps'],
      querystring: { type: 'object', additionalProperties: false, properties: { since: { type: 'string' }, status: { type: 'string', enum: ['running', 'succeeded', 'failed', 'empty'] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
      response: { 200: { type: 'object', properties: { sweeps: { type: 'array', items: openObject } } }, ...problemResponses },
    },
  }, async (req) => ({ sweeps: await store.list('sweeps', { since: isoSince(req.query.since), limit: req.query.limit, where: (s) => !req.query.status || s.status === req.query.status }) }));

  app.get<{ Params: { id: string } }>('/v1/sweeps/:id', {
    schema: { summary: 'One sweep', tags: ['sweeps'], params: idParams, response: { 200: openObject, ...problemResponses } },
  }, async (req) => {
    const s = await store.get('sweeps', req.params.id);
    if (!s) throw fail('NOT_FOUND', `sweep ${req.params.id} not found`, { id: req.params.id });
    return s;
  });

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>('/v1/claims/:id/trend', {
    schema: {
      summary: "A claim's verdicts and recovery time across the last sweeps, oldest first",
      tags: ['sweeps'],
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 20 } } },
      response: { 200: { type: 'object', properties: { claimId: { type: 'string' }, points: { type: 'array', items: openObject } } }, ...problemResponses },
    },
  }, async (req) => {
    const sweeps = await store.list('sweeps', { where: (s) => s.status === 'succeeded', limit: req.query.limit });
    const points = claimTrend(req.params.id, sweeps);
    if (points.length === 0) throw fail('NOT_FOUND', `no sweep has an outcome for claim ${req.params.id}`, { id: req.params.id });
    return { claimId: req.params.id, points };
  });
}
