/**
 * `faultline proxies suggest`: one proxy per graph edge, as manifest
 * `proxies:` YAML (or JSON) and optionally Toxiproxy populate JSON, so every
 * risky call can be faulted. Upstreams come from the traces' server
 * addresses; edges without one get a TODO upstream, listed on stderr.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import type { TraceSource } from '../../../ingest/trace-source.js';
import { IngestWarnings } from '../../../ingest/warnings.js';
import { suggestProxies } from '../../../generators/proxy-suggest.js';
import type { ManifestProxy } from '../../../generators/manifest.js';
import { matchProxyEdges } from '../../../graph/proxy-edges.js';
import type { CliIO, RegisterCommand } from '../command.js';
import { fail } from '../../../base/errors.js';
import { renderTable } from '../table.js';
import { realPipeline } from '../../real-pipeline.js';

interface SuggestFlags {
  manifest?: string;
  json?: boolean;
  populate?: string;
  listenHost: string;
  basePort: string;
}

/** Register `faultline proxies` (subcommand `suggest`). */
export const registerProxies: RegisterCommand = (program: Command, io: CliIO) => {
  const proxies = program.command('proxies').description('Work with the proxies that carry graph edges');
  proxies
    .command('suggest')
    .description('Suggest a proxy for every edge seen in the traces (manifest proxies: and Toxiproxy populate JSON)')
    .argument('[files...]', 'trace files (instead of --manifest)')
    .option('--manifest <file>', 'read traces from the manifest\'s source; edges that already have a proxy are skipped')
    .option('--json', 'print the suggestion as JSON')
    .option('--populate <file>', 'also write Toxiproxy populate JSON to this file')
    .option('--listen-host <host>', 'host the proxies listen on', '127.0.0.1')
    .option('--base-port <port>', 'first listen port', '21000')
    .action(async (files: string[], flags: SuggestFlags) => {
      const basePort = Number(flags.basePort);
      if (!Number.isInteger(basePort) || basePort < 1 || basePort > 65535) throw fail('BAD_INPUT', `--base-port must be a port number, got ${JSON.stringify(flags.basePort)}`, { flag: '--base-port' });
      if ((files.length > 0) === (flags.manifest !== undefined)) throw fail('BAD_INPUT', 'give either trace files or --manifest');
      const pipeline = realPipeline();
      let source: TraceSource;
      let existing: ManifestProxy[] = [];
      if (flags.manifest !== undefined) {
        // The pipeline resolves the manifest's trace files against its folder.
        const m = await pipeline.loadManifest(resolve(io.cwd, flags.manifest));
        source = pipeline.traceSource(m.traces);
        existing = m.proxies;
      } else {
        source = pipeline.traceSource({ type: 'files', paths: files.map((f) => resolve(io.cwd, f)) });
      }
      io.err(`reading ${source.describe}`);
      const snapshot = await pipeline.buildGraph(source, { startUs: -Infinity, endUs: Infinity }, new IngestWarnings());
      // Existing proxies are matched to traced edges by the names their authors used (graph/proxy-edges.ts).
      const skipEdges = new Set(existing.flatMap((p) => [`${p.edge.from}->${p.edge.to}`, ...matchProxyEdges(snapshot, p).edges]));
      const suggestion = suggestProxies(snapshot, { listenHost: flags.listenHost, basePort, skipEdges, knownProxies: existing });
      if (flags.populate) {
        try {
          await writeFile(resolve(io.cwd, flags.populate), `${JSON.stringify(suggestion.populate, null, 2)}\n`);
        } catch (err) {
          throw fail('BAD_INPUT', `cannot write ${flags.populate}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { path: flags.populate });
        }
        io.err(`wrote ${flags.populate}`);
      }
      for (const t of suggestion.todo) io.err(`TODO ${t.proxy}: ${t.reason}`);
      for (const l of suggestion.logical) io.err(`no proxy for ${l.edge}: ${l.reason}`);
      for (const m of existing.map((p) => matchProxyEdges(snapshot, p)).filter((x) => x.edges.length === 0)) {
        io.err(`proxy ${m.proxy} matches no traced edge: ${m.reason}${m.candidates.length > 0 ? `; nearest: ${m.candidates.join(', ')}` : ''}`);
      }
      if (flags.json) {
        io.out(JSON.stringify(suggestion, null, 2));
        return;
      }
      io.out(renderTable(['Proxy', 'Edge', 'Listen', 'Upstream'], suggestion.proxies.map((p) => [p.name, `${p.edge.from}->${p.edge.to}`, p.listen, p.upstream])));
      io.out('');
      io.out('# add to faultline.yaml (point each caller at its proxy\'s listen address):');
      io.out(toYaml({ proxies: suggestion.proxies }).trimEnd());
    });
};
