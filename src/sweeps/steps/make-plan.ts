/**
 * Sweep step (also behind `POST /v1/plans`): graph → ranking with feedback
 * from earlier sweeps → plan; stores the graph record and the plan (JSON +
 * Markdown).
 */
import type { Manifest } from '../../../generators/manifest.js';
import type { Plan } from '../../../generators/plan.js';
import type { GraphSnapshot } from '../../../graph/model.js';
import type { ArtifactStore, GraphRecord } from '../../store/artifact-store.js';
import { newId, type Clock } from '../../store/artifact-id.js';
import type { Pipeline } from '../../pipeline.js';
import { collectGraph } from './collect-graph.js';
import { edgeHistory, explainHistory } from './feedback.js';

/** How many earlier sweeps feed the ranking. */
export const HISTORY_SWEEPS = 8;

/** The graph and plan produced. */
export interface MadePlan {
  graph: GraphRecord;
  plan: Plan;
}

/** Build (or reuse) the graph, rank it with history, create and store the plan. */
export async function makePlan(
  deps: { pipeline: Pipeline; store: ArtifactStore; clock: Clock },
  manifest: Manifest,
  opts: { snapshot?: GraphSnapshot; sweepId?: string } = {},
): Promise<MadePlan> {
  const { pipeline, store, clock } = deps;
  const snapshot = opts.snapshot ?? (await collectGraph(pipeline, manifest, clock.now()));
  const earlier = await store.list('sweeps', { where: (s) => s.status === 'succeeded' && s.system === manifest.system.name, limit: HISTORY_SWEEPS });
  const history = edgeHistory(earlier);
  const ranking = explainHistory(pipeline.rankRisks(snapshot, history.length ? { history } : {}), history);
  const graph: GraphRecord = { id: newId('graph', clock.now()), createdAt: clock.now().toISOString(), snapshot, ranking, ...(opts.sweepId ? { sweepId: opts.sweepId } : {}) };
  await store.put('graphs', graph);
  // Earlier scenario verdicts, for generators that order by them.
  const previous: { scenarioId: string; verdict: string }[] = [];
  for (const s of earlier) {
    const f = s.runId ? await store.get('findings', s.runId) : undefined;
    for (const r of f?.results ?? []) previous.push({ scenarioId: r.scenarioId, verdict: r.verdict });
  }
  const plan = await pipeline.createPlan({ manifest, snapshot, ranking, ...(previous.length ? { previous } : {}) });
  await store.put('plans', plan, pipeline.renderPlanMarkdown(plan));
  return { graph, plan };
}
