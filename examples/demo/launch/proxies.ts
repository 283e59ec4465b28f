/**
 * Creating the demo's proxies on a Toxiproxy-compatible server through its
 * HTTP API (toxiproxy-node-client), each listening on a port the server picks
 * (`127.0.0.1:0`); the created proxy reports its bound address in `listen`.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import { fail } from '../../../base/errors.js';

/** A proxy to create. */
export interface ProxyRequest {
  name: string;
  /** `host:port` of the real callee. */
  upstream: string;
}

/** A created proxy with its bound address. */
export interface CreatedProxy {
  name: string;
  upstream: string;
  listen: { host: string; port: number };
}

function parseListen(listen: string, name: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const port = Number(listen.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port <= 0) throw fail('PROXY_UNAVAILABLE', `proxy ${name} reported an unusable listen address ${JSON.stringify(listen)}`);
  const host = listen.slice(0, i).replace(/^\[|\]$/g, '');
  return { host: host === '' || host === '0.0.0.0' || host === 'localhost' ? '127.0.0.1' : host, port };
}

/**
 * Create every proxy in parallel. A proxy of the same name left over from an
 * earlier run is replaced, so re-running the demo against one server works.
 */
export async function createProxies(toxiproxyUrl: string, requests: readonly ProxyRequest[]): Promise<CreatedProxy[]> {
  const client = new Toxiproxy(toxiproxyUrl);
  const createOne = async (req: ProxyRequest): Promise<CreatedProxy> => {
    const body = { name: req.name, listen: '127.0.0.1:0', upstream: req.upstream, enabled: true };
    let proxy;
    try {
      proxy = await client.createProxy(body);
    } catch {
      try {
        await (await client.get(req.name)).remove();
        proxy = await client.createProxy(body);
      } catch (err) {
        throw fail('PROXY_UNAVAILABLE', `cannot create proxy ${req.name} on ${toxiproxyUrl}: ${(err as Error).message}`, { proxy: req.name }, err);
      }
    }
    return { name: req.name, upstream: req.upstream, listen: parseListen(proxy.listen, req.name) };
  };
  return Promise.all(requests.map(createOne));
}

/** Remove the named proxies; ones already gone are not an error. */
export async function removeProxies(toxiproxyUrl: string, names: readonly string[]): Promise<void> {
  const client = new Toxiproxy(toxiproxyUrl);
  await Promise.all(names.map(async (name) => {
    try {
      await (await client.get(name)).remove();
    } catch {
      // already gone, or the server is down: nothing left to clean up there
    }
  }));
}

/**
 * Point existing proxies at new upstreams (Toxiproxy API: `POST
 * /proxies/{name}` with the fields to change), once the services behind
 * them have bound their ports.
 */
export async function retargetProxies(toxiproxyUrl: string, updates: readonly ProxyRequest[]): Promise<void> {
  await Promise.all(updates.map(async (u) => {
    const res = await fetch(`${toxiproxyUrl}/proxies/${encodeURIComponent(u.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ upstream: u.upstream }),
    }).catch((err: Error) => {
      throw fail('PROXY_UNAVAILABLE', `cannot update proxy ${u.name} on ${toxiproxyUrl}: ${err.message}`, { proxy: u.name }, err);
    });
    if (!res.ok) throw fail('PROXY_UNAVAILABLE', `cannot update proxy ${u.name} on ${toxiproxyUrl}: HTTP ${res.status} ${await res.text()}`, { proxy: u.name });
  }));
}
