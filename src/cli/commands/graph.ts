/**
 * `faultline graph`: read traces (files, Jaeger or Tempo), build the
 * interaction graph, rank its risks and print them — or export the graph
 * as JSON, Mermaid or DOT, and draw it (`--svg`, `--html`: src/cli/graph-picture.ts).
 * Telemetry text reaches the terminal only through the sanitiser
 * (base/text.ts). Progress and warnings go to stderr so stdout
 * stays a clean document with `--json`/`--mermaid`/`--dot`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { GraphSnapshot } from '../../../graph/model.js';
import type { TraceQuery, TraceSource } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import type { Pipeline } from '../../pipeline.js';
import { realPipeline } from '../../real-pipeline.js';
import { riskTable, summaryLine } from './graph-report.js';
import { tableStyle } from '../table.js';
import { graphHtml, graphSvg } from '../graph-picture.js';
import { printable } from '../../../base/text.js';
import { numericFlag, POSITIVE_INTEGER } from '../numeric-flag.js';
import { JaegerTraceSource } from '../../../ingest/jaeger-client.js';
import { backendConnection, registerBackendFlags, type BackendFlags } from '../backend-flags.js';

interface GraphFlags extends BackendFlags {
  jaeger?: string;
  tempo?: string;
  service?: string;
  query?: string;
  lookback: string;
  dependencies?: boolean;
  top: string;
  json?: boolean;
  mermaid?: boolean;
  dot?: boolean;
  out?: string;
  svg?: string;
  html?: string;
}

/** Print a progress line every this many spans (and once at the end). */
const PROGRESS_EVERY = 100_000;

/** Register `faultline graph`. */
export const registerGraph: RegisterCommand = (program: Command, io: CliIO) => {
  const graph = program
    .command('graph')
    .description('Build the interaction graph from traces and rank the riskiest edges and paths')
    .argument('[files...]', 'trace files (OTLP JSON/protobuf, Jaeger JSON, Tempo JSON; gzip ok)')
    .option('--jaeger <url>', 'read from Jaeger query at this URL')
    .option('--tempo <url>', 'read from Tempo at this URL')
    .option('--service <name>', 'only traces touching this service (Jaeger)')
    .option('--query <traceql>', 'TraceQL selecting traces (Tempo)')
    .option('--lookback <duration>', 'how far back to read from Jaeger/Tempo, e.g. 1h, 7d', '1h')
    .option('--dependencies', "the files are Jaeger dependency lists ([{parent, child, callCount}]); with --jaeger, read Jaeger's /api/dependencies over --lookback")
    .option('--top <n>', 'rows in the risk table', '10')
    .option('--json', 'print the graph and ranking as JSON')
    .option('--mermaid', 'print the graph as a Mermaid flowchart')
    .option('--dot', 'print the graph as Graphviz DOT')
    .option('--out <file>', 'write the JSON (or --mermaid/--dot) document to this file and print the table')
    .option('--svg <file>', 'also write the graph as an SVG picture, edges coloured by risk score and sized by volume')
    .option('--html <file>', 'also write one self-contained HTML page: the graph picture and the risk table, for offline reading');
  registerBackendFlags(graph)
    .action(async (files: string[], flags: GraphFlags) => {
      const top = numericFlag('--top', flags.top, POSITIVE_INTEGER);
      if ([flags.json, flags.mermaid, flags.dot].filter(Boolean).length > 1) throw fail('BAD_INPUT', 'choose one of --json, --mermaid, --dot');
      // Secrets named by --bearer-token-env are read through the config, like a manifest's.
      const pipeline = realPipeline(flags.bearerTokenEnv ? { secretFromEnv: io.config().secretFromEnv } : {});
      const warnings = new IngestWarnings();
      const snap = flags.dependencies ? await fromDependencyFiles(pipeline, files, io, flags) : await fromTraces(pipeline, files, flags, warnings, io);
      const ranking = pipeline.rankRisks(snap);
      for (const [reason, n] of Object.entries(snap.warnings)) io.err(`warning: ${n}× ${printable(reason)}`);

      if (flags.svg) await writeDocument(io, flags.svg, await graphSvg(snap, ranking));
      if (flags.html) await writeDocument(io, flags.html, await graphHtml(snap, ranking, Math.max(top, 25)));
      // The JSON is the one graph document every graph reader takes (plan --graph, GET /v1/graph's shape).
      const document = flags.mermaid ? pipeline.toMermaid(snap, ranking) : flags.dot ? pipeline.toDot(snap, ranking) : pipeline.graphJson(snap, ranking);
      if (flags.out) {
        await writeDocument(io, flags.out, document);
      } else if (flags.json || flags.mermaid || flags.dot) {
        io.out(document.replace(/\n$/, ''));
        return;
      }
      io.out(riskTable(ranking, top, tableStyle(io)));
      io.out(summaryLine(snap));
    });
};

/** Write one output file next to the table, or fail naming it. */
async function writeDocument(io: CliIO, file: string, text: string): Promise<void> {
  try {
    await writeFile(resolve(io.cwd, file), text);
  } catch (err) {
    throw fail('BAD_INPUT', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path: file });
  }
  io.err(`wrote ${file}`);
}

function sourceFor(pipeline: Pipeline, files: string[], flags: GraphFlags, io: CliIO): { source: TraceSource; query: TraceQuery } {
  const chosen = [files.length > 0, flags.jaeger !== undefined, flags.tempo !== undefined].filter(Boolean).length;
  if (chosen === 0) throw fail('BAD_INPUT', 'give trace files, --jaeger URL or --tempo URL');
  if (chosen > 1) throw fail('BAD_INPUT', 'read from one place at a time: trace files, --jaeger or --tempo');
  if (files.length > 0) {
    return { source: pipeline.traceSource({ type: 'files', paths: files.map((f) => resolve(io.cwd, f)) }), query: { startUs: -Infinity, endUs: Infinity } };
  }
  const lookbackMs = pipeline.parseLookback(flags.lookback);
  const nowMs = Date.now();
  const query: TraceQuery = { startUs: (nowMs - lookbackMs) * 1000, endUs: nowMs * 1000 + 1, service: flags.service, query: flags.query };
  const source = flags.jaeger
    ? pipeline.traceSource({ type: 'jaeger', url: checkUrl('--jaeger', flags.jaeger), service: flags.service, lookback: flags.lookback, ...backendConnection(flags, io.cwd) })
    : pipeline.traceSource({ type: 'tempo', url: checkUrl('--tempo', flags.tempo!), query: flags.query, lookback: flags.lookback, ...backendConnection(flags, io.cwd) });
  return { source, query };
}

async function fromTraces(pipeline: Pipeline, files: string[], flags: GraphFlags, warnings: IngestWarnings, io: CliIO): Promise<GraphSnapshot> {
  const { source, query } = sourceFor(pipeline, files, flags, io);
  let next = PROGRESS_EVERY;
  io.err(`reading ${source.describe}`);
  const snap = await pipeline.buildGraph(source, query, warnings, ({ spans }) => {
    if (spans >= next) {
      io.err(`… ${spans.toLocaleString('en-US')} spans read`);
      next = (Math.floor(spans / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
    }
  });
  io.err(`read ${snap.spans.toLocaleString('en-US')} spans in ${snap.traces.toLocaleString('en-US')} traces`);
  return snap;
}

async function fromDependencyFiles(pipeline: Pipeline, files: string[], io: CliIO, flags: GraphFlags): Promise<GraphSnapshot> {
  if (flags.jaeger !== undefined && files.length === 0) {
    const jaeger = pipeline.traceSource({ type: 'jaeger', url: checkUrl('--jaeger', flags.jaeger), ...backendConnection(flags, io.cwd) });
    if (!(jaeger instanceof JaegerTraceSource)) throw fail('INTERNAL', 'the jaeger trace source is not a Jaeger client');
    io.err(`reading dependencies from ${jaeger.describe}`);
    return pipeline.graphFromDependencies(await jaeger.dependencies(Date.now(), pipeline.parseLookback(flags.lookback)));
  }
  if (files.length === 0) throw fail('BAD_INPUT', '--dependencies needs at least one file');
  const links: unknown[] = [];
  for (const f of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(resolve(io.cwd, f), 'utf8'));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw fail(e.code ? 'BAD_INPUT' : 'TRACE_FORMAT', `cannot read dependency list ${f}: ${e.code ?? e.message}`, { path: f });
    }
    const list = Array.isArray(doc) ? doc : (doc as { data?: unknown })?.data;
    if (!Array.isArray(list)) throw fail('TRACE_FORMAT', `${f} is not a dependency list ([{parent, child, callCount}] or {data: [...]})`, { path: f });
    links.push(...list);
  }
  return pipeline.graphFromDependencies(links);
}

function checkUrl(flag: string, raw: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw fail('BAD_INPUT', `${flag} must be an http(s) URL, got ${JSON.stringify(raw)}`, { flag });
  }
  return raw;
}
