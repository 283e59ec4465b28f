/**
 * The element builder every page uses. Text always goes in as text nodes,
 * never as HTML, so span names and error messages from telemetry cannot
 * inject markup into the console.
 */

/** Attributes of `h`: strings are attributes, functions on* are listeners. */
export type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
/** What `h` accepts as children. */
export type Child = Node | string | number | null | undefined | false;

/** Create an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** A table from a header row and body rows (cells are children of `td`). */
export function table(caption: string, head: string[], rows: Child[][], numeric: number[] = []): HTMLTableElement {
  return h('table', {},
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : undefined }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : undefined }, c))))));
}

/** A verdict as coloured text (colour is never the only signal: the word is there). */
export function verdict(v: string): HTMLElement {
  return h('span', { class: `verdict ${v.split('-')[0]}` }, v);
}

/** `1.2 s`, `3 min 4 s`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Percent with one decimal. */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}
