/**
 * The plan's architecture section: a one-paragraph summary of the ranked
 * graph and its Mermaid diagram (graph/mermaid.ts, top risks highlighted),
 * unless the caller passes one.
 */
import { toMermaid } from '../graph/mermaid.js';
import type { Plan } from './plan.js';
import type { PlanInput } from './plan-generator.js';

/** Summary and diagram of the system as the traces show it. */
export function architecture(input: PlanInput): Plan['architecture'] {
  const { snapshot, ranking } = input;
  const services = snapshot.nodes.filter((n) => n.type === 'service').length;
  const deps = snapshot.nodes.length - services;
  const asyncEdges = snapshot.edges.filter((e) => e.mode === 'async').length;
  const top = ranking.items[0];
  const summary =
    `${services} service(s) and ${deps} inferred dependenc${deps === 1 ? 'y' : 'ies'} joined by ${snapshot.edges.length} edge(s) ` +
    `(${asyncEdges} asynchronous), entered through ${snapshot.entrypoints.length} traced entrypoint(s), from ${snapshot.traces} trace(s) / ${snapshot.spans} span(s).` +
    (top ? ` Riskiest: ${top.id} (score ${top.score.toFixed(2)}): ${top.reason}` : '');
  return { summary, mermaid: input.mermaid ?? toMermaid(snapshot, { ranking }), services, edges: snapshot.edges.length };
}
