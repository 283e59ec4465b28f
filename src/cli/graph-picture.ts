/**
 * Pictures of the interaction graph outside the console: `faultline graph
 * --svg` (a static picture) and `--html` (one self-contained page: the
 * picture, its risk scale and the risk table). Edges are coloured on a
 * continuous risk scale (green 0 → amber 50 → red 100, the score of
 * graph/risk.ts) and drawn wider with more calls, so the eye finds the
 * risky, busy edges first. Graphviz compiled to WebAssembly (@viz-js/viz)
 * lays it out in-process: no `dot` binary, nothing fetched.
 */
import { instance } from '@viz-js/viz';
import { printable } from '../../base/text.js';
import { dotString } from '../../graph/dot.js';
import { edgeLabel } from '../../graph/export-label.js';
import type { GraphSnapshot, NodeType, RiskRanking } from '../../graph/model.js';
import { html } from './html-text.js';
import { keyFactors } from './commands/graph-report.js';

const SHAPES: Record<NodeType, string> = { service: 'box', database: 'cylinder', cache: 'hexagon', queue: 'cds', external: 'ellipse' };
/** Colour stops of the risk scale: score → RGB. */
const STOPS: [number, [number, number, number]][] = [
  [0, [46, 160, 67]],
  [50, [230, 160, 0]],
  [100, [210, 40, 40]],
];
/** Scores shown in the legend. */
const LEGEND = [0, 25, 50, 75, 100];

/** The colour of a risk score (0…100) on the continuous scale, as `#rrggbb`. */
export function riskColour(score: number): string {
  const s = Math.min(100, Math.max(0, Number.isFinite(score) ? score : 0));
  const i = s >= STOPS[1][0] ? 1 : 0;
  const [a, ca] = STOPS[i];
  const [b, cb] = STOPS[i + 1];
  const t = (s - a) / (b - a);
  return `#${ca.map((c, k) => Math.round(c + (cb[k] - c) * t).toString(16).padStart(2, '0')).join('')}`;
}

/** Telemetry text as a DOT string: sanitised, then quoted by the DOT exporter's rules. */
const label = (text: string) => dotString(printable(text));

/** The graph as DOT with risk colours, widths by volume and a legend of the scale. */
export function riskDot(snapshot: GraphSnapshot, ranking: RiskRanking): string {
  const ids = new Map(snapshot.nodes.map((n, i) => [n.id, `n${i}`]));
  const scores = new Map<string, number>();
  for (const item of ranking.items) if (item.kind === 'edge') scores.set(item.edge, item.score);
  const maxCalls = Math.max(1, ...snapshot.edges.map((e) => e.calls));
  const lines = ['digraph faultline {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const n of snapshot.nodes) lines.push(`  ${ids.get(n.id)} [label=${label(n.id)}, shape=${SHAPES[n.type]}${n.instrumented ? '' : ', style=dashed'}];`);
  for (const e of snapshot.edges) {
    const score = scores.get(e.id) ?? 0;
    // Width grows with the log of the volume: a hundredfold busier edge is about three times as wide, not a hundred.
    const width = 1 + 3 * (Math.log10(1 + e.calls) / Math.log10(1 + maxCalls));
    const attrs = [`label=${label(`${edgeLabel(e)}, risk ${score.toFixed(0)}`)}`, `color="${riskColour(score)}"`, `fontcolor="${riskColour(score)}"`, `penwidth=${width.toFixed(2)}`];
    if (e.mode === 'async') attrs.push('style=dashed');
    lines.push(`  ${ids.get(e.source)} -> ${ids.get(e.target)} [${attrs.join(', ')}];`);
  }
  const cells = LEGEND.map((s) => `<td bgcolor="${riskColour(s)}" width="28"><font color="white">${s}</font></td>`).join('');
  lines.push(`  legend [shape=plaintext, label=<<table border="0" cellspacing="0" cellborder="0"><tr><td colspan="${LEGEND.length}">risk score</td></tr><tr>${cells}</tr></table>>];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The graph as a standalone SVG document. */
export async function graphSvg(snapshot: GraphSnapshot, ranking: RiskRanking): Promise<string> {
  const viz = await instance();
  return viz.renderString(riskDot(snapshot, ranking), { format: 'svg' });
}

/** One self-contained page: the picture, then the risk table with every factor and reason. */
export async function graphHtml(snapshot: GraphSnapshot, ranking: RiskRanking, top = 25): Promise<string> {
  // The inline <svg> element only: the XML prolog and DOCTYPE belong to a standalone file.
  const svg = (await graphSvg(snapshot, ranking)).replace(/^[\s\S]*?(?=<svg\b)/, '');
  const rows = ranking.items.slice(0, top).map((it, i) => `<tr><td>${i + 1}</td><td><code>${html(it.kind === 'path' ? it.id : it.edge)}</code></td><td style="color:${riskColour(it.score)};font-weight:600">${it.score.toFixed(1)}</td><td>${html(keyFactors(it))}</td><td>${html(it.reason)}</td></tr>`);
  const services = snapshot.nodes.filter((n) => n.type === 'service').length;
  const n = (x: number, one: string, many: string) => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline interaction graph</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1b1b1b}
figure{margin:1rem 0;overflow:auto;border:1px solid #eee}svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
</style>
</head>
<body>
<h1>Interaction graph</h1>
<p>${n(services, 'service', 'services')}, ${n(snapshot.nodes.length - services, 'dependency', 'dependencies')}, ${n(snapshot.edges.length, 'edge', 'edges')} from ${n(snapshot.spans, 'span', 'spans')} in ${n(snapshot.traces, 'trace', 'traces')}. Edge colour: risk score (green 0, amber 50, red 100); edge width: call volume.</p>
<figure role="img" aria-label="${html(`Interaction graph: ${snapshot.edges.length} edges; riskiest ${ranking.items[0] ? `${ranking.items[0].edge} at ${ranking.items[0].score.toFixed(1)}` : 'none'}`)}">
${svg}
</figure>
<h2>Top risks</h2>
<table>
<thead><tr><th scope="col">#</th><th scope="col">Item</th><th scope="col">Score</th><th scope="col">Key factors</th><th scope="col">Reason</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
