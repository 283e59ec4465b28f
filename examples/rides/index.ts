/**
 * Starting the ride-hailing system: Redis, an OTLP receiver and the fault
 * proxy (each only when not given), one proxy per link (topology.ts), then
 * the five services as supervised child processes, in parallel. `stop()`
 * undoes everything it started, and a failed start undoes what it had
 * started before rethrowing.
 */
import { settledOrThrow } from '../demo/launch/settled.js';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../generators/manifest.js';
import { SpanStore } from '../../ingest/span-store.js';
import { startProxy, startReceiver, startRedis } from '../demo/launch/backing.js';
import { createProxies, removeProxies, retargetProxies } from '../demo/launch/proxies.js';
import { throughProxy } from '../demo/topology.js';
import { formatRidesBugs, parseRidesBugs, type RidesBug } from './bugs.js';
import { RIDES_LINKS, RIDES_SERVICES, type RidesService } from './topology.js';
import { supervise, type SupervisedService } from './launch/supervisor.js';
import { ridesManifest } from './manifest.js';

/** Options of startRides. */
export interface RidesOptions {
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

/** A running rides system. */
export interface RunningRides {
  /** rider-api's base URL: where riders' requests go. */
  riderApiUrl: string;
  proxyUrl: string;
  otlpEndpoint: string;
  /** The built-in receiver's store, when this launcher started the receiver. */
  store?: SpanStore;
  bugs: RidesBug[];
  /** faultline.yaml pointed at this run's ports, validated. */
  manifest: Manifest;
  /** Current base URL of each service (a restarted service has a new port). */
  serviceUrl(service: RidesService): string;
  /** The supervised processes (pid, crash count). */
  processes: Record<RidesService, SupervisedService>;
  stop(): Promise<void>;
}

/** Upstream of a service proxy until the service has reported its port (nothing listens on port 1). */
const UNSET_UPSTREAM = '127.0.0.1:1';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Compiled (faultline run from dist/), the services are .js beside this module; from source, .ts.
const serviceFile = (name: RidesService) => fileURLToPath(new URL(`./services/${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Start the ride-hailing system; resolves once every service answers. */
export async function startRides(opts: RidesOptions = {}): Promise<RunningRides> {
  const log = opts.log ?? (() => undefined);
  const bugs = parseRidesBugs(opts.bugs === 'all' ? undefined : opts.bugs);
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err) => log(`cleanup failed: ${(err as Error).message}`));
  };

  try {
    // allSettled, not all: a failure must not unwind while a sibling is still starting.
    const [receiver, proxyUrl, redisUrl] = settledOrThrow(await Promise.allSettled([startReceiver(opts, cleanups), startProxy(opts, cleanups), startRedis(opts, cleanups)]));
    log(`receiver ${receiver.endpoint}, proxy ${proxyUrl}, redis ${redisUrl}, bugs ${formatRidesBugs(bugs)}`);

    // Proxies first (port 0), services told the proxies' addresses, proxies
    // pointed at the services once their ports are known — a port picked in
    // advance could be taken before the service binds it.
    const redis = new URL(redisUrl);
    const redisHostPort = `${redis.hostname}:${redis.port || 6379}`;
    const proxies = await createProxies(proxyUrl, RIDES_LINKS.map((l) => ({ name: l.proxy, upstream: l.target === 'redis' ? redisHostPort : UNSET_UPSTREAM })));
    if (opts.proxyUrl) cleanups.push(() => removeProxies(proxyUrl, RIDES_LINKS.map((l) => l.proxy)));
    const listenOf = (proxy: string) => {
      const p = proxies.find((x) => x.name === proxy);
      if (!p) throw new Error(`proxy ${proxy} was not created`);
      return p.listen;
    };

    const envOf = (service: RidesService): Record<string, string> => {
      const env: Record<string, string> = { PORT: '0', OTLP_ENDPOINT: receiver.endpoint, RIDES_BUGS: formatRidesBugs(bugs) };
      for (const link of RIDES_LINKS) {
        if (link.caller === service) env[link.env] = throughProxy(link.target === 'redis' ? redisUrl : 'http://127.0.0.1:0', listenOf(link.proxy));
      }
      return env;
    };
    /** Point every proxy in front of `service` at its current port. */
    const retarget = (service: RidesService, port: number) =>
      retargetProxies(proxyUrl, RIDES_LINKS.filter((l) => l.target === service).map((l) => ({ name: l.proxy, upstream: `127.0.0.1:${port}` })));

    const started = await Promise.allSettled(RIDES_SERVICES.map((name) => supervise({
      name, file: serviceFile(name), cwd: REPO_ROOT, env: envOf(name), log,
      // Five services compiling at once on a busy 2-core CI machine took over 60 s.
      readyTimeoutMs: 120_000,
      onRestart: (port) => retarget(name, port),
    })));
    const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    cleanups.push(async () => { await Promise.all(running.map((s) => s.stop())); });
    settledOrThrow(started);
    const processes = Object.fromEntries(running.map((s) => [s.name, s])) as Record<RidesService, SupervisedService>;
    await Promise.all(RIDES_SERVICES.map((s) => retarget(s, processes[s].port)));

    const serviceUrl = (s: RidesService) => `http://127.0.0.1:${processes[s].port}`;
    const services = Object.fromEntries(RIDES_SERVICES.map((s) => [s, serviceUrl(s)])) as Record<RidesService, string>;
    const manifest = ridesManifest({
      services,
      toxiproxyUrl: proxyUrl,
      proxies: Object.fromEntries(RIDES_LINKS.map((l) => {
        const listen = listenOf(l.proxy);
        return [l.proxy, { listen: `${listen.host}:${listen.port}`, upstream: l.target === 'redis' ? redisHostPort : services[l.target].replace(/^http:\/\//, '') }];
      })),
    });
    log(`rides ready: rider-api ${services['rider-api']}`);

    let stopping: Promise<void> | undefined;
    return {
      riderApiUrl: services['rider-api'],
      proxyUrl,
      otlpEndpoint: receiver.endpoint,
      ...(receiver.store ? { store: receiver.store } : {}),
      bugs,
      manifest,
      serviceUrl,
      processes,
      stop: () => (stopping ??= unwind()),
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
