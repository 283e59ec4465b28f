/**
 * Graphviz DOT export. Node ids are synthetic (`n0`, …) and labels are DOT
 * quoted strings with `\` and `"` escaped and line breaks turned into `\n`
 * (Graphviz "ID" lexical rules), so untrusted service names cannot break
 * out of a label.
 */
import type { GraphSnapshot, NodeType } from './model.js';
import { edgeLabel, topRiskEdges, type DiagramOptions } from './export-label.js';

const SHAPES: Record<NodeType, string> = {
  service: 'box',
  database: 'cylinder',
  cache: 'hexagon',
  queue: 'cds',
  external: 'ellipse',
};

/** A DOT double-quoted string. */
export function dotString(text: string): string {
  const clean = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n').replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${clean}"`;
}

/** Render the graph as a DOT digraph, top risks drawn thick and red. */
export function toDot(snapshot: GraphSnapshot, options: DiagramOptions = {}): string {
  const ids = new Map(snapshot.nodes.map((n, i) => [n.id, `n${i}`]));
  const risky = topRiskEdges(options.ranking, options.highlight ?? 5);
  const lines = ['digraph faultline {', '  rankdir=LR;', '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const n of snapshot.nodes) {
    const style = n.instrumented ? '' : ', style=dashed';
    lines.push(`  ${ids.get(n.id)} [label=${dotString(n.id)}, shape=${SHAPES[n.type]}${style}];`);
  }
  for (const e of snapshot.edges) {
    const attrs = [`label=${dotString(edgeLabel(e))}`];
    if (e.mode === 'async') attrs.push('style=dashed');
    if (risky.has(e.id)) attrs.push('color=red', 'penwidth=3');
    lines.push(`  ${ids.get(e.source)} -> ${ids.get(e.target)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
