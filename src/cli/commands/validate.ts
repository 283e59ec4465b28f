/**
 * `faultline validate faultline.yaml`: check a manifest the way every
 * command loads it (schema, cross-references, claimsFile) without reading
 * traces or planning, and report each problem as `file:line:column: path:
 * message`, the form editors and CI annotations link to. The positions come
 * from the YAML document's node ranges: a problem's key path
 * (`proxies[2].edge.to`) is walked through the parsed document, ending on
 * the offending value, the unknown key itself, or the mapping a required key
 * is missing from.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail, isFaultlineError } from '../../../base/errors.js';
import { validateManifest } from '../../../generators/manifest-loader.js';
import type { Manifest } from '../../../generators/manifest.js';

/** One problem with where it is. */
export interface LocatedProblem {
  line: number;
  column: number;
  /** Key path as in every manifest error (`proxies[2].edge.to`), `/` for the whole document. */
  path: string;
  message: string;
}

/** What validating a manifest found: problems (empty when valid) and, when valid, the manifest. */
export interface ValidationReport {
  problems: LocatedProblem[];
  manifest?: Manifest;
}

/** `proxies[2].edge.to` → `['proxies', 2, 'edge', 'to']`; a `claimsFile(x)` prefix points at the claimsFile key. */
export function pathSegments(path: string): (string | number)[] {
  if (path === '/' || path === '') return [];
  if (path.startsWith('claimsFile')) return ['claimsFile'];
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** The byte offset a key path points at: the deepest node the document has on that path. */
function offsetOf(doc: Document, segments: (string | number)[], unknownKey?: string): number {
  let node: unknown = doc.contents;
  let at = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  const keys = unknownKey === undefined ? segments : [...segments, unknownKey];
  for (let i = 0; i < keys.length; i++) {
    const seg = keys[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyNode = pair.key as { range?: [number, number, number] };
      // An unknown key is reported at the key; anything else at its value.
      if (i === keys.length - 1 && unknownKey !== undefined) return keyNode.range?.[0] ?? at;
      const value = pair.value as { range?: [number, number, number] } | null;
      at = value?.range?.[0] ?? keyNode.range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      at = (node as { range?: [number, number, number] }).range?.[0] ?? at;
    } else break;
  }
  return at;
}

/** Validate manifest text; `baseDir` resolves a claimsFile. Never throws for a bad manifest: problems are the value. */
export function validateManifestText(text: string, baseDir: string): ValidationReport {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '/', message: `not valid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` };
      }),
    };
  }
  try {
    const manifest = validateManifest(doc.toJS({ maxAliasCount: 100 }), { baseDir });
    return { problems: [], manifest };
  } catch (err) {
    if (!isFaultlineError(err, 'MANIFEST_INVALID')) throw err;
    const listed = (err.details?.problems as { path: string; message: string }[] | undefined) ?? [];
    const problems = listed.length ? listed : [{ path: String(err.details?.path ?? '/'), message: err.message }];
    return {
      problems: problems.map((p) => {
        const unknown = /^unknown key "(.+)" at /.exec(p.message)?.[1];
        const pos = lines.linePos(offsetOf(doc, pathSegments(p.path), unknown));
        return { line: pos.line, column: pos.col, path: p.path, message: p.message };
      }),
    };
  }
}

/** Environment variables the manifest's trace source names for secrets. */
export function secretNames(m: Manifest): string[] {
  const auth = m.traces.type === 'jaeger' || m.traces.type === 'tempo' ? m.traces.auth : undefined;
  if (!auth) return [];
  return [auth.bearerTokenEnv, auth.basic?.usernameEnv, auth.basic?.passwordEnv, auth.orgIdEnv].filter((n): n is string => Boolean(n));
}

/** `faultline.yaml:12:7: proxies[2].edge.to: must be a string` */
export function problemLine(file: string, p: LocatedProblem): string {
  return `${file}:${p.line}:${p.column}: ${p.message}`;
}

async function validate(file: string, flags: { json?: boolean }, io: CliIO): Promise<void> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fail('MANIFEST_INVALID', `cannot read manifest ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file }, err);
  }
  const report = validateManifestText(text, dirname(path));
  if (flags.json) io.out(JSON.stringify({ file, valid: report.problems.length === 0, problems: report.problems }, null, 2));
  else for (const p of report.problems) io.err(problemLine(file, p));
  const n = report.problems.length;
  if (n > 0) throw fail('MANIFEST_INVALID', `${file}: ${n} problem${n === 1 ? '' : 's'}`, { file, problems: report.problems });
  const m = report.manifest as Manifest;
  // Secrets are named, not written: say which named ones this machine cannot read (a warning, as CI may set them later).
  for (const name of secretNames(m)) if (io.config().secretFromEnv(name) === undefined) io.err(`warning: traces.auth names ${name}, which is not set in this environment`);
  if (!flags.json) {
    io.out(`${file}: valid — system ${m.system.name}, traces ${m.traces.type}, ${m.proxies.length} proxies, ${m.entrypoints.length} entrypoints, ${m.probes.length} probes, ${m.claims.length} claims`);
  }
}

/** Register `faultline validate`. */
export const registerValidate: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('validate')
    .description('Check a faultline.yaml without reading traces or planning; problems as file:line:column (exit 1 when there are any)')
    .argument('<manifest>', 'faultline.yaml to check')
    .option('--json', 'print {file, valid, problems[]} as JSON')
    .action((file: string, flags: { json?: boolean }) => validate(file, flags, io));
};
