/**
 * Plans: create one from the configured manifest or an uploaded one (YAML or
 * JSON body, held to the upload policy: src/api/upload-policy.ts), list
 * them, fetch one as JSON or Markdown.
 */
import type { FastifyInstance } from 'fastify';
import type { Manifest } from '../../../generators/manifest.js';
import { fail } from '../../../base/errors.js';
import { makePlan } from '../../sweeps/steps/make-plan.js';
import { parseUploadedManifest, uploadFileAccess } from '../upload-policy.js';
import { configuredManifest, idParams, isoSince, openObject, problemResponses, wantsMarkdown, type RouteContext } from '../route-context.js';

const planSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    createdAt: { type: 'string' },
    system: { type: 'string' },
    generator: { type: 'string' },
    scenarios: { type: 'integer' },
    claims: { type: 'integer' },
  },
} as const;

/** YAML media types accepted for manifest uploads. */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** Register the plan routes. */
export async function planRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string', bodyLimit: ctx.config.api.bodyLimitBytes }, (_req, body, done) => done(null, body));

  app.post<{ Body: string | Record<string, unknown> | undefined; Querystring: { graph?: 'fresh' | 'latest' } }>('/v1/plans', {
    schema: {
      summary: 'Create a plan from the configured manifest, or from a manifest in the body (YAML or JSON)',
      tags: ['plans'],
      querystring: { type: 'object', properties: { graph: { type: 'string', enum: ['fresh', 'latest'], default: 'fresh' } }, additionalProperties: false },
      body: {
        content: {
          'application/json': { schema: { type: 'object', required: ['version', 'system'], properties: { version: { type: 'integer' }, system: { type: 'object' } } } },
          'application/yaml': { schema: { type: 'string', minLength: 1 } },
          'application/x-yaml': { schema: { type: 'string', minLength: 1 } },
          'text/yaml': { schema: { type: 'string', minLength: 1 } },
        },
      },
      response: { 201: planSummary, ...problemResponses },
    },
  }, async (req, reply) => {
    const { pipeline, baseDir, store, clock } = ctx.deps;
    let manifest: Manifest;
    if (req.body === undefined || req.body === null) manifest = await configuredManifest(ctx.deps);
    else manifest = await parseUploadedManifest(pipeline, typeof req.body === 'string' ? req.body : JSON.stringify(req.body), { baseDir, files: uploadFileAccess(ctx.config) });
    let snapshot;
    if (req.query.graph === 'latest') {
      const [latest] = await store.list('graphs', { limit: 1 });
      if (!latest) throw fail('NOT_FOUND', 'no stored graph yet: create the plan with ?graph=fresh or run a sweep first');
      snapshot = latest.snapshot;
    }
    const { plan } = await makePlan({ pipeline, store, clock }, manifest, { snapshot });
    reply.code(201).header('location', `/v1/plans/${plan.id}`);
    return { id: plan.id, createdAt: plan.createdAt, system: plan.system, generator: plan.generator.kind, scenarios: plan.scenarios.length, claims: plan.claims.length };
  });

  app.get<{ Querystring: { since?: string; system?: string; limit: number } }>('/v1/plans', {
    schema: {
      summary: 'List plans, newest first',
      tags: ['plans'],
      querystring: { type: 'object', properties: { since: { type: 'string' }, system: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, additionalProperties: false },
      response: { 200: { type: 'object', properties: { plans: { type: 'array', items: planSummary } } }, ...problemResponses },
    },
  }, async (req) => {
    const plans = await ctx.deps.store.list('plans', { since: isoSince(req.query.since), limit: req.query.limit, where: (p) => !req.query.system || p.system === req.query.system });
    return { plans: plans.map((p) => ({ id: p.id, createdAt: p.createdAt, system: p.system, generator: p.generator.kind, scenarios: p.scenarios.length, claims: p.claims.length })) };
  });

  app.get<{ Params: { id: string } }>('/v1/plans/:id', {
    schema: {
      summary: 'One plan as JSON, or Markdown with Accept: text/markdown',
      tags: ['plans'],
      params: idParams,
      response: { 200: openObject, ...problemResponses },
    },
  }, async (req, reply) => {
    const plan = await ctx.deps.store.get('plans', req.params.id);
    if (!plan) throw fail('NOT_FOUND', `plan ${req.params.id} not found`, { id: req.params.id });
    if (wantsMarkdown(req.headers.accept)) {
      const md = (await ctx.deps.store.getMarkdown('plans', plan.id)) ?? ctx.deps.pipeline.renderPlanMarkdown(plan);
      return reply.type('text/markdown; charset=utf-8').send(md);
    }
    return plan;
  });
}
