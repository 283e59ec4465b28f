/**
 * The side panel of one service (or database, cache, queue, external API):
 * its kind, whether it reports its own spans, and the edges into and out of
 * it as buttons that open each edge's panel, so the graph can be walked
 * from the keyboard without the canvas.
 */
import type Graph from 'graphology';
import { h } from '../dom.js';
import { kindShape } from '../kind-shapes.js';
import type { NodeDoc } from '../graph-data.js';

/** Fill `body` with the node `id`; `openEdge` is called with an edge id and the button pressed. */
export function showNode(body: HTMLElement, graph: Graph, doc: NodeDoc | undefined, id: string, openEdge: (edge: string, from: HTMLElement) => void): void {
  const kind = graph.getNodeAttribute(id, 'kind') as string;
  const edgeList = (label: string, ids: string[]) => [
    h('h3', {}, `${label} (${ids.length})`),
    ids.length === 0 ? h('p', { class: 'muted' }, 'None.') : h('ul', { class: 'edge-links' }, ids.map((e) => h('li', {},
      h('button', { type: 'button', 'data-edge': e, onclick: (ev) => openEdge(e, ev.currentTarget as HTMLElement) }, e)))),
  ];
  body.replaceChildren(
    h('h2', { id: 'node-title', tabindex: '-1' }, id),
    h('dl', { class: 'facts' },
      h('dt', {}, 'kind'), h('dd', {}, `${kind} (drawn as a ${kindShape(kind).shape})`),
      h('dt', {}, 'spans'), h('dd', {}, doc ? doc.spans.toLocaleString('en') : 'none: seen only in its callers\' spans'),
      h('dt', {}, 'instrumented'), h('dd', {}, doc?.instrumented ? 'yes' : 'no')),
    ...edgeList('Called by', graph.inEdges(id)),
    ...edgeList('Calls', graph.outEdges(id)));
}
