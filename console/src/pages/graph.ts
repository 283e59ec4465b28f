/**
 * The graph page: the interaction graph drawn by sigma.js (WebGL, so a
 * thousand services stay fluid; sigma draws only the labels that fit), node
 * kind by shape and colour (node-shape-program.ts), edge colour on the
 * continuous risk scale and width by calls. Filters: the top-N risks and one entrypoint's paths. The risk list
 * beside it is the keyboard path and the text alternative to the canvas.
 */
import Sigma from 'sigma';
import { getJson } from '../api.js';
import { h } from '../dom.js';
import { drawnGraph, settle, type GraphDoc } from '../graph-data.js';
import { graphLegend } from '../graph-legend.js';
import { NodeShapeProgram } from '../node-shape-program.js';
import { scenarioIndex, showEdge } from './edge-panel.js';

const TOP_N = [5, 10, 25, 50, 100];
/** Above this many edges the page opens on the top 50 risks, not on everything. */
const BIG = 200;

/** Render the graph page. */
export async function graphPage(main: HTMLElement): Promise<() => void> {
  const started = performance.now();
  const doc = await getJson<GraphDoc>('/v1/graph');
  const fetched = performance.now();
  const drawn = drawnGraph(doc);
  const laidOut = performance.now();
  const { graph, edges, risks, byRisk } = drawn;
  let topN = byRisk.length > BIG ? 50 : 0;
  let entrypoint = '';
  let selected: string | undefined;
  let visibleEdges = new Set<string>();
  let visibleNodes = new Set<string>();

  const counts = h('p', { id: 'graph-counts', 'aria-live': 'polite' });
  const container = h('div', { 'data-fetch-ms': String(Math.round(fetched - started)), 'data-layout-ms': String(Math.round(laidOut - fetched)), id: 'sigma', role: 'img', 'aria-label': 'Interaction graph; the legend counts its nodes by kind, the risk list beside it has the same edges as text', 'aria-describedby': 'graph-legend' });
  const list = h('div', { class: 'risk-list', role: 'list' });
  const panel = h('div', { id: 'edge-panel', class: 'card' }, h('p', { class: 'muted' }, 'Pick an edge in the graph or in the list to see its factors and evidence.'));
  const topSelect = h('select', { id: 'top-n' }, h('option', { value: '0' }, 'all edges'), TOP_N.map((n) => h('option', { value: String(n) }, `top ${n} risks`)));
  topSelect.value = String(topN);
  const epSelect = h('select', { id: 'entrypoint' }, h('option', { value: '' }, 'every entrypoint'), doc.graph.entrypoints.map((e) => h('option', { value: e.id }, e.id)));
  const scenarios = scenarioIndex();

  const legend = graphLegend();

  main.replaceChildren(
    h('h1', {}, 'Interaction graph'),
    h('div', { class: 'toolbar' },
      h('label', {}, 'Show ', topSelect), h('label', {}, 'for ', epSelect), counts, legend.el),
    h('div', { class: 'graph-layout' }, container, h('div', { class: 'side' }, panel, h('h2', {}, 'Risks'), list)));

  const renderer = new Sigma(graph, container, {
    enableEdgeEvents: true,
    defaultEdgeType: 'arrow',
    nodeProgramClasses: { shape: NodeShapeProgram },
    defaultNodeType: 'shape',
    renderEdgeLabels: false,
    // Small graphs get every label; big ones only those of the larger nodes (sigma's label grid thins them further).
    labelRenderedSizeThreshold: graph.order <= 200 ? 0 : 8,
    nodeReducer: (node, data) => (visibleNodes.has(node) ? data : { ...data, hidden: true }),
    edgeReducer: (edge, data) => {
      if (!visibleEdges.has(edge)) return { ...data, hidden: true };
      return edge === selected ? { ...data, size: (data.size ?? 1) + 3, zIndex: 1 } : data;
    },
  });
  // The renderer on its element, for the browser tests and the benchmark (node positions, camera, frame hooks).
  Object.defineProperty(container, 'sigma', { value: renderer, configurable: true });
  // Timings on the element, for the benchmark and anyone curious: the first draw, and the cost of the last frame.
  let frameStart = 0;
  renderer.on('beforeRender', () => { frameStart = performance.now(); });
  renderer.on('afterRender', () => {
    const ms = performance.now() - frameStart;
    container.dataset.frames = String(Number(container.dataset.frames ?? 0) + 1);
    container.dataset.frameMs = ms.toFixed(1);
    container.dataset.frameMaxMs = Math.max(ms, Number(container.dataset.frameMaxMs ?? 0)).toFixed(1);
    container.dataset.drawnMs ??= String(Math.round(performance.now() - started));
    // Since navigation began: the first load as a user waits for it (bench/console.ts reads it).
    container.dataset.drawnAt ??= String(Math.round(performance.now()));
  });

  const select = (edgeId: string) => {
    selected = edgeId;
    for (const b of list.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.edge === edgeId));
    showEdge(panel, edges.get(edgeId)!, risks.get(edgeId), scenarios);
    renderer.refresh();
  };

  const applyFilters = () => {
    const onPath = (id: string) => !entrypoint || (doc.graph.crossings[id]?.[entrypoint] ?? 0) > 0;
    const kept = byRisk.filter(onPath);
    visibleEdges = new Set(topN > 0 ? kept.slice(0, topN) : kept);
    visibleNodes = new Set<string>();
    for (const id of visibleEdges) {
      visibleNodes.add(graph.source(id));
      visibleNodes.add(graph.target(id));
    }
    if (topN === 0 && !entrypoint) graph.forEachNode((n) => visibleNodes.add(n));
    counts.textContent = `${visibleNodes.size} nodes, ${visibleEdges.size} edges`;
    const byKind = new Map<string, number>();
    for (const n of visibleNodes) byKind.set(graph.getNodeAttribute(n, 'kind'), (byKind.get(graph.getNodeAttribute(n, 'kind')) ?? 0) + 1);
    legend.update(byKind);
    list.replaceChildren(...[...visibleEdges].slice(0, 100).map((id, i) => {
      const r = risks.get(id);
      return h('div', { role: 'listitem' }, h('button', { type: 'button', 'data-edge': id, 'aria-pressed': String(id === selected), onclick: () => select(id) },
        `${i + 1}. ${id} — risk ${r ? r.score.toFixed(2) : 'n/a'}`));
    }));
    renderer.refresh();
  };

  topSelect.addEventListener('change', () => { topN = Number(topSelect.value); applyFilters(); });
  epSelect.addEventListener('change', () => { entrypoint = epSelect.value; applyFilters(); });
  renderer.on('clickEdge', ({ edge }) => select(edge));
  renderer.on('enterEdge', () => container.style.setProperty('cursor', 'pointer'));
  renderer.on('leaveEdge', () => container.style.removeProperty('cursor'));
  applyFilters();
  const stopLayout = settle(graph);
  return () => {
    stopLayout();
    renderer.kill();
  };
}
