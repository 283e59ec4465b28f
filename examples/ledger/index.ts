/**
 * Starting the ledger system: Redis, an OTLP receiver and the fault proxy
 * (each only when not given), one proxy per link (topology.ts), then the
 * four services as child processes, in parallel, with the demo shop's
 * launcher pieces (examples/demo/launch). `stop()` undoes everything it
 * started, and a failed start undoes what it had started before rethrowing.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../generators/manifest.js';
import { SpanStore } from '../../ingest/span-store.js';
import { settledOrThrow } from '../demo/launch/settled.js';
import { startProxy, startReceiver, startRedis } from '../demo/launch/backing.js';
import { createProxies, removeProxies, retargetProxies } from '../demo/launch/proxies.js';
import { startServiceChild, type ServiceChild } from '../demo/launch/service-child.js';
import { throughProxy } from '../demo/topology.js';
import { formatLedgerBugs, parseLedgerBugs, type LedgerBug } from './bugs.js';
import { LEDGER_LINKS, LEDGER_SERVICES, type LedgerService } from './topology.js';
import { ledgerManifest } from './manifest.js';

/** Options of startLedger. */
export interface LedgerOptions {
  /** Planted bugs to switch on: a list, `all` (default) or `none`. */
  bugs?: readonly string[] | 'all' | 'none';
  /** Redis to use (a `/N` path picks the database); absent starts a private redis-server on a free port. */
  redisUrl?: string;
  /** OTLP/HTTP base URL the services export to; absent starts a receiver (and `store`). */
  otlpEndpoint?: string;
  /** Toxiproxy-compatible API; absent starts faultline's fault proxy in-process. */
  proxyUrl?: string;
  /** Progress and service output, one line at a time. */
  log?: (line: string) => void;
  /** Spans the built-in receiver keeps (default 200,000). */
  retainSpans?: number;
}

/** A running ledger system. */
export interface RunningLedger {
  /** bank-api's base URL: where customers' requests go. */
  bankApiUrl: string;
  proxyUrl: string;
  otlpEndpoint: string;
  store?: SpanStore;
  bugs: LedgerBug[];
  /** faultline.yaml pointed at this run's ports, validated. */
  manifest: Manifest;
  serviceUrl(service: LedgerService): string;
  stop(): Promise<void>;
}

/** Upstream of a service proxy until the service has reported its port (nothing listens on port 1). */
const UNSET_UPSTREAM = '127.0.0.1:1';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Compiled (faultline run from dist/), the services are .js beside this module; from source, .ts.
const serviceFile = (name: LedgerService) => fileURLToPath(new URL(`./services/${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Start the ledger system; resolves once every service answers. */
export async function startLedger(opts: LedgerOptions = {}): Promise<RunningLedger> {
  const log = opts.log ?? (() => undefined);
  const bugs = parseLedgerBugs(opts.bugs === 'all' ? undefined : opts.bugs);
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err) => log(`cleanup failed: ${(err as Error).message}`));
  };

  try {
    const [receiver, proxyUrl, redisUrl] = settledOrThrow(await Promise.allSettled([startReceiver(opts, cleanups), startProxy(opts, cleanups), startRedis(opts, cleanups)]));
    log(`receiver ${receiver.endpoint}, proxy ${proxyUrl}, redis ${redisUrl}, bugs ${formatLedgerBugs(bugs)}`);

    // Proxies first (port 0), services told the proxies' addresses, proxies
    // pointed at the services once their ports are known.
    const redis = new URL(redisUrl);
    const redisHostPort = `${redis.hostname}:${redis.port || 6379}`;
    const proxies = await createProxies(proxyUrl, LEDGER_LINKS.map((l) => ({ name: l.proxy, upstream: l.target === 'redis' ? redisHostPort : UNSET_UPSTREAM })));
    if (opts.proxyUrl) cleanups.push(() => removeProxies(proxyUrl, LEDGER_LINKS.map((l) => l.proxy)));
    const listenOf = (proxy: string) => {
      const p = proxies.find((x) => x.name === proxy);
      if (!p) throw new Error(`proxy ${proxy} was not created`);
      return p.listen;
    };
    const envOf = (service: LedgerService): Record<string, string> => {
      const env: Record<string, string> = { PORT: '0', OTLP_ENDPOINT: receiver.endpoint, LEDGER_BUGS: formatLedgerBugs(bugs) };
      for (const link of LEDGER_LINKS) {
        if (link.caller === service) env[link.env] = throughProxy(link.target === 'redis' ? redisUrl : 'http://127.0.0.1:0', listenOf(link.proxy));
      }
      return env;
    };

    const started = await Promise.allSettled(LEDGER_SERVICES.map((name) => startServiceChild({
      name, file: serviceFile(name), cwd: REPO_ROOT, env: envOf(name), log, readyTimeoutMs: 120_000,
    })));
    const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    cleanups.push(async () => { await Promise.all(running.map((s) => s.stop())); });
    settledOrThrow(started);
    const processes = Object.fromEntries(running.map((s) => [s.name, s])) as Record<LedgerService, ServiceChild>;
    await retargetProxies(proxyUrl, LEDGER_LINKS.filter((l) => l.target !== 'redis').map((l) => ({ name: l.proxy, upstream: `127.0.0.1:${processes[l.target as LedgerService].port}` })));

    const serviceUrl = (s: LedgerService) => `http://127.0.0.1:${processes[s].port}`;
    const services = Object.fromEntries(LEDGER_SERVICES.map((s) => [s, serviceUrl(s)])) as Record<LedgerService, string>;
    const manifest = ledgerManifest({
      services,
      toxiproxyUrl: proxyUrl,
      proxies: Object.fromEntries(LEDGER_LINKS.map((l) => {
        const listen = listenOf(l.proxy);
        return [l.proxy, { listen: `${listen.host}:${listen.port}`, upstream: l.target === 'redis' ? redisHostPort : services[l.target].replace(/^http:\/\//, '') }];
      })),
    });
    log(`ledger ready: bank-api ${services['bank-api']}`);

    let stopping: Promise<void> | undefined;
    return {
      bankApiUrl: services['bank-api'],
      proxyUrl,
      otlpEndpoint: receiver.endpoint,
      ...(receiver.store ? { store: receiver.store } : {}),
      bugs,
      manifest,
      serviceUrl,
      stop: () => (stopping ??= unwind()),
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
