/**
 * Probe selectors: the small JSONPath subset claims use to point into a
 * probe's JSON dump (RFC 9535 syntax, restricted):
 *
 *   `$`            the document
 *   `.name`        member (letters, digits, `_`, `$`, `-`; not starting with a digit)
 *   `['x-y']`      member by quoted name (single or double quotes, `\` escapes)
 *   `[3]`          array element (non-negative index)
 *   `[*]` / `.*`   every element of an array or every member value of an object
 *   `..name`       descendant members (recursive descent), also `..*`, `..['x']`
 *
 * Filters, slices and unions are left out on purpose: a claim that needs
 * them is better served by a probe that returns the records already shaped.
 */
import { fail } from '../base/errors.js';

/** One step of a parsed selector. */
export type SelectorSegment =
  | { kind: 'member'; name: string; descendant: boolean }
  | { kind: 'index'; index: number; descendant: boolean }
  | { kind: 'wildcard'; descendant: boolean };

const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

function bad(selector: string, at: number, why: string): never {
  throw fail('BAD_INPUT', `malformed selector ${JSON.stringify(selector)} at position ${at}: ${why}`, { selector, position: at });
}

/** Parse a selector into segments; throws BAD_INPUT naming the selector and the position. */
export function parseSelector(selector: string): SelectorSegment[] {
  if (typeof selector !== 'string' || !selector.startsWith('$')) bad(String(selector), 0, 'must start with $');
  const out: SelectorSegment[] = [];
  let i = 1;
  while (i < selector.length) {
    let descendant = false;
    const ch = selector[i];
    if (ch === '.') {
      if (selector[i + 1] === '.') {
        descendant = true;
        i += 2;
        if (selector[i] === '[') continue; // `..[...]` handled by the bracket branch below
      } else {
        i += 1;
      }
      if (selector[i] === '*') {
        out.push({ kind: 'wildcard', descendant });
        i += 1;
        continue;
      }
      const m = NAME.exec(selector.slice(i));
      if (!m) bad(selector, i, 'expected a member name after "."');
      out.push({ kind: 'member', name: m[0], descendant });
      i += m[0].length;
      continue;
    }
    if (ch === '[') {
      descendant = selector[i - 1] === '.' && selector[i - 2] === '.';
      const close = bracket(selector, i);
      out.push({ ...close.segment, descendant } as SelectorSegment);
      i = close.next;
      continue;
    }
    bad(selector, i, `unexpected ${JSON.stringify(ch)}`);
  }
  if (selector.endsWith('..')) bad(selector, selector.length, 'descendant step without a name');
  return out;
}

/** Parse `[...]` starting at `i` (the `[`). */
type Bare = { kind: 'member'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

function bracket(selector: string, i: number): { segment: Bare; next: number } {
  const body = i + 1;
  const q = selector[body];
  if (q === '*') {
    if (selector[body + 1] !== ']') bad(selector, body + 1, 'expected "]" after "*"');
    return { segment: { kind: 'wildcard' }, next: body + 2 };
  }
  if (q === "'" || q === '"') {
    let name = '';
    let j = body + 1;
    for (;;) {
      if (j >= selector.length) bad(selector, j, 'unterminated quoted name');
      const c = selector[j];
      if (c === '\\') {
        if (j + 1 >= selector.length) bad(selector, j, 'dangling escape');
        name += selector[j + 1];
        j += 2;
        continue;
      }
      if (c === q) break;
      name += c;
      j += 1;
    }
    if (selector[j + 1] !== ']') bad(selector, j + 1, 'expected "]" after quoted name');
    return { segment: { kind: 'member', name }, next: j + 2 };
  }
  const m = /^(0|[1-9][0-9]*)\]/.exec(selector.slice(body));
  if (!m) bad(selector, body, 'expected *, a quoted name or a non-negative index inside "[ ]"');
  return { segment: { kind: 'index', index: Number(m[1]) }, next: body + m[0].length };
}

/** Children of a node a segment selects (ignoring descent). */
function step(node: unknown, seg: SelectorSegment, out: unknown[]): void {
  if (node === null || typeof node !== 'object') return;
  if (seg.kind === 'wildcard') {
    if (Array.isArray(node)) out.push(...node);
    else out.push(...Object.values(node));
  } else if (seg.kind === 'index') {
    if (Array.isArray(node) && seg.index < node.length) out.push(node[seg.index]);
  } else if (!Array.isArray(node) && Object.prototype.hasOwnProperty.call(node, seg.name)) {
    out.push((node as Record<string, unknown>)[seg.name]);
  }
}

/** The node and all its descendants, document order. */
function descendants(node: unknown, out: unknown[]): void {
  out.push(node);
  if (node === null || typeof node !== 'object') return;
  for (const child of Array.isArray(node) ? node : Object.values(node)) descendants(child, out);
}

/** Evaluate already-parsed segments against a document. */
export function evaluateSegments(doc: unknown, segments: SelectorSegment[]): unknown[] {
  let nodes: unknown[] = [doc];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const n of nodes) {
      if (seg.descendant) {
        const all: unknown[] = [];
        descendants(n, all);
        for (const d of all) step(d, seg, next);
      } else {
        step(n, seg, next);
      }
    }
    nodes = next;
  }
  return nodes;
}

/**
 * Every value the selector matches in `doc`, in document order. A selector
 * that matches nothing returns `[]`; a malformed one throws BAD_INPUT.
 */
export function evaluateSelector(doc: unknown, selector: string): unknown[] {
  return evaluateSegments(doc, parseSelector(selector));
}
