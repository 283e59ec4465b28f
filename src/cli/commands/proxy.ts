/**
 * `faultline proxy`: run faultline's Toxiproxy-compatible fault proxy in the
 * foreground, optionally populated from a Toxiproxy `-config` style JSON
 * file (an array of {name, listen, upstream, enabled?}), until SIGINT,
 * SIGTERM or SIGHUP, then close every proxy cleanly: links dropped, toxics
 * removed and their timers cleared, so the process exits at once.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import type { ProxySpec } from '../../../base/proxy-spec.js';
import { startFaultProxy, type RunningFaultProxy } from '../../../runners/proxy/server.js';
import { renderTable } from '../table.js';
import { onStopSignals } from '../../shutdown.js';

/** Options of `faultline proxy`. */
interface ProxyOptions {
  host: string;
  port: string;
  config?: string;
  json?: boolean;
}

/** Read and shape-check a populate file; errors name the file and the offending entry. */
async function readPopulate(path: string): Promise<ProxySpec[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw fail('BAD_INPUT', `--config ${path}: ${(err as Error).message}`, { path }, err);
  }
  if (!Array.isArray(parsed)) throw fail('BAD_INPUT', `--config ${path}: expected a JSON array of proxies`, { path });
  parsed.forEach((p: unknown, i) => {
    const o = p as Record<string, unknown> | null;
    for (const key of ['name', 'listen', 'upstream']) {
      if (typeof o?.[key] !== 'string') throw fail('BAD_INPUT', `--config ${path}: [${i}].${key} must be a string`, { path, key: `[${i}].${key}` });
    }
  });
  return parsed as ProxySpec[];
}

/** Resolves on the first stop signal (SIGINT, SIGTERM or SIGHUP). */
function untilSignal(): Promise<string> {
  return new Promise((done) => {
    const off = onStopSignals((sig) => {
      off();
      done(sig);
    });
  });
}

/** Start the proxy server, report where it listens, serve until a signal. */
export async function runProxy(opts: ProxyOptions, io: CliIO, stop: Promise<string> = untilSignal()): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw fail('BAD_INPUT', `--port must be 0..65535, got ${opts.port}`);
  const config = opts.config ? await readPopulate(resolve(io.cwd, opts.config)) : undefined;
  const server: RunningFaultProxy = await startFaultProxy({ host: opts.host, port, config });
  const proxies = server.registry.list();
  if (opts.json) {
    io.out(JSON.stringify({ url: server.url, proxies: proxies.map(({ name, listen, upstream, enabled }) => ({ name, listen, upstream, enabled })) }));
  } else {
    io.out(`faultline proxy (Toxiproxy API) listening on ${server.url}`);
    if (proxies.length > 0) io.out(renderTable(['proxy', 'listen', 'upstream', 'enabled'], proxies.map((p) => [p.name, p.listen, p.upstream, String(p.enabled)])));
  }
  const sig = await stop;
  io.err(`${sig}: closing proxies`);
  await server.close();
}

/** Registers `faultline proxy`. */
export const registerProxy: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('proxy')
    .description('Run the Toxiproxy-compatible fault proxy until SIGINT, SIGTERM or SIGHUP')
    .option('--host <host>', 'API listen host', '127.0.0.1')
    .option('--port <port>', 'API listen port (0 picks a free one)', '8474')
    .option('--config <file>', 'populate JSON: [{name, listen, upstream, enabled?}]')
    .option('--json', 'print the listen address and proxies as JSON')
    .action((opts: ProxyOptions) => runProxy(opts, io));
};
