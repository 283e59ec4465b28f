/**
 * The names an example system brings with it — its services, proxies,
 * planted bugs, claims and ports — found from its files alone, so an example
 * added under examples/<name>/ is covered without naming it anywhere.
 *
 * Sources: every YAML file in the example (its faultline.yaml and a claims
 * file beside it) read as a manifest, and every `bugs.ts` in it, whose
 * string-array constants list the planted bugs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/** One name and where it was found (`examples/demo/faultline.yaml: proxies[2].name`). */
export interface ExampleName {
  name: string;
  source: string;
}

/** Every file below `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : filesUnder(join(dir, e.name))) : [join(dir, e.name)]);
}

/** The names of the example in `dir` (paths in sources are relative to `root`). */
export function exampleNames(root: string, dir: string): ExampleName[] {
  const out: ExampleName[] = [];
  for (const file of filesUnder(dir)) {
    const rel = relative(root, file);
    if (/\.ya?ml$/.test(file)) manifestNames(readFileSync(file, 'utf8'), rel, out);
    else if (basename(file) === 'bugs.ts') bugNames(readFileSync(file, 'utf8'), rel, out);
  }
  return out;
}

const asList = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];

/** `orders:8081` → host and port; `0.0.0.0:21001` → the port only. */
function hostPort(value: unknown): { host?: string; port?: string } {
  if (typeof value !== 'string') return {};
  const m = /^([^:/\s]+):(\d+)$/.exec(value.trim());
  if (!m) return {};
  return { host: /^[\d.]+$/.test(m[1]) ? undefined : m[1], port: m[2] };
}

/** Host and port of a URL value (`http://orders:8081/debug/orders`). */
function urlHostPort(value: unknown): { host?: string; port?: string } {
  if (typeof value !== 'string') return {};
  try {
    const u = new URL(value.replace(/\{\{[^}]*\}\}/g, 'x'));
    return { host: /^[\d.]+$/.test(u.hostname) || u.hostname === 'localhost' ? undefined : u.hostname, port: u.port || undefined };
  } catch {
    return {};
  }
}

/** Names a manifest (or a claims file) gives: system, proxies, edge ends, probe services, URL hosts, claim ids, ports. */
function manifestNames(text: string, source: string, out: ExampleName[]): void {
  const add = (name: unknown, where: string) => {
    if (typeof name === 'string' && name.trim() !== '') out.push({ name: name.trim(), source: `${source}: ${where}` });
  };
  for (const doc of parseAllDocuments(text)) {
    const m = doc.toJS() as Record<string, unknown> | null;
    if (!m || typeof m !== 'object') continue;
    const system = m.system as Record<string, unknown> | undefined;
    add(system?.name, 'system.name');
    asList(m.proxies).forEach((p, i) => {
      add(p.name, `proxies[${i}].name`);
      const edge = p.edge as Record<string, unknown> | undefined;
      add(edge?.from, `proxies[${i}].edge.from`);
      add(edge?.to, `proxies[${i}].edge.to`);
      add(hostPort(p.listen).port, `proxies[${i}].listen`);
      const up = hostPort(p.upstream);
      add(up.host, `proxies[${i}].upstream`);
      add(up.port, `proxies[${i}].upstream`);
    });
    for (const key of ['entrypoints', 'probes']) {
      asList(m[key]).forEach((e, i) => {
        const u = urlHostPort(e.url);
        add(u.host, `${key}[${i}].url`);
        add(u.port, `${key}[${i}].url`);
        add(e.service, `${key}[${i}].service`);
      });
    }
    asList(m.claims).forEach((c, i) => add(c.id, `claims[${i}].id`));
  }
}

/** The string elements of every array literal assigned to a variable in a bugs.ts. */
function bugNames(text: string, source: string, out: ExampleName[]): void {
  const file = ts.createSourceFile(source, text, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.initializer) {
      let init: ts.Node = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isArrayLiteralExpression(init)) {
        for (const el of init.elements) {
          if (ts.isStringLiteralLike(el)) out.push({ name: el.text, source: `${source}: ${node.name.getText(file)}` });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

/** A stretch of a core file: code (tokens) or prose (a comment, a Markdown line), with its line. */
export interface Segment {
  text: string;
  line: number;
  prose: boolean;
}

/**
 * A TypeScript file cut into code and comments (from the parsed syntax tree,
 * so a `//` inside a string or a regular expression is code); any other file
 * is prose, line by line.
 */
export function segments(path: string, text: string): Segment[] {
  if (!/\.(ts|js|mjs|cjs)$/.test(path)) return text.split('\n').map((t, i) => ({ text: t, line: i + 1, prose: true }));
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const comments = new Map<number, number>();
  const note = (pos: number, end: number) => { comments.set(pos, end); };
  const visit = (node: ts.Node) => {
    ts.forEachLeadingCommentRange(text, node.pos, note);
    ts.forEachTrailingCommentRange(text, node.end, note);
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  const out: Segment[] = [];
  const push = (from: number, to: number, prose: boolean) => {
    const first = ts.getLineAndCharacterOfPosition(source, from).line + 1;
    text.slice(from, to).split('\n').forEach((t, i) => { if (t.trim()) out.push({ text: t, line: first + i, prose }); });
  };
  let at = 0;
  for (const [pos, end] of [...comments].sort((a, b) => a[0] - b[0])) {
    if (pos < at) continue;
    push(at, pos, false);
    push(pos, end, true);
    at = end;
  }
  push(at, text.length, false);
  return out;
}

/** A core file naming an example: where, which name, and where the example defines it. */
export interface Hit {
  file: string;
  line: number;
  name: string;
  source: string;
}

/**
 * Whole-word, case-insensitive occurrences of `names` in the segments of a
 * file. A compound name (`orders-queue`, `no-timeout`, `21001`, a claim id)
 * counts anywhere, comments included; a plain word (`orders`, `maps`) counts
 * only in code, because prose uses such words in their ordinary sense.
 */
export function hitsIn(file: string, text: string, names: readonly ExampleName[]): Hit[] {
  const hits: Hit[] = [];
  const segs = segments(file, text);
  for (const n of names) {
    const compound = /[-_.\d]/.test(n.name);
    const word = new RegExp(`(?<![A-Za-z0-9_-])${n.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`, 'i');
    for (const s of segs) {
      if ((compound || !s.prose) && word.test(s.text)) hits.push({ file, line: s.line, name: n.name, source: n.source });
    }
  }
  return hits;
}
