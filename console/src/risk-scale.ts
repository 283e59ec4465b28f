/**
 * The colours of the graph: one continuous scale for risk (blue, low →
 * yellow → red, high; ColorBrewer's RdYlBu, readable with the common colour
 * vision deficiencies) and one colour per node kind. Risk is also given as a
 * number in the side panel and the risk list, so colour is never the only cue.
 */

const STOPS: [number, [number, number, number]][] = [
  [0, [69, 117, 180]],
  [0.25, [145, 191, 219]],
  [0.5, [254, 224, 144]],
  [0.75, [252, 141, 89]],
  [1, [215, 48, 39]],
];

/** The colour of a risk in 0..1 (clamped). */
export function riskColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  let i = 1;
  while (i < STOPS.length - 1 && STOPS[i][0] < x) i += 1;
  const [a, ca] = STOPS[i - 1];
  const [b, cb] = STOPS[i];
  const f = b === a ? 0 : (x - a) / (b - a);
  const c = ca.map((v, k) => Math.round(v + (cb[k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** The scale as a CSS gradient for the legend. */
export function riskGradient(): string {
  return `linear-gradient(to right, ${STOPS.map(([t]) => `${riskColor(t)} ${t * 100}%`).join(', ')})`;
}

/** Node colour per kind. */
export const KIND_COLORS: Record<string, string> = {
  service: '#2f4b7c',
  database: '#7a5195',
  cache: '#00897b',
  queue: '#ef6c00',
  external: '#8d6e63',
};

/** Colour of a node kind (unknown kinds grey). */
export function kindColor(kind: string): string {
  return KIND_COLORS[kind] ?? '#9e9e9e';
}
