/**
 * The keyboard's way into the graph and the canvas's text alternative: a
 * search box over the services and edges the filters show, and two lists
 * (services by name, edges by risk). Each list is one Tab stop; the arrow
 * keys, Home and End move within it (a roving tabindex), so reaching the
 * panel or the next list never takes a hundred Tab presses. Enter on an
 * item picks it: the camera goes to it and its panel opens.
 */
import { h } from '../dom.js';

/** At most this many items per list: past that, typing narrows it. */
const SHOWN = 50;

/** The finder and how to refresh it after a filter or a pick. */
export interface GraphFinder {
  el: HTMLElement;
  /** The services and edges (riskiest first) the graph now shows, each node's kind and each edge's risk text. */
  update(nodes: string[], edges: string[], risk: (edge: string) => string, kind: (node: string) => string): void;
  /** Mark the picked item (aria-pressed), or none. */
  mark(id: string | undefined): void;
}

/** Move focus among a list's buttons with the arrow keys, Home and End. */
function roving(list: HTMLElement): void {
  list.addEventListener('keydown', (e) => {
    const items = [...list.querySelectorAll<HTMLButtonElement>('button')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (to === undefined || at < 0 || !items[to]) return;
    e.preventDefault();
    for (const b of items) b.tabIndex = b === items[to] ? 0 : -1;
    items[to].focus();
  });
}

/** Build the finder; `pick` gets what was chosen and the button pressed. */
export function graphFinder(pick: (kind: 'node' | 'edge', id: string, from: HTMLElement) => void): GraphFinder {
  const input = h('input', { id: 'graph-find', type: 'search', autocomplete: 'off', 'aria-describedby': 'find-count find-keys', placeholder: 'e.g. payments' });
  const count = h('p', { id: 'find-count', class: 'muted', 'aria-live': 'polite' });
  const nodeList = h('div', { class: 'pick-list', role: 'list', 'aria-label': 'Services' });
  const edgeList = h('div', { class: 'risk-list', role: 'list', 'aria-label': 'Edges by risk' });
  roving(nodeList);
  roving(edgeList);
  let nodes: string[] = [];
  let edges: string[] = [];
  let risk: (edge: string) => string = () => '';
  let kind: (node: string) => string = () => '';
  let picked: string | undefined;

  const fill = (list: HTMLElement, kind: 'node' | 'edge', ids: string[], label: (id: string) => string) => {
    const items = ids.slice(0, SHOWN).map((id) => h('div', { role: 'listitem' }, h('button', {
      type: 'button', tabindex: '-1', [`data-${kind}`]: id, 'aria-pressed': String(id === picked),
      onclick: (e) => pick(kind, id, e.currentTarget as HTMLElement),
    }, label(id))));
    const first = items[0]?.querySelector('button');
    if (first) first.tabIndex = 0;
    const more = ids.length > SHOWN ? h('div', { role: 'listitem', class: 'muted' }, `and ${ids.length - SHOWN} more: type to narrow`) : null;
    list.replaceChildren(...items, ...(more ? [more] : []), ...(ids.length ? [] : [h('div', { role: 'listitem', class: 'muted' }, 'None.')]));
  };
  const render = () => {
    const q = input.value.trim().toLowerCase();
    const hit = (id: string) => id.toLowerCase().includes(q);
    // A kind finds its nodes too: typing "cache" lists every cache.
    const n = nodes.filter((id) => hit(id) || kind(id).toLowerCase().includes(q));
    const e = edges.filter(hit);
    const found = `${n.length} ${n.length === 1 ? 'service' : 'services'}, ${e.length} ${e.length === 1 ? 'edge' : 'edges'}`;
    count.textContent = q ? `${found} match “${input.value.trim()}”` : `${found} shown`;
    // The shape and colour say the kind on the canvas; the list says it in words.
    fill(nodeList, 'node', n, (id) => `${id} — ${kind(id)}`);
    fill(edgeList, 'edge', e, (id) => `${edges.indexOf(id) + 1}. ${id} — ${risk(id)}`);
  };
  input.addEventListener('input', render);
  // Down from the search box goes into the first list that has something.
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown') return;
    const first = nodeList.querySelector<HTMLElement>('button') ?? edgeList.querySelector<HTMLElement>('button');
    if (first) { e.preventDefault(); first.focus(); }
  });

  const el = h('div', { class: 'finder' },
    h('label', { for: 'graph-find' }, 'Find a service or edge'), input, count,
    h('p', { id: 'find-keys', class: 'sr-only' }, 'Arrow keys move within a list; Enter opens the item and shows it in the graph.'),
    h('h2', {}, 'Services'), nodeList,
    h('h2', {}, 'Edges by risk'), edgeList);
  return {
    el,
    update(ns, es, r, k) {
      nodes = [...ns].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      edges = es;
      risk = r;
      kind = k;
      render();
    },
    mark(id) {
      picked = id;
      for (const b of el.querySelectorAll<HTMLElement>('button')) b.setAttribute('aria-pressed', String((b.dataset.node ?? b.dataset.edge) === id));
    },
  };
}
