/**
 * `faultline collect --for 60s --out traces.jsonl`: receive OTLP for a
 * while (faultline's receiver, the same one `serve` mounts) and write what
 * arrives as OTLP JSON lines, which `faultline graph` and `plan` read back.
 * Progress (spans and traces so far, time left) goes to stderr; Ctrl-C
 * stops early and keeps what was received. `plan` and `run` use
 * {@link receiveFor} to collect from a manifest with `traces: {type: otlp}`.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../../base/errors.js';
import { toOtlpJson } from '../../../ingest/otlp-json-encode.js';
import type { Span } from '../../../ingest/span.js';
import { SpanStore } from '../../../ingest/span-store.js';
import type { Config } from '../../config.js';
import { realPipeline } from '../../real-pipeline.js';
import { listenOtlp } from '../../wiring/otlp-listener.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { otlpAddress } from './otlp-flags.js';

interface CollectFlags {
  for: string;
  out: string;
  port?: string;
}

/** A span store that also hands every accepted batch to `tap` (the file writer, the counters). */
class TappedStore extends SpanStore {
  constructor(retainSpans: number, private readonly tap: (spans: Span[]) => void) {
    super(retainSpans);
  }

  override add(spans: Span[]): void {
    super.add(spans);
    if (spans.length > 0) this.tap(spans);
  }
}

/** What {@link receiveFor} needs. */
export interface ReceiveOptions {
  config: Config;
  address: { host: string; port: number };
  forMs: number;
  io: CliIO;
  /** Where the spans go (a SpanStore to build a graph from, or a TappedStore writing a file). */
  store: SpanStore;
}

/** Spans and distinct traces received. */
export interface Received {
  spans: number;
  traces: number;
}

/** Receive OTLP into `store` for `forMs` (or until SIGINT), printing progress. */
export async function receiveFor(o: ReceiveOptions): Promise<Received> {
  const traceIds = new Set<string>();
  let spans = 0;
  const counting = new TappedStore(1, (batch) => {
    spans += batch.length;
    for (const s of batch) traceIds.add(s.traceId);
    o.store.add(batch);
  });
  const listener = await listenOtlp({ ...o.address, store: counting, limits: { ...o.config.api, ...o.config.ingest } });
  const seconds = Math.round(o.forMs / 1000);
  o.io.err(`receiving OTLP at ${listener.url}/v1/traces for ${seconds} s: set OTEL_EXPORTER_OTLP_ENDPOINT=${listener.url} on your services and send traffic (Ctrl-C stops early)`);
  const started = Date.now();
  const everyMs = Math.min(5000, Math.max(1000, Math.round(o.forMs / 4)));
  try {
    await new Promise<void>((done) => {
      const finish = () => {
        clearInterval(ticker);
        clearTimeout(timer);
        process.off('SIGINT', finish);
        done();
      };
      const ticker = setInterval(() => {
        const left = Math.max(0, Math.round((o.forMs - (Date.now() - started)) / 1000));
        o.io.err(`… ${spans.toLocaleString('en-US')} spans in ${traceIds.size.toLocaleString('en-US')} traces, ${left} s left`);
      }, everyMs);
      const timer = setTimeout(finish, o.forMs);
      process.once('SIGINT', finish);
    });
  } finally {
    await listener.close();
  }
  return { spans, traces: traceIds.size };
}

/** Append each batch as one OTLP JSON line; resolves once the file is flushed. */
function lineWriter(path: string): { write(spans: Span[]): void; close(): Promise<void> } {
  const stream: WriteStream = createWriteStream(path, { flags: 'w' });
  let error: Error | undefined;
  stream.on('error', (err) => (error = err));
  return {
    write: (spans) => void stream.write(`${JSON.stringify(toOtlpJson(spans))}\n`),
    close: () =>
      new Promise((done, reject) => {
        stream.end(() => (error ? reject(fail('BAD_INPUT', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, { path })) : done()));
      }),
  };
}

async function collect(flags: CollectFlags, io: CliIO): Promise<void> {
  const config = io.config();
  const forMs = realPipeline().parseLookback(flags.for);
  const address = otlpAddress(config, '--port', flags.port);
  const out = resolve(io.cwd, flags.out);
  const writer = lineWriter(out);
  let received: Received;
  try {
    // Nothing is kept in memory: every batch goes straight to the file.
    received = await receiveFor({ config, address, forMs, io, store: new TappedStore(1, (spans) => writer.write(spans)) });
  } finally {
    await writer.close();
  }
  if (received.spans === 0) io.err(`warning: no spans arrived; is OTEL_EXPORTER_OTLP_ENDPOINT pointing at port ${address.port}?`);
  io.out(`wrote ${received.spans.toLocaleString('en-US')} spans in ${received.traces.toLocaleString('en-US')} traces to ${flags.out}`);
}

/** Register `faultline collect`. */
export const registerCollect: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('collect')
    .description('Receive OTLP traces for a while and write them as OTLP JSON lines (for faultline graph / plan)')
    .requiredOption('--for <duration>', 'how long to listen, e.g. 60s, 5m')
    .requiredOption('--out <file>', 'where to write the OTLP JSON lines (e.g. traces.jsonl)')
    .option('--port <port>', 'OTLP/HTTP port to listen on (default FAULTLINE_PORT or 4318; host FAULTLINE_HOST)')
    .action((flags: CollectFlags) => collect(flags, io));
};
