/**
 * `faultline init traces.json`: a first, commented faultline.yaml from the
 * traces, so a team starts from its own system rather than a blank page:
 * proxies from the graph (`faultline proxies suggest`), entrypoints from the
 * traced routes (route parameters become `{{int}}` placeholders to adjust),
 * and the claims faultline infers from the traces commented out for the
 * owner to confirm. Each section has a comment pointing at its part of
 * docs/manifest.md. The file is valid as written except for TODOs the
 * traces could not answer (an upstream address), which validate names.
 */
import { access, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { GraphSnapshot, RiskRanking } from '../../../graph/model.js';
import type { Claim } from '../../../claims/claim.js';
import type { ManifestEntrypoint } from '../../../generators/manifest.js';
import { suggestProxies } from '../../../generators/proxy-suggest.js';
import { inferClaims } from '../../../generators/claim-inference.js';
import { snake } from '../../../generators/snake-id.js';
import { realPipeline } from '../../real-pipeline.js';

const DOCS = 'docs/manifest.md';

/** `/orders/{id}` and `/orders/:id` → `/orders/{{int 1 1000}}`: a traced route as a URL the workload can call. */
export function routeTemplate(route: string): string {
  return route.replace(/\{[^/{}]+\}|:[A-Za-z_][A-Za-z0-9_]*/g, '{{int 1 1000}}');
}

/** Entrypoints for the traced HTTP routes, each tied to its trace entrypoint id (other roots: see nonHttpRoots). */
export function entrypointsFrom(snapshot: GraphSnapshot): ManifestEntrypoint[] {
  const used = new Set<string>();
  return [...snapshot.entrypoints].filter(isHttp).sort((a, b) => b.calls - a.calls).map((e) => {
    let name = snake(`${e.method}_${e.route}`);
    while (used.has(name)) name = `${name}_${e.service.replace(/[^A-Za-z0-9]+/g, '_')}`;
    used.add(name);
    return { name, method: e.method, url: `http://${e.service}${routeTemplate(e.route.startsWith('/') ? e.route : `/${e.route}`)}`, traceEntrypoint: e.id };
  });
}

// A root span without an HTTP method (a job, a consumer, a gRPC call) has no URL to call: the owner describes it.
const isHttp = (e: GraphSnapshot['entrypoints'][number]) => /^[A-Za-z]+$/.test(e.method) && e.method !== '-';

const flow = (v: unknown) => stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trim();
const block = (v: unknown) => stringify(v, { lineWidth: 0 }).trimEnd();
const commented = (text: string) => text.split('\n').map((l) => `#   ${l}`.trimEnd()).join('\n');

/** The commented manifest text. */
export function renderInitManifest(snapshot: GraphSnapshot, ranking: RiskRanking, opts: { system: string; tracePaths: string[] }): string {
  const proxies = suggestProxies(snapshot).proxies;
  const entrypoints = entrypointsFrom(snapshot);
  const claims: Claim[] = inferClaims(snapshot, ranking, [], entrypoints).claims;
  const out = [
    '# yaml-language-server: $schema=./node_modules/faultline/schema/faultline.schema.json',
    `# faultline manifest written by \`faultline init\` from ${snapshot.spans} spans in ${snapshot.traces} traces.`,
    `# Every key is described in ${DOCS}; check this file with \`faultline validate faultline.yaml\`.`,
    'version: 1',
    `system: ${flow({ name: opts.system })}`,
    '',
    `# Where traces come from: files, otlp, jaeger or tempo (${DOCS}#traces).`,
    `traces: ${flow({ type: 'files', paths: opts.tracePaths })}`,
    '',
    `# One proxy per edge to fault (${DOCS}#proxies): point the caller at \`listen\` instead of`,
    '# the callee. An upstream the traces could not tell is a TODO that validate rejects by name.',
    proxies.length ? `proxies:\n${proxies.map((p) => `  - ${flow(p)}`).join('\n')}` : 'proxies: []',
    '',
    `# What the workload calls (${DOCS}#entrypoints), from the traced routes. Check each URL's`,
    '# host and port, and replace the {{int 1 1000}} placeholders with ids your system has.',
    entrypoints.length ? `entrypoints:\n${entrypoints.map((e) => `  - ${flow(e)}`).join('\n')}` : 'entrypoints: []',
    ...snapshot.entrypoints.filter((e) => !isHttp(e)).map((e) => `# not an HTTP route, describe how to call it if the workload should: ${e.id}`),
    '',
    `# State dumps that invariants read (${DOCS}#probes), e.g.`,
    '#   - { name: charges, type: http, url: http://payments:8082/debug/charges, service: payments }',
    'probes: []',
    '',
    `# Claims (${DOCS}#claims). Inferred from the traces and commented out: confirm each one`,
    '# (or change its threshold) and uncomment it, or write your own.',
    'claims: []',
    ...(claims.length ? ['# To confirm them, replace `claims: []` above with:', '# claims:', commented(block(claims.map(({ source: _source, ...c }) => c)))] : []),
    '',
    `# Run settings (${DOCS}#top-level): arrivals per second, seed, and phase lengths.`,
    `workload: ${flow({ ratePerSec: 10, seed: 1 })}`,
    `phases: ${flow({ baselineMs: 10_000, faultMs: 20_000, recoveryMs: 15_000 })}`,
    '',
  ];
  return out.join('\n');
}

async function init(files: string[], flags: { out: string; system?: string; force?: boolean }, io: CliIO): Promise<void> {
  const out = resolve(io.cwd, flags.out);
  if (!flags.force && (await access(out).then(() => true, () => false))) throw fail('CONFLICT', `${flags.out} exists: pass --force to overwrite it`, { path: flags.out });
  const pipeline = realPipeline();
  const source = pipeline.traceSource({ type: 'files', paths: files.map((f) => resolve(io.cwd, f)) });
  io.err(`reading ${source.describe}`);
  const snapshot = await pipeline.buildGraph(source, { startUs: -Infinity, endUs: Infinity }, new IngestWarnings());
  const ranking = pipeline.rankRisks(snapshot);
  // Trace paths are written relative to the manifest, which is how the loader resolves them.
  const tracePaths = files.map((f) => {
    const rel = relative(dirname(out), resolve(io.cwd, f));
    return rel && !isAbsolute(rel) ? rel : resolve(io.cwd, f);
  });
  const system = flags.system ?? (basename(io.cwd).replace(/[^A-Za-z0-9_.-]+/g, '-') || 'my-system');
  await writeFile(out, renderInitManifest(snapshot, ranking, { system, tracePaths }));
  io.out(`wrote ${flags.out}: ${snapshot.entrypoints.length} entrypoints, ${snapshot.edges.length} edges; review the TODOs and the commented claims, then run \`faultline validate ${flags.out}\``);
}

/** Register `faultline init`. */
export const registerInit: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('init')
    .description('Write a commented faultline.yaml from traces: proxies, entrypoints, and inferred claims to confirm')
    .argument('<files...>', 'trace files (OTLP JSON/protobuf, Jaeger or Tempo JSON; gzip ok)')
    .option('--out <file>', 'where to write the manifest', 'faultline.yaml')
    .option('--system <name>', "the system's name (default: the folder's name)")
    .option('--force', 'overwrite an existing file')
    .action((files: string[], flags: { out: string; system?: string; force?: boolean }) => init(files, flags, io));
};
