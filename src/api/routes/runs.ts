/**
 * Runs: start a plan's run (202, runs in the background via the Executor),
 * list runs with filters, read one run's status and per-scenario progress.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../base/errors.js';
import { idParams, isoSince, problemResponses, type RouteContext } from '../route-context.js';

/** JSON schema of a run record. */
export const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    planId: { type: 'string' },
    status: { type: 'string' },
    createdAt: { type: 'string' },
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    options: { type: 'object', properties: { only: { type: 'array', items: { type: 'string' } }, phaseScale: { type: 'number' } } },
    total: { type: 'integer' },
    progress: {
      type: 'array',
      items: { type: 'object', properties: { scenarioId: { type: 'string' }, stage: { type: 'string' }, at: { type: 'string' }, detail: { type: 'string' } } },
    },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    sweepId: { type: 'string' },
  },
} as const;

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** Register the run routes. */
export async function runRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post<{ Body: { planId: string; only?: string[]; phaseScale?: number } }>('/v1/runs', {
    schema: {
      summary: 'Start a run of a plan; answers 202 at once with the run id',
      tags: ['runs'],
      body: {
        type: 'object',
        required: ['planId'],
        additionalProperties: false,
        properties: {
          planId: idParams.properties.id,
          only: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 1000 },
          phaseScale: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
        },
      },
      response: { 202: runSchema, ...problemResponses },
    },
  }, async (req, reply) => {
    const plan = await ctx.deps.store.get('plans', req.body.planId);
    if (!plan) throw fail('NOT_FOUND', `plan ${req.body.planId} not found`, { planId: req.body.planId });
    const unknown = (req.body.only ?? []).filter((id) => !plan.scenarios.some((s) => s.id === id));
    if (unknown.length) throw fail('BAD_INPUT', `body/only names scenarios not in plan ${plan.id}: ${unknown.join(', ')}`, { field: 'only', unknown });
    const { record } = await ctx.runs.start(plan, { only: req.body.only, phaseScale: req.body.phaseScale });
    reply.code(202).header('location', `/v1/runs/${record.id}`);
    return record;
  });

  app.get<{ Querystring: { status?: string; planId?: string; since?: string; limit: number } }>('/v1/runs', {
    schema: {
      summary: 'List runs, newest first',
      tags: ['runs'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { status: { type: 'string', enum: STATUSES }, planId: { type: 'string' }, since: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
      },
      response: { 200: { type: 'object', properties: { runs: { type: 'array', items: runSchema } } }, ...problemResponses },
    },
  }, async (req) => {
    const { status, planId, since, limit } = req.query;
    const runs = await ctx.deps.store.list('runs', { since: isoSince(since), limit, where: (r) => (!status || r.status === status) && (!planId || r.planId === planId) });
    return { runs };
  });

  app.get<{ Params: { id: string } }>('/v1/runs/:id', {
    schema: { summary: 'A run: status and per-scenario progress', tags: ['runs'], params: idParams, response: { 200: runSchema, ...problemResponses } },
  }, async (req) => {
    const run = await ctx.deps.store.get('runs', req.params.id);
    if (!run) throw fail('NOT_FOUND', `run ${req.params.id} not found`, { id: req.params.id });
    return run;
  });
}
