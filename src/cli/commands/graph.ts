/**
 * `faultline graph`: read traces (files, Jaeger or Tempo), build the
 * interaction graph, rank its risks and print them — or export the graph
 * as JSON, Mermaid or DOT. Progress and warnings go to stderr so stdout
 * stays a clean document with `--json`/`--mermaid`/`--dot`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildGraph } from '../../../graph/builder.js';
import { graphFromDependencies } from '../../../graph/dependency-list.js';
import { toDot } from '../../../graph/dot.js';
import { exportJson } from '../../../graph/export-json.js';
import { toMermaid } from '../../../graph/mermaid.js';
import type { GraphSnapshot } from '../../../graph/model.js';
import { rankRisks } from '../../../graph/risk.js';
import { FileTraceSource } from '../../../ingest/file-source.js';
import { JaegerTraceSource } from '../../../ingest/jaeger-client.js';
import { parseLookback } from '../../../ingest/source-factory.js';
import { TempoTraceSource } from '../../../ingest/tempo-client.js';
import type { TraceQuery, TraceSource } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { riskTable, summaryLine } from './graph-report.js';
import { numericFlag, POSITIVE_INTEGER } from '../numeric-flag.js';

interface GraphFlags {
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
}

/** Print a progress line every this many spans (and once at the end). */
const PROGRESS_EVERY = 100_000;

/** Register `faultline graph`. */
export const registerGraph: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('graph')
    .description('Build the interaction graph from traces and rank the riskiest edges and paths')
    .argument('[files...]', 'trace files (OTLP JSON/protobuf, Jaeger JSON, Tempo JSON; gzip ok)')
    .option('--jaeger <url>', 'read from Jaeger query at this URL')
    .option('--tempo <url>', 'read from Tempo at this URL')
    .option('--service <name>', 'only traces touching this service (Jaeger)')
    .option('--query <traceql>', 'TraceQL selecting traces (Tempo)')
    .option('--lookback <duration>', 'how far back to read from Jaeger/Tempo, e.g. 1h, 7d', '1h')
    .option('--dependencies', 'the files are Jaeger dependency lists ([{parent, child, callCount}])')
    .option('--top <n>', 'rows in the risk table', '10')
    .option('--json', 'print the graph and ranking as JSON')
    .option('--mermaid', 'print the graph as a Mermaid flowchart')
    .option('--dot', 'print the graph as Graphviz DOT')
    .option('--out <file>', 'write the JSON (or --mermaid/--dot) document to this file and print the table')
    .action(async (files: string[], flags: GraphFlags) => {
      const top = numericFlag('--top', flags.top, POSITIVE_INTEGER);
      if ([flags.json, flags.mermaid, flags.dot].filter(Boolean).length > 1) throw fail('BAD_INPUT', 'choose one of --json, --mermaid, --dot');
      const warnings = new IngestWarnings();
      const snap = flags.dependencies ? await fromDependencyFiles(files, io) : await fromTraces(files, flags, warnings, io);
      const ranking = rankRisks(snap);
      for (const [reason, n] of Object.entries(snap.warnings)) io.err(`warning: ${n}× ${reason}`);

      const document = flags.mermaid ? toMermaid(snap, { ranking }) : flags.dot ? toDot(snap, { ranking }) : exportJson(snap, ranking);
      if (flags.out) {
        const path = resolve(io.cwd, flags.out);
        try {
          await writeFile(path, document);
        } catch (err) {
          throw fail('BAD_INPUT', `cannot write ${flags.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path: flags.out });
        }
        io.err(`wrote ${flags.out}`);
      } else if (flags.json || flags.mermaid || flags.dot) {
        io.out(document.replace(/\n$/, ''));
        return;
      }
      io.out(riskTable(ranking, top));
      io.out(summaryLine(snap));
    });
};

function sourceFor(files: string[], flags: GraphFlags, io: CliIO): { source: TraceSource; query: TraceQuery } {
  const chosen = [files.length > 0, flags.jaeger !== undefined, flags.tempo !== undefined].filter(Boolean).length;
  if (chosen === 0) throw fail('BAD_INPUT', 'give trace files, --jaeger URL or --tempo URL');
  if (chosen > 1) throw fail('BAD_INPUT', 'read from one place at a time: trace files, --jaeger or --tempo');
  if (files.length > 0) {
    return { source: new FileTraceSource(files.map((f) => resolve(io.cwd, f))), query: { startUs: -Infinity, endUs: Infinity } };
  }
  const lookbackMs = parseLookback(flags.lookback);
  const nowMs = Date.now();
  const query: TraceQuery = { startUs: (nowMs - lookbackMs) * 1000, endUs: nowMs * 1000 + 1, service: flags.service, query: flags.query };
  const source = flags.jaeger
    ? new JaegerTraceSource({ url: checkUrl('--jaeger', flags.jaeger), service: flags.service, lookbackMs })
    : new TempoTraceSource({ url: checkUrl('--tempo', flags.tempo!), query: flags.query, lookbackMs });
  return { source, query };
}

async function fromTraces(files: string[], flags: GraphFlags, warnings: IngestWarnings, io: CliIO): Promise<GraphSnapshot> {
  const { source, query } = sourceFor(files, flags, io);
  let next = PROGRESS_EVERY;
  io.err(`reading ${source.describe}`);
  const snap = await buildGraph(source, query, warnings, ({ spans }) => {
    if (spans >= next) {
      io.err(`… ${spans.toLocaleString('en-US')} spans read`);
      next = (Math.floor(spans / PROGRESS_EVERY) + 1) * PROGRESS_EVERY;
    }
  });
  io.err(`read ${snap.spans.toLocaleString('en-US')} spans in ${snap.traces.toLocaleString('en-US')} traces`);
  return snap;
}

async function fromDependencyFiles(files: string[], io: CliIO): Promise<GraphSnapshot> {
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
  return graphFromDependencies(links);
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
