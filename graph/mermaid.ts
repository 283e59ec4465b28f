/**
 * Mermaid `flowchart LR` export. Service names are untrusted text, so nodes
 * get synthetic ids (`n0`, `n1`, …) and every label is quoted with anything
 * outside a small safe set written as a Mermaid entity code (`#34;`), which
 * Mermaid renders as the character and never parses as syntax. Control
 * characters and escape sequences are dropped first (base/text.ts), as in
 * every other human output: an entity code would only smuggle them into the
 * rendered picture. Line breaks stay (as `#10;`).
 */
import { printable } from '../base/text.js';
import type { GraphSnapshot, NodeType } from './model.js';
import { edgeLabel, topRiskEdges, type DiagramOptions } from './export-label.js';

/** Node shapes per type (Mermaid flowchart shape syntax). */
const SHAPES: Record<NodeType, [string, string]> = {
  service: ['[', ']'],
  database: ['[(', ')]'],
  cache: ['{{', '}}'],
  queue: ['>', ']'],
  external: ['([', '])'],
};

/** Quote a label for Mermaid: safe characters pass, the rest become `#<code>;`. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of printable(text, { multiline: true })) out += /[A-Za-z0-9 _.,:/%-]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return `"${out}"`;
}

/** Render the graph as a Mermaid flowchart, highlighting the top risks in red. */
export function toMermaid(snapshot: GraphSnapshot, options: DiagramOptions = {}): string {
  const ids = new Map(snapshot.nodes.map((n, i) => [n.id, `n${i}`]));
  const risky = topRiskEdges(options.ranking, options.highlight ?? 5);
  const lines = ['flowchart LR'];
  for (const n of snapshot.nodes) {
    const [open, close] = SHAPES[n.type];
    lines.push(`  ${ids.get(n.id)}${open}${mermaidText(n.id)}${close}`);
  }
  const riskyLinks: number[] = [];
  const riskyNodes = new Set<string>();
  snapshot.edges.forEach((e, i) => {
    const arrow = e.mode === 'async' ? '-.->' : '-->';
    lines.push(`  ${ids.get(e.source)} ${arrow}|${mermaidText(edgeLabel(e))}| ${ids.get(e.target)}`);
    if (risky.has(e.id)) {
      riskyLinks.push(i);
      riskyNodes.add(ids.get(e.source)!).add(ids.get(e.target)!);
    }
  });
  if (riskyLinks.length > 0) {
    lines.push('  classDef risk stroke:#d00,stroke-width:3px');
    lines.push(`  class ${[...riskyNodes].join(',')} risk`);
    lines.push(`  linkStyle ${riskyLinks.join(',')} stroke:#d00,stroke-width:3px`);
  }
  return `${lines.join('\n')}\n`;
}
