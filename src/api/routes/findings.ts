/**
 * Findings of a run, as JSON or (with `Accept: text/markdown`) Markdown.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../base/errors.js';
import { idParams, openObject, problemResponses, wantsMarkdown, type RouteContext } from '../route-context.js';

/** Register the findings route. */
export async function findingsRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get<{ Params: { id: string } }>('/v1/runs/:id/findings', {
    schema: { summary: "A run's findings (JSON, or Markdown with Accept: text/markdown)", tags: ['runs'], params: idParams, response: { 200: openObject, ...problemResponses } },
  }, async (req, reply) => {
    const { store, pipeline } = ctx.deps;
    const run = await store.get('runs', req.params.id);
    if (!run) throw fail('NOT_FOUND', `run ${req.params.id} not found`, { id: req.params.id });
    const findings = await store.get('findings', run.id);
    if (!findings) {
      if (run.status === 'queued' || run.status === 'running') throw fail('CONFLICT', `run ${run.id} is still ${run.status}; findings are written when it ends`, { status: run.status });
      throw fail('NOT_FOUND', `run ${run.id} ended ${run.status} without findings${run.error ? `: ${run.error.message}` : ''}`, { status: run.status });
    }
    if (wantsMarkdown(req.headers.accept)) {
      const md = (await store.getMarkdown('findings', run.id)) ?? pipeline.renderFindingsMarkdown(findings, await store.get('plans', run.planId));
      return reply.type('text/markdown; charset=utf-8').send(md);
    }
    return findings;
  });
}
