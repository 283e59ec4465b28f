/**
 * Loading `faultline.yaml`: YAML → ajv validation against the manifest schema
 * (defaults applied) → cross-reference checks (a claim naming an entrypoint
 * or probe that does not exist) → claims from `claimsFile` merged in → a
 * frozen Manifest. Every problem is a MANIFEST_INVALID naming the key path.
 * `${ENV}` references are left as written: configuration lives in
 * src/config.ts, not here.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { fail } from '../base/errors.js';
import type { Claim, ClaimCheck } from '../claims/claim.js';
import type { Manifest } from './manifest.js';
import { claimsListSchema, manifestSchema } from './manifest-schema.js';
import { extractClaims, YAML_PARSE_OPTIONS } from './claims-file.js';
import { describeErrors, type SchemaProblem } from './schema-errors.js';
import { parseSelector } from '../claims/selector.js';

/** Options of parseManifest. */
export interface ParseManifestOptions {
  /** Directory relative paths (claimsFile) are resolved against. */
  baseDir: string;
  /** Reads a claims file; defaults to the file system. */
  readFile?: (path: string) => string;
}

let validators: { manifest: ValidateFunction; claims: ValidateFunction } | undefined;

function compiled() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: true, strictRequired: false });
    validators = { manifest: ajv.compile(manifestSchema), claims: ajv.compile(claimsListSchema) };
  }
  return validators;
}

/** Read and validate a manifest file. */
export function loadManifest(path: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fail('MANIFEST_INVALID', `cannot read manifest ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: path }, err);
  }
  return parseManifest(text, { baseDir: dirname(resolve(path)) });
}

/** Parse and validate manifest text; the result is deeply frozen. */
export function parseManifest(text: string, opts: ParseManifestOptions): Manifest {
  let doc: unknown;
  try {
    doc = parseYaml(text, YAML_PARSE_OPTIONS);
  } catch (err) {
    throw fail('MANIFEST_INVALID', `manifest is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { path: '/' });
  }
  return validateManifest(doc, opts);
}

/** Validate an already-parsed manifest document (e.g. a JSON body from the API). */
export function validateManifest(doc: unknown, opts: ParseManifestOptions): Manifest {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw fail('MANIFEST_INVALID', 'manifest must be a YAML mapping at /', { path: '/', problems: [] });
  }
  const data = structuredClone(doc) as Record<string, unknown>;
  const v = compiled();
  if (!v.manifest(data)) reject(describeErrors(v.manifest.errors ?? []));

  const claims = [...(data.claims as Claim[])];
  if (typeof data.claimsFile === 'string') claims.push(...readClaimsFile(data.claimsFile, opts));
  delete data.claimsFile;
  data.claims = claims;

  const manifest = data as unknown as Manifest;
  const problems = crossReferences(manifest);
  if (problems.length > 0) reject(problems);
  return deepFreeze(manifest);
}

function readClaimsFile(file: string, opts: ParseManifestOptions): Claim[] {
  const full = resolve(opts.baseDir, file);
  let text: string;
  try {
    text = (opts.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(full);
  } catch (err) {
    throw fail('MANIFEST_INVALID', `claimsFile: cannot read ${basename(full)}`, { path: 'claimsFile', file }, err);
  }
  const list = extractClaims(text, file);
  const v = compiled();
  if (!v.claims(list)) reject(describeErrors(v.claims.errors ?? [], `claimsFile(${file})`));
  return list as Claim[];
}

/** Names that must exist or be unique, which a JSON Schema cannot say. */
function crossReferences(m: Manifest): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const entrypoints = new Set(m.entrypoints.map((e) => e.name));
  const probes = new Set(m.probes.map((p) => p.name));
  duplicates(m.proxies.map((p) => p.name), 'proxies', problems);
  // `faultline proxies suggest` writes TODO where the traces could not tell the callee's host or port.
  m.proxies.forEach((p, i) => {
    if (p.upstream.includes('TODO')) problems.push({ path: `proxies[${i}].upstream`, message: `proxies[${i}].upstream: proxy "${p.name}" still has the placeholder ${JSON.stringify(p.upstream)}: set the callee's real host:port` });
  });
  duplicates(m.entrypoints.map((e) => e.name), 'entrypoints', problems);
  duplicates(m.probes.map((p) => p.name), 'probes', problems);
  duplicates(m.claims.map((c) => c.id), 'claims', problems);
  m.claims.forEach((c, i) => {
    for (const [key, ref] of checkEntrypoints(c.check)) {
      if (!entrypoints.has(ref)) {
        problems.push({ path: `claims[${i}].check.${key}`, message: `claims[${i}].check.${key}: entrypoint "${ref}" is not defined in entrypoints` });
      }
    }
    if ('probe' in c.check && !probes.has(c.check.probe)) {
      problems.push({ path: `claims[${i}].check.probe`, message: `claims[${i}].check.probe: probe "${c.check.probe}" is not defined in probes` });
    }
  });
  quiescenceReferences(m, probes, problems);
  m.halting.forEach((h, i) => {
    if (h.entrypoint !== undefined && !entrypoints.has(h.entrypoint)) {
      problems.push({ path: `halting[${i}].entrypoint`, message: `halting[${i}].entrypoint: entrypoint "${h.entrypoint}" is not defined in entrypoints` });
    }
  });
  return problems;
}

/** A quiescence selector must parse, and a global one must name the probe it reads. */
function quiescenceReferences(m: Manifest, probes: Set<string>, problems: SchemaProblem[]): void {
  const selectorOk = (selector: string | undefined, path: string) => {
    if (selector === undefined) return;
    try {
      parseSelector(selector);
    } catch (err) {
      problems.push({ path, message: `${path}: ${(err as Error).message}` });
    }
  };
  const q = m.quiescence;
  if (q) {
    if (q.probe !== undefined && !probes.has(q.probe)) problems.push({ path: 'quiescence.probe', message: `quiescence.probe: probe "${q.probe}" is not defined in probes` });
    if (q.selector !== undefined && q.probe === undefined) problems.push({ path: 'quiescence.probe', message: 'quiescence.probe: a quiescence selector needs the probe it reads' });
    selectorOk(q.selector, 'quiescence.selector');
  }
  m.probes.forEach((p, i) => selectorOk(p.quiescence?.selector, `probes[${i}].quiescence.selector`));
}

function checkEntrypoints(check: ClaimCheck): [string, string][] {
  if (check.type === 'linearizable') return [['readEntrypoint', check.readEntrypoint], ['writeEntrypoint', check.writeEntrypoint]];
  if ('entrypoint' in check && check.entrypoint !== undefined) return [['entrypoint', check.entrypoint]];
  return [];
}

function duplicates(names: string[], key: string, problems: SchemaProblem[]): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const first = seen.get(n);
    if (first !== undefined) problems.push({ path: `${key}[${i}]`, message: `${key}[${i}]: duplicate name "${n}" (first at ${key}[${first}])` });
    else seen.set(n, i);
  });
}

function reject(problems: SchemaProblem[]): never {
  const first = problems[0] ?? { path: '/', message: 'manifest is invalid' };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw fail('MANIFEST_INVALID', `${first.message}${more}`, { path: first.path, problems });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
