/**
 * One shape per node kind, so a node's kind reads without its colour (about
 * one reader in twelve cannot tell some of the kind colours apart, and a
 * grey-scale print cannot tell any). The same table feeds the WebGL program
 * that draws the nodes (node-shape-program.ts) and the legend's pictograms,
 * so the two cannot drift apart.
 */
import { KIND_COLORS } from './risk-scale.js';

/** A shape's name (said in the legend) and its index in the node program's fragment shader. */
export interface KindShape { shape: 'circle' | 'square' | 'diamond' | 'triangle' | 'star'; index: number }

/** The kinds the graph knows, in legend order, with their shapes. */
export const KIND_SHAPES: Record<string, KindShape> = {
  service: { shape: 'circle', index: 0 },
  database: { shape: 'square', index: 1 },
  cache: { shape: 'diamond', index: 2 },
  queue: { shape: 'triangle', index: 3 },
  external: { shape: 'star', index: 4 },
};

/** The shape of a kind; an unknown kind is drawn as a (grey) circle. */
export function kindShape(kind: string): KindShape {
  return KIND_SHAPES[kind] ?? KIND_SHAPES.service;
}

/** The five points out and five in of a star around (8, 8), the first pointing up as in the shader. */
function starPoints(outer: number, inner: number): string {
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 ? inner : outer;
    const a = (i * Math.PI) / 5;
    return `${(8 + r * Math.sin(a)).toFixed(2)},${(8 - r * Math.cos(a)).toFixed(2)}`;
  }).join(' ');
}

/**
 * The SVG markup of a shape in a 16×16 box, sized like the node program draws
 * it relative to a circle of radius 5 (areas within a few percent of each
 * other, so no kind looks more important than another).
 */
const SVG_SHAPES: Record<KindShape['shape'], string> = {
  circle: '<circle cx="8" cy="8" r="5"/>',
  square: '<rect x="3.75" y="3.75" width="8.5" height="8.5"/>',
  diamond: '<polygon points="8,2 14,8 8,14 2,8"/>',
  triangle: '<polygon points="8,0.5 14.5,11.75 1.5,11.75"/>',
  star: `<polygon points="${starPoints(7.25, 3.6)}"/>`,
};

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A pictogram of a kind for the legend: decorative (aria-hidden), the legend's text names kind and shape. */
export function kindPictogram(kind: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'pictogram');
  svg.setAttribute('fill', KIND_COLORS[kind] ?? '#9e9e9e');
  // The markup is our own constant table, never data from the API.
  svg.innerHTML = SVG_SHAPES[kindShape(kind).shape];
  return svg;
}
