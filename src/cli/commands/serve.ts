/**
 * `faultline serve`: the REST API, the OTLP receiver and the sweep scheduler
 * in one process (src/server.ts). Logs are pino JSON on stdout; SIGTERM,
 * SIGINT and SIGHUP shut down gracefully (runs drained or cancelled, every
 * active toxic removed, src/shutdown.ts).
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';

interface ServeFlags {
  manifest?: string;
  host?: string;
  port?: string;
  dataDir?: string;
}

async function serve(flags: ServeFlags, io: CliIO): Promise<void> {
  const base = io.config(flags.dataDir ? { dataDir: resolve(io.cwd, flags.dataDir) } : undefined);
  let port = base.api.port;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw fail('BAD_INPUT', `--port must be an integer 0-65535, got ${JSON.stringify(flags.port)}`);
  }
  const config = { ...base, api: { ...base.api, port, host: flags.host ?? base.api.host } };
  const manifestPath = flags.manifest ? resolve(io.cwd, flags.manifest) : undefined;
  // Loaded here, not at the top: the server pulls in the OpenTelemetry SDK,
  // about half of every other command's start-up time (bench/startup.ts).
  const { startServer } = await import('../../server.js');
  const server = await startServer(config, { manifestPath, baseDir: manifestPath ? dirname(manifestPath) : io.cwd, handleSignals: true });
  io.err(`faultline API at ${server.url} (OpenAPI at ${server.url}/docs)`);
  // Keep running until a signal: startServer's handlers stop and exit.
  await new Promise<void>(() => {});
}

/** Register `faultline serve`. */
export const registerServe: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('serve')
    .description('Serve the REST API (/v1, OpenAPI at /docs), the OTLP receiver (POST /v1/traces) and scheduled sweeps')
    .option('--manifest <path>', 'faultline.yaml used for plans and sweeps when a request brings none')
    .option('--host <host>', 'listen address (default FAULTLINE_HOST or 127.0.0.1)')
    .option('--port <port>', 'listen port (default FAULTLINE_PORT or 4318)')
    .option('--data-dir <dir>', 'where plans, runs, findings and sweeps are kept (default FAULTLINE_DATA_DIR or .faultline)')
    .action((flags: ServeFlags) => serve(flags, io));
};
