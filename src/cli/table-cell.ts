/**
 * A table cell's width on a terminal and its wrapping. Width is counted in
 * terminal columns, not UTF-16 units: East Asian wide characters and most
 * emoji take two, combining marks none, so CJK service names still line up.
 */

// Wide and fullwidth blocks (Unicode East Asian Width W/F) and the emoji planes.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]/u;

/** Columns one character takes. */
function charWidth(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** Columns `text` takes on a terminal (text already free of control characters). */
export function displayWidth(text: string): number {
  // Fast path: ASCII is one column per character.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** The longest prefix of `text` that fits `width` columns. */
function takeColumns(text: string, width: number): string {
  let w = 0;
  let out = '';
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width) break;
    out += ch;
    w += cw;
  }
  return out;
}

/** `text` cut to `width` columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  return `${takeColumns(text, Math.max(0, width - 1))}…`;
}

/**
 * `text` in lines of at most `width` columns, broken at spaces where it can
 * and inside a word only when the word alone is wider; at most `maxLines`
 * lines, the last cut with `…` when text remains.
 */
export function wrapCell(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest.length > 0 && lines.length < maxLines) {
    if (displayWidth(rest) <= width) {
      lines.push(rest);
      rest = '';
      break;
    }
    const head = takeColumns(rest, width);
    // Break after the last space that leaves a non-empty line; else split the word.
    const space = head.lastIndexOf(' ', head.length);
    // At least one character per line, so a column narrower than one wide character still ends.
    const cut = Math.max(1, rest[head.length] === ' ' ? head.length : space > 0 ? space : head.length);
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) lines[lines.length - 1] = truncate(`${lines[lines.length - 1]} ${rest}`, width);
  return lines.length > 0 ? lines : [''];
}
