/**
 * Starting the clinic system: PostgreSQL, Redis, an OTLP receiver and the
 * fault proxy (each only when not given), one proxy per link (topology.ts),
 * then the four services as child processes, in parallel, with the demo
 * shop's launcher pieces (examples/demo/launch). `stop()` undoes everything
 * it started, and a failed start undoes what it had started before
 * rethrowing.
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
import { formatClinicBugs, parseClinicBugs, type ClinicBug } from './bugs.js';
import { CLINIC_LINKS, CLINIC_SERVICES, type ClinicService } from './topology.js';
import { clinicManifest } from './manifest.js';
import { ensurePostgres } from './postgres-server.js';

/** Options of startClinic. */
export interface ClinicOptions {
  /** Planted bugs to switch on: a list, `all` (default) or `none`. */
  bugs?: readonly string[] | 'all' | 'none';
  /** PostgreSQL database to use (`postgres://user@host:port/db`, the database must exist); absent starts a private cluster. */
  postgresUrl?: string;
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

/** A running clinic system. */
export interface RunningClinic {
  /** front-desk's base URL: where the desk, the app and the screens call. */
  frontDeskUrl: string;
  proxyUrl: string;
  otlpEndpoint: string;
  /** The database the services use (direct, not through a proxy). */
  postgresUrl: string;
  redisUrl: string;
  store?: SpanStore;
  bugs: ClinicBug[];
  /** faultline.yaml pointed at this run's ports, validated. */
  manifest: Manifest;
  serviceUrl(service: ClinicService): string;
  stop(): Promise<void>;
}

/** Upstream of a service proxy until the service has reported its port (nothing listens on port 1). */
const UNSET_UPSTREAM = '127.0.0.1:1';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Compiled (faultline run from dist/), the services are .js beside this module; from source, .ts.
const serviceFile = (name: ClinicService) => fileURLToPath(new URL(`./services/${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Start the clinic system; resolves once every service answers. */
export async function startClinic(opts: ClinicOptions = {}): Promise<RunningClinic> {
  const log = opts.log ?? (() => undefined);
  const bugs = parseClinicBugs(opts.bugs === 'all' ? undefined : opts.bugs);
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err) => log(`cleanup failed: ${(err as Error).message}`));
  };

  try {
    const startPostgres = async () => {
      const db = await ensurePostgres(opts.postgresUrl);
      cleanups.push(() => db.stop());
      return db;
    };
    const [receiver, proxyUrl, redisUrl, postgres] = settledOrThrow(await Promise.allSettled([startReceiver(opts, cleanups), startProxy(opts, cleanups), startRedis(opts, cleanups), startPostgres()]));
    log(`receiver ${receiver.endpoint}, proxy ${proxyUrl}, redis ${redisUrl}, postgres ${postgres.url}, bugs ${formatClinicBugs(bugs)}`);

    // Proxies first (port 0), services told the proxies' addresses, proxies
    // pointed at the services once their ports are known.
    const redis = new URL(redisUrl);
    const redisHostPort = `${redis.hostname}:${redis.port || 6379}`;
    const postgresHostPort = `${postgres.host}:${postgres.port}`;
    const fixedUpstream = (target: string) => (target === 'redis' ? redisHostPort : target === 'postgres' ? postgresHostPort : undefined);
    const proxies = await createProxies(proxyUrl, CLINIC_LINKS.map((l) => ({ name: l.proxy, upstream: fixedUpstream(l.target) ?? UNSET_UPSTREAM })));
    if (opts.proxyUrl) cleanups.push(() => removeProxies(proxyUrl, CLINIC_LINKS.map((l) => l.proxy)));
    const listenOf = (proxy: string) => {
      const p = proxies.find((x) => x.name === proxy);
      if (!p) throw new Error(`proxy ${proxy} was not created`);
      return p.listen;
    };
    const targetUrl = (target: string) => (target === 'redis' ? redisUrl : target === 'postgres' ? postgres.url : 'http://127.0.0.1:0');
    const envOf = (service: ClinicService): Record<string, string> => {
      const env: Record<string, string> = { PORT: '0', OTLP_ENDPOINT: receiver.endpoint, CLINIC_BUGS: formatClinicBugs(bugs) };
      for (const link of CLINIC_LINKS) {
        if (link.caller === service) env[link.env] = throughProxy(targetUrl(link.target), listenOf(link.proxy));
      }
      return env;
    };

    const started = await Promise.allSettled(CLINIC_SERVICES.map((name) => startServiceChild({
      name, file: serviceFile(name), cwd: REPO_ROOT, env: envOf(name), log, readyTimeoutMs: 120_000,
    })));
    const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    cleanups.push(async () => { await Promise.all(running.map((s) => s.stop())); });
    settledOrThrow(started);
    const processes = Object.fromEntries(running.map((s) => [s.name, s])) as Record<ClinicService, ServiceChild>;
    await retargetProxies(proxyUrl, CLINIC_LINKS.filter((l) => fixedUpstream(l.target) === undefined).map((l) => ({ name: l.proxy, upstream: `127.0.0.1:${processes[l.target as ClinicService].port}` })));

    const serviceUrl = (s: ClinicService) => `http://127.0.0.1:${processes[s].port}`;
    const services = Object.fromEntries(CLINIC_SERVICES.map((s) => [s, serviceUrl(s)])) as Record<ClinicService, string>;
    const manifest = clinicManifest({
      services,
      toxiproxyUrl: proxyUrl,
      proxies: Object.fromEntries(CLINIC_LINKS.map((l) => {
        const listen = listenOf(l.proxy);
        return [l.proxy, { listen: `${listen.host}:${listen.port}`, upstream: fixedUpstream(l.target) ?? services[l.target as ClinicService].replace(/^http:\/\//, '') }];
      })),
    });
    log(`clinic ready: front-desk ${services['front-desk']}`);

    let stopping: Promise<void> | undefined;
    return {
      frontDeskUrl: services['front-desk'],
      proxyUrl,
      otlpEndpoint: receiver.endpoint,
      postgresUrl: postgres.url,
      redisUrl,
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
