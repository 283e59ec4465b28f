/**
 * The latest interaction graph with its risk ranking, as JSON or Mermaid.
 * The JSON is the one graph document (`{schemaVersion, graph, ranking}`,
 * what `faultline graph --json`/`--out` writes) plus the record's id and
 * time, so a saved response feeds `faultline plan --graph` as it is.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../base/errors.js';
import { openObject, problemResponses, type RouteContext } from '../route-context.js';

/** Register the graph route. */
export async function graphRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get<{ Querystring: { format: 'json' | 'mermaid' } }>('/v1/graph', {
    schema: {
      summary: 'The latest graph with risks: {schemaVersion, id, createdAt, graph, ranking}, the document faultline graph --json writes (?format=mermaid for a Mermaid flowchart)',
      tags: ['graph'],
      querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'mermaid'], default: 'json' } } },
      response: { 200: openObject, ...problemResponses },
    },
  }, async (req, reply) => {
    const [latest] = await ctx.deps.store.list('graphs', { limit: 1 });
    if (!latest) throw fail('NOT_FOUND', 'no graph yet: create a plan (POST /v1/plans) or run a sweep (POST /v1/sweeps)');
    if (req.query.format === 'mermaid') return reply.type('text/plain; charset=utf-8').send(ctx.deps.pipeline.toMermaid(latest.snapshot, latest.ranking));
    return { schemaVersion: 1, id: latest.id, createdAt: latest.createdAt, ...(latest.sweepId ? { sweepId: latest.sweepId } : {}), graph: latest.snapshot, ranking: latest.ranking };
  });
}
