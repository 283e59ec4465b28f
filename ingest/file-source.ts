/**
 * Trace files as a TraceSource: each file is read (gzip recognised by its
 * magic bytes), its format detected from content, and its spans yielded as
 * one batch, filtered by the query.
 *
 * Behaviour on bad files: an unreadable path (missing, permission) always
 * fails with BAD_INPUT naming it — that is a typo, not messy data. A file
 * whose content cannot be used (truncated JSON, unknown format) fails with
 * TRACE_FORMAT naming the file when it is the only file; with several
 * files it is counted as `skipped file <name>: <reason>` and the rest are
 * still read, unless every file was skipped.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fail, isFaultlineError } from '../base/errors.js';
import { spansFromDocument } from './format.js';
import type { Span } from './span.js';
import { SpanFilter } from './span-filter.js';
import type { TraceQuery, TraceSource } from './trace-source.js';
import type { IngestWarnings } from './warnings.js';
import { groupedByTrace, holdsWholeTraces, markWholeTraces } from './whole-traces.js';

/** Reads trace files (OTLP JSON/JSONL/protobuf, Jaeger JSON, Tempo JSON; optionally gzipped). */
export class FileTraceSource implements TraceSource {
  readonly describe: string;

  constructor(private readonly paths: string[]) {
    if (paths.length === 0) throw fail('BAD_INPUT', 'no trace files given');
    this.describe = paths.length === 1 ? `file ${paths[0]}` : `files ${paths.length} (${paths.map((p) => basename(p)).join(', ')})`;
  }

  async *read(query: TraceQuery, warnings: IngestWarnings, signal?: AbortSignal): AsyncIterable<Span[]> {
    const filter = new SpanFilter(query);
    let skipped = 0;
    for (const path of this.paths) {
      if (signal?.aborted || filter.full) return;
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw fail('BAD_INPUT', `cannot read trace file ${path}: ${code}`, { path, code }, err);
      }
      let spans: Span[];
      try {
        spans = spansFromDocument(bytes, warnings);
      } catch (err) {
        if (!isFaultlineError(err, 'TRACE_FORMAT')) throw err;
        if (this.paths.length === 1) {
          throw fail('TRACE_FORMAT', `file ${path}: ${err.message}`, { ...err.details, path }, err);
        }
        warnings.add(`skipped file ${basename(path)}: ${err.message}`);
        skipped++;
        continue;
      }
      let kept = filter.apply(spans);
      // A single file is the whole read: grouped by trace, its spans need no
      // assembly window, whatever order the exporter wrote them in. Across
      // files a trace may continue, so only formats that hold whole traces
      // (Jaeger's trace objects) keep their mark, and only uncut.
      if (this.paths.length === 1) kept = groupedByTrace(kept);
      else if (holdsWholeTraces(spans) && !filter.cutsTraces) markWholeTraces(kept);
      if (kept.length > 0) yield kept;
    }
    if (skipped === this.paths.length) {
      throw fail('TRACE_FORMAT', `none of the ${skipped} trace files could be used (see warnings)`, { paths: this.paths });
    }
  }
}
