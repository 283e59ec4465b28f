/**
 * faultline's Toxiproxy-compatible fault proxy, started in-process (the
 * demo, tests, `faultline proxy`). Listens on 127.0.0.1 by default; port 0
 * picks a free port and `url`/`port` report the bound one.
 */
import { createServer, type Server } from 'node:http';
import { fail } from '../../base/errors.js';
import type { ProxySpec } from '../../base/proxy-spec.js';
import { ProxyRegistry } from './registry.js';
import { createApiHandler } from './server-api.js';

/** Options of startFaultProxy. */
export interface FaultProxyOptions {
  host?: string;
  port?: number;
  /** Proxies to create at start (Toxiproxy's `-config` populate JSON, already parsed). */
  config?: readonly ProxySpec[];
  /** Uniform [0,1) source for toxicity draws (tests pin it); Math.random by default. */
  random?: () => number;
}

/** A running fault proxy server. */
export interface RunningFaultProxy {
  /** API base URL, e.g. `http://127.0.0.1:8474`. */
  readonly url: string;
  readonly port: number;
  readonly registry: ProxyRegistry;
  /** Remove every toxic and re-enable every proxy (Toxiproxy `POST /reset`). */
  reset(): Promise<void>;
  /** Stop the API and every proxy; open connections are dropped. */
  close(): Promise<void>;
}

/** Start the API server (and the proxies in `config`). */
export async function startFaultProxy(options: FaultProxyOptions = {}): Promise<RunningFaultProxy> {
  const host = options.host ?? '127.0.0.1';
  const registry = new ProxyRegistry(options.random);
  if (options.config) await registry.populate(options.config);
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, createApiHandler(registry));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8474, host, () => resolve());
    });
  } catch (err) {
    await registry.close();
    throw fail('BAD_INPUT', `cannot listen on ${host}:${options.port ?? 8474}: ${(err as Error).message}`, { host, port: options.port }, err);
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    registry,
    reset: () => registry.reset(),
    async close() {
      await registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
