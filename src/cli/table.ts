/**
 * Plain-text tables for people. Columns are padded to the widest cell;
 * numeric-looking cells are right-aligned. Every cell is telemetry-derived
 * text at heart, so it goes through the shared sanitiser (base/text.ts)
 * before anything is measured: a service name must not retitle or clear
 * the reader's terminal.
 *
 * On a terminal the table fits its width: the columns that identify a row
 * (`keep`, e.g. the scenario and its verdict) stay whole, the others share
 * what is left and wrap at word boundaries, up to {@link MAX_CELL_LINES}
 * lines, the last one cut with `…`. Written to a pipe or file (no width
 * known), nothing is cut: whoever reads that wants every word.
 */
import { printable } from '../../base/text.js';
import type { CliIO } from './command.js';
import { displayWidth, wrapCell } from './table-cell.js';

/** How a table may look where it is printed. */
export interface TableStyle {
  /** Terminal width in columns; absent: no limit (a pipe or a file). */
  width?: number;
  /** Colour verdicts with ANSI escapes (a TTY without NO_COLOR). */
  color?: boolean;
}

/** Per-table layout choices. */
export interface TableOptions extends TableStyle {
  /** Indices of the columns never wrapped or cut. */
  keep?: number[];
  /** Index of a column holding verdicts, coloured when `color` is set. */
  verdictColumn?: number;
}

/** Lines a wrapped cell may take before it is cut with `…`. */
export const MAX_CELL_LINES = 3;
/** A flexible column is never squeezed narrower than this (or its header). */
const MIN_FLEX_WIDTH = 10;
const GAP = '  ';

/**
 * What a stream is, as the CLI's IO reports it: a width and colour only on a
 * TTY, and no colour when NO_COLOR is set to anything (https://no-color.org).
 */
export function terminalOf(stream: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>): CliIO['terminal'] {
  // A pseudo-terminal without a size reports 0 columns: that is no width, not a zero-wide table.
  return stream.isTTY ? { columns: stream.columns || undefined, color: !env.NO_COLOR } : undefined;
}

/** The style of stdout as the CLI's IO reports it (no colour, no limit when unknown). */
export function tableStyle(io: Pick<CliIO, 'terminal'>): TableStyle {
  return { width: io.terminal?.columns, color: io.terminal?.color ?? false };
}

const VERDICT_COLOURS: [prefix: string, sgr: string][] = [
  ['PASS', '32'], // green
  ['FAIL', '31;1'], // bold red
  ['INCONCLUSIVE', '33'], // yellow
  ['PARTIAL', '36'], // cyan
];

/** A verdict wrapped in its ANSI colour (our own escapes, added after sanitising). */
export function colourVerdict(text: string): string {
  const hit = VERDICT_COLOURS.find(([p]) => text.trimStart().startsWith(p));
  return hit ? `\u001b[${hit[1]}m${text}\u001b[0m` : text;
}

/** Widths per column so the row fits `width`: kept columns whole, flexible ones capped at a shared limit. */
function fitWidths(natural: number[], floor: number[], flexible: boolean[], width: number): number[] {
  const gaps = GAP.length * (natural.length - 1);
  const total = natural.reduce((a, b) => a + b, 0) + gaps;
  if (total <= width) return natural;
  const fixed = natural.reduce((a, w, i) => a + (flexible[i] ? 0 : w), 0);
  const room = width - fixed - gaps;
  const at = (cap: number) => natural.map((w, i) => (flexible[i] ? Math.min(w, Math.max(cap, floor[i])) : w));
  const sum = (ws: number[]) => ws.reduce((a, w, i) => a + (flexible[i] ? w : 0), 0);
  // The largest cap that fits (water-filling): wide columns give up width first, narrow ones keep theirs.
  let lo = 0;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(at(mid)) <= room) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

/** Render a table; `options` fit it to a terminal and colour its verdicts. */
export function renderTable(headers: string[], rows: (string | number)[][], options: TableOptions = {}): string {
  const heads = headers.map((h) => printable(h));
  const cells = rows.map((r) => heads.map((_, i) => printable(String(r[i] ?? ''))));
  const keep = new Set(options.keep ?? []);
  const natural = heads.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]))));
  const numeric = heads.map((_, i) => cells.length > 0 && cells.every((r) => /^-?[\d.,]+( ?(ms|%|x|s))?$/.test(r[i])));
  const flexible = heads.map((_, i) => !keep.has(i) && !numeric[i]);
  const floor = heads.map((h) => Math.max(MIN_FLEX_WIDTH, displayWidth(h)));
  const widths = options.width === undefined ? natural : fitWidths(natural, floor, flexible, options.width);

  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i] - displayWidth(text)));
    const padded = numeric[i] ? fill + text : text + fill;
    return options.color && i === options.verdictColumn ? colourVerdict(padded) : padded;
  };
  const render = (r: string[], isHeader = false): string[] => {
    const wrapped = r.map((c, i) => (widths[i] < natural[i] && !isHeader ? wrapCell(c, widths[i], MAX_CELL_LINES) : [c]));
    const height = Math.max(...wrapped.map((w) => w.length));
    const lines: string[] = [];
    for (let l = 0; l < height; l++) {
      lines.push(wrapped.map((w, i) => (isHeader ? r[i] + ' '.repeat(Math.max(0, widths[i] - displayWidth(r[i]))) : pad(w[l] ?? '', i))).join(GAP).trimEnd());
    }
    return lines;
  };
  return [...render(heads, true), widths.map((w) => '─'.repeat(w)).join(GAP), ...cells.flatMap((r) => render(r))].join('\n');
}
