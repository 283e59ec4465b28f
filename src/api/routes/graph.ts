/**
 * The latest interaction graph with its risk ranking, as JSON or Mermaid.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../base/errors.js';
import { openObject, problemResponses, type RouteContext } from '../route-context.js';

/** Register the graph route. */
export async function graphRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get<{ Querystring: { format: 'json' | 'mermaid' } }>('/v1/graph', {
    schema: {
      summary: 'The latest graph snapshot with risks (?format=mermaid for a Mermaid flowchart)',
      tags: ['graph'],
      querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'mermaid'], default: 'json' } } },
      response: { 200: openObject, ...problemResponses },
    },
  }, async (req, reply) => {
    const [latest] = await ctx.deps.store.list('graphs', { limit: 1 });
    if (!latest) throw fail('NOT_FOUND', 'no graph yet: create a plan (POST /v1/plans) or run a sweep (POST /v1/sweeps)');
    if (req.query.format === 'mermaid') return reply.type('text/plain; charset=utf-8').send(ctx.deps.pipeline.toMermaid(latest.snapshot, latest.ranking));
    return latest;
  });
}
