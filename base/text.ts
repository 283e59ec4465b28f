/**
 * Untrusted text made safe to show. Service names, routes, attribute values
 * and error messages come from telemetry anyone can emit; printed raw, an
 * `ESC]0;…BEL` retitles the reader's terminal and `ESC[2J` clears it. Every
 * human output (tables, Markdown, Slack, diagrams) passes its text through
 * here, so there is one definition of "safe" for all of them.
 *
 * What goes: whole escape sequences (CSI `ESC [ … final`, OSC / DCS / SOS /
 * PM / APC strings up to their terminator, two-byte `ESC x`, and the 8-bit
 * CSI/OSC forms), every remaining C0 and C1 control and DEL, and the
 * Unicode bidirectional overrides that make text display in another order
 * than it reads ("Trojan Source"). A whole sequence goes, not just its ESC,
 * so no `]0;title` residue is left behind. Everything printable stays as it was.
 */

/** Options of {@link printable}. */
export interface PrintableOptions {
  /**
   * Keep line feeds and tabs (for whole documents such as Markdown). Without
   * it a line break, carriage return or tab becomes one space, so a cell
   * stays on its line and words stay apart.
   */
  multiline?: boolean;
}

// String sequences: OSC (]), DCS (P), SOS (X), PM (^), APC (_), ended by BEL or ST (ESC \ or 0x9C), or by the end of the text.
const STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)/g;
// CSI: ESC [ or 0x9B, parameter bytes, intermediate bytes, one final byte.
const CSI_SEQUENCE = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?/g;
// Any other escape: ESC, intermediates, one final byte (e.g. `ESC c` full reset, `ESC ( B`).
const OTHER_ESCAPE = /\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const BREAKS = /\r\n|[\r\n\t\u000b\u000c\u0085\u2028\u2029]/g;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without escape sequences, control characters or bidi overrides; printable text is unchanged. */
export function printable(text: string, options: PrintableOptions = {}): string {
  // Fast path: almost all telemetry text is plain.
  if (!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(text)) return text;
  let out = text.replace(STRING_SEQUENCE, '').replace(CSI_SEQUENCE, '').replace(OTHER_ESCAPE, '').replace(BIDI, '');
  if (options.multiline) return out.replace(/\r\n?|[\u000b\u000c\u0085\u2028\u2029]/g, '\n').replace(CONTROLS_BUT_LINES, '');
  out = out.replace(BREAKS, ' ');
  return out.replace(CONTROLS, '');
}
