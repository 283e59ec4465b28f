/**
 * The graph page: the interaction graph drawn by sigma.js (WebGL, so a
 * thousand services stay fluid; sigma draws only the labels that fit), node
 * kind by shape and colour (node-shape-program.ts), edge colour on the
 * continuous risk scale and width by calls. Filters: the top-N risks and one
 * entrypoint's paths. The finder beside it (graph-finder.ts) is the keyboard
 * path and the text alternative to the canvas; the focused canvas pans and
 * zooms from the keyboard (graph-camera.ts).
 */
import Sigma from 'sigma';
import { getJson } from '../api.js';
import { h } from '../dom.js';
import { cameraKeys, recordFrames, showInCamera } from '../graph-camera.js';
import { drawnGraph, settle, type GraphDoc } from '../graph-data.js';
import { graphLegend } from '../graph-legend.js';
import { NodeShapeProgram } from '../node-shape-program.js';
import { scenarioIndex, showEdge } from './edge-panel.js';
import { graphFinder } from './graph-finder.js';
import { showNode } from './node-panel.js';
import { sidePanel } from './side-panel.js';

const TOP_N = [5, 10, 25, 50, 100];
/** Above this many edges the page opens on the top 50 risks, and edges hide while the camera moves. */
const BIG = 200;
const KEYS = 'On the focused graph: arrow keys pan, + and - zoom, 0 resets. Escape closes the panel.';

/** Render the graph page. */
export async function graphPage(main: HTMLElement): Promise<() => void> {
  const started = performance.now();
  const doc = await getJson<GraphDoc>('/v1/graph');
  const fetched = performance.now();
  const drawn = drawnGraph(doc);
  const laidOut = performance.now();
  const { graph, edges, risks, byRisk } = drawn;
  const nodeDocs = new Map(doc.graph.nodes.map((n) => [n.id, n]));
  let topN = byRisk.length > BIG ? 50 : 0;
  let entrypoint = '';
  let selected: { kind: 'node' | 'edge'; id: string } | undefined;
  let visibleEdges = new Set<string>();
  let visibleNodes = new Set<string>();

  const counts = h('p', { id: 'graph-counts', 'aria-live': 'polite' });
  const container = h('div', {
    'data-fetch-ms': String(Math.round(fetched - started)), 'data-layout-ms': String(Math.round(laidOut - fetched)), id: 'sigma', tabindex: '0',
    // An application: a screen reader passes the arrow keys through to the camera instead of reading on.
    role: 'application', 'aria-roledescription': 'graph', 'aria-label': 'Interaction graph; the finder beside it lists the same services and edges as text', 'aria-describedby': 'graph-legend graph-keys',
  });
  const panel = sidePanel('Pick a service or an edge in the graph or in the finder to see its evidence.', () => { selected = undefined; finder.mark(undefined); renderer.refresh(); });
  const finder = graphFinder((kind, id, from) => (kind === 'edge' ? selectEdge(id, from, true) : selectNode(id, from, true)));
  const topSelect = h('select', { id: 'top-n' }, h('option', { value: '0' }, 'all edges'), TOP_N.map((n) => h('option', { value: String(n) }, `top ${n} risks`)));
  topSelect.value = String(topN);
  const epSelect = h('select', { id: 'entrypoint' }, h('option', { value: '' }, 'every entrypoint'), doc.graph.entrypoints.map((e) => h('option', { value: e.id }, e.id)));
  const scenarios = scenarioIndex();
  const legend = graphLegend();

  main.replaceChildren(
    h('h1', {}, 'Interaction graph'),
    h('div', { class: 'toolbar' },
      h('label', {}, 'Show ', topSelect), h('label', {}, 'for ', epSelect), counts, legend.el),
    h('p', { id: 'graph-keys', class: 'muted keys' }, KEYS),
    // Find, look, read: the finder left of the canvas, the panel right of it, and Tab goes in that order.
    h('div', { class: 'graph-layout' }, finder.el, container, h('div', { class: 'side' }, panel.el)));

  const renderer = new Sigma(graph, container, {
    enableEdgeEvents: true,
    defaultEdgeType: 'arrow',
    nodeProgramClasses: { shape: NodeShapeProgram },
    defaultNodeType: 'shape',
    renderEdgeLabels: false,
    // Honour the reducers' zIndex (sorted when the graph changes, not on every frame).
    zIndex: true,
    // Small graphs get every label; big ones only those of the larger nodes (sigma's label grid thins them further).
    labelRenderedSizeThreshold: graph.order <= 200 ? 0 : 8,
    nodeReducer: (node, data) => {
      if (!visibleNodes.has(node)) return { ...data, hidden: true };
      // A picked node, or a picked edge's ends, get sigma's highlight: label always drawn, on a halo.
      const lit = selected && (selected.kind === 'node' ? selected.id === node : graph.hasExtremity(selected.id, node));
      return lit ? { ...data, highlighted: true, forceLabel: true } : data;
    },
    edgeReducer: (edge, data) => {
      if (!visibleEdges.has(edge)) return { ...data, hidden: true };
      // The picked edge, or a picked node's edges, drawn wider and on top (in a thousand services they would drown).
      const lit = selected && (selected.kind === 'edge' ? edge === selected.id : graph.hasExtremity(edge, selected.id));
      return lit ? { ...data, size: (data.size ?? 1) + 3, zIndex: 1 } : data;
    },
  });
  // The renderer on its element, for the browser tests and the benchmark (node positions, camera, frame hooks).
  Object.defineProperty(container, 'sigma', { value: renderer, configurable: true });
  recordFrames(container, renderer, started);
  cameraKeys(container, renderer);
  // Big graphs zoom in closer on a pick: their nodes sit tighter.
  const closest = graph.order > BIG ? 0.12 : 0.5;

  function selectEdge(id: string, from: HTMLElement | null, keyboard: boolean): void {
    selected = { kind: 'edge', id };
    finder.mark(id);
    panel.show((body) => showEdge(body, edges.get(id)!, risks.get(id), scenarios), from, keyboard);
    showInCamera(renderer, graph.extremities(id), closest);
    renderer.refresh();
  }
  function selectNode(id: string, from: HTMLElement | null, keyboard: boolean): void {
    selected = { kind: 'node', id };
    finder.mark(id);
    panel.show((body) => showNode(body, graph, nodeDocs.get(id), id, (edge, button) => selectEdge(edge, button, true)), from, keyboard);
    showInCamera(renderer, [id], closest);
    renderer.refresh();
  }

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
    finder.update([...visibleNodes], [...visibleEdges], (id) => { const r = risks.get(id); return `risk ${r ? r.score.toFixed(2) : 'n/a'}`; }, (n) => String(graph.getNodeAttribute(n, 'kind')));
    // Thousands of edges redrawn on every frame of a pan make it stutter; while the camera moves, nodes are enough to steer by.
    renderer.setSetting('hideEdgesOnMove', visibleEdges.size > BIG);
    renderer.refresh();
  };

  topSelect.addEventListener('change', () => { topN = Number(topSelect.value); applyFilters(); });
  epSelect.addEventListener('change', () => { entrypoint = epSelect.value; applyFilters(); });
  main.querySelector('.graph-layout')!.addEventListener('keydown', (e) => {
    const ev = e as KeyboardEvent;
    // Escape in a non-empty search box clears the search (the browser's own behaviour), not the panel.
    if (ev.key !== 'Escape' || !panel.isOpen() || (ev.target instanceof HTMLInputElement && ev.target.value)) return;
    ev.preventDefault();
    panel.close();
  });
  renderer.on('clickEdge', ({ edge }) => selectEdge(edge, null, false));
  renderer.on('clickNode', ({ node }) => selectNode(node, null, false));
  for (const [enter, leave] of [['enterEdge', 'leaveEdge'], ['enterNode', 'leaveNode']] as const) {
    renderer.on(enter, () => container.style.setProperty('cursor', 'pointer'));
    renderer.on(leave, () => container.style.removeProperty('cursor'));
  }
  applyFilters();
  const stopLayout = settle(graph);
  return () => {
    stopLayout();
    renderer.kill();
  };
}
