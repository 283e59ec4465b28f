/**
 * Starting the demo shop: Redis, an OTLP receiver and the fault proxy (each
 * only when not given), one proxy per link (topology.ts), then the five
 * services as child processes — all in parallel where nothing depends on
 * order. `stop()` undoes everything it started, and a failed start undoes
 * what it had started before rethrowing.
 */
import { settledOrThrow } from './launch/settled.js';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, ManifestProxy } from '../../generators/manifest.js';
import { SpanStore } from '../../ingest/span-store.js';
import { formatBugs, parseBugs, type Bug } from './bugs.js';
import { DEMO_LINKS, DEMO_SERVICES, demoEdges, throughProxy, type DemoService } from './topology.js';
import { startProxy, startReceiver, startRedis } from './launch/backing.js';
import { createProxies, removeProxies, retargetProxies } from './launch/proxies.js';
import { startServiceChild, type ServiceChild } from './launch/service-child.js';
import { buildDemoManifest } from './manifest.js';

/** Options of startDemo. */
export interface DemoOptions {
  /** Planted bugs to switch on: a list, `all` (default) or `none`. */
  bugs?: readonly string[] | 'all' | 'none';
  /** Redis to use; absent starts a private redis-server on a free port. */
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

/** A running demo. */
export interface RunningDemo {
  gatewayUrl: string;
  proxyUrl: string;
  otlpEndpoint: string;
  /** The built-in receiver's store, when the demo started the receiver. */
  store?: SpanStore;
  bugs: Bug[];
  /** The manifest for this run: real ports, proxies, probes and claims. */
  manifest: Manifest;
  /** The real caller→callee edges. */
  topology: { from: string; to: string }[];
  /** Direct (unproxied) base URL of each service. */
  services: Record<DemoService, string>;
  stop(): Promise<void>;
}

/** Upstream of a service proxy until the service has reported its port (nothing listens on port 1 here). */
const UNSET_UPSTREAM = '127.0.0.1:1';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
// .ts from the sources, .js when this module runs from the build in dist/.
const serviceFile = (name: DemoService) => fileURLToPath(new URL(`./services/${name}${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Start the demo shop; resolves once every service answers. */
export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const log = opts.log ?? (() => undefined);
  const bugs = parseBugs(opts.bugs === 'all' ? undefined : opts.bugs);
  const cleanups: (() => Promise<void>)[] = [];
  const unwind = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err) => log(`cleanup failed: ${(err as Error).message}`));
  };

  try {
    // allSettled, not all: a failure must not unwind while a sibling is still starting.
    const [receiver, proxyUrl, redisUrl] = settledOrThrow(await Promise.allSettled([startReceiver(opts, cleanups), startProxy(opts, cleanups), startRedis(opts, cleanups)]));
    log(`receiver ${receiver.endpoint}, proxy ${proxyUrl}, redis ${redisUrl}, bugs ${formatBugs(bugs)}`);

    // Services bind port 0 and report what they got: a port picked in advance
    // can be taken by someone else's ephemeral connection before the service
    // binds it. So the proxies are created first (they bind port 0 too), the
    // services are told the proxies' addresses, and the proxies' upstreams are
    // pointed at the services once their ports are known.
    const redis = new URL(redisUrl);
    const redisHostPort = `${redis.hostname}:${redis.port || 6379}`;
    const proxies = await createProxies(proxyUrl, DEMO_LINKS.map((l) => ({ name: l.proxy, upstream: l.target === 'redis' ? redisHostPort : UNSET_UPSTREAM })));
    if (opts.proxyUrl) cleanups.push(() => removeProxies(proxyUrl, DEMO_LINKS.map((l) => l.proxy)));

    const envOf = (service: DemoService): Record<string, string> => {
      const env: Record<string, string> = { PORT: '0', OTLP_ENDPOINT: receiver.endpoint, DEMO_BUGS: formatBugs(bugs) };
      DEMO_LINKS.forEach((link, i) => {
        if (link.caller !== service) return;
        env[link.env] = throughProxy(link.target === 'redis' ? redisUrl : 'http://127.0.0.1:0', proxies[i].listen);
      });
      return env;
    };

    const children = await Promise.allSettled(DEMO_SERVICES.map((name) => startServiceChild({
      name, file: serviceFile(name), cwd: REPO_ROOT, env: envOf(name), log,
    })));
    const started = children.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : []));
    cleanups.push(async () => { await Promise.all(started.map((c: ServiceChild) => c.stop())); });
    settledOrThrow(children);
    const servicePort = Object.fromEntries(started.map((c) => [c.name, c.port])) as Record<DemoService, number>;

    const upstreamOf = (target: DemoService | 'redis') => (target === 'redis' ? redisHostPort : `127.0.0.1:${servicePort[target]}`);
    await retargetProxies(proxyUrl, DEMO_LINKS.filter((l) => l.target !== 'redis').map((l) => ({ name: l.proxy, upstream: upstreamOf(l.target) })));
    const manifestProxies: ManifestProxy[] = DEMO_LINKS.map((link, i) => ({
      name: link.proxy,
      listen: `${proxies[i].listen.host}:${proxies[i].listen.port}`,
      upstream: upstreamOf(link.target),
      edge: { ...link.edge },
    }));

    const services = Object.fromEntries(DEMO_SERVICES.map((s) => [s, `http://127.0.0.1:${servicePort[s]}`])) as Record<DemoService, string>;
    const manifest = buildDemoManifest({ gatewayUrl: services.gateway, serviceUrls: services, toxiproxyUrl: proxyUrl, proxies: manifestProxies });
    log(`demo ready: gateway ${services.gateway}`);

    let stopping: Promise<void> | undefined;
    return {
      gatewayUrl: services.gateway,
      proxyUrl,
      otlpEndpoint: receiver.endpoint,
      ...(receiver.store ? { store: receiver.store } : {}),
      bugs,
      manifest,
      topology: demoEdges(),
      services,
      stop: () => (stopping ??= unwind()),
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
