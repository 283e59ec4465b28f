/**
 * The graph page's legend: each node kind with its pictogram, its shape in
 * words and how many nodes of it are shown, then the risk scale and what edge
 * width means. It is text first: the canvas points at it (aria-describedby),
 * so a screen reader hears the kinds and counts the picture shows.
 */
import { h } from './dom.js';
import { KIND_SHAPES, kindPictogram } from './kind-shapes.js';
import { riskGradient } from './risk-scale.js';

/** The legend element and a way to refresh its per-kind counts after a filter. */
export interface GraphLegend {
  el: HTMLElement;
  /** Set the count of visible nodes per kind (kinds absent from the map count 0). */
  update(counts: Map<string, number>): void;
}

/** Build the legend (its id is `graph-legend`, for aria-describedby). */
export function graphLegend(): GraphLegend {
  const counts = new Map<string, HTMLElement>();
  const kinds = Object.entries(KIND_SHAPES).map(([kind, { shape }]) => {
    const count = h('span', { class: 'count' }, '0');
    counts.set(kind, count);
    return h('li', { 'data-kind': kind, 'data-shape': shape }, kindPictogram(kind), `${kind} (${shape}) `, count);
  });
  const el = h('div', { id: 'graph-legend', class: 'legend', role: 'group', 'aria-label': 'Legend' },
    h('ul', { class: 'kinds', 'aria-label': 'Node kinds: shape, and how many are shown' }, kinds),
    h('span', {}, 'risk: low ', h('span', { class: 'scale', style: `background:${riskGradient()}` }), ' high'),
    h('span', { class: 'muted' }, 'width: calls'));
  return {
    el,
    update(shown) {
      for (const [kind, span] of counts) span.textContent = String(shown.get(kind) ?? 0);
    },
  };
}
