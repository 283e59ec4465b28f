/**
 * The fault proxy a run faults through: a Toxiproxy-compatible API named
 * by the wiring (flag, manifest/plan, TOXIPROXY_URL), or faultline's own
 * proxy started in this process. Either way the plan's proxies are created
 * on it before scenarios run. An in-process proxy that cannot bind a
 * listen port says which port and why that usually happens (a running
 * `faultline proxy` already holds it), instead of an unexplained 500.
 */
import { fail, FaultlineError, isFaultlineError } from '../../base/errors.js';
import type { ProxySpec } from '../../base/proxy-spec.js';
import type { FaultInjector } from '../../runners/faults/fault-injector.js';
import { ToxiproxyInjector } from '../../runners/faults/toxiproxy-injector.js';
import { startFaultProxy, type RunningFaultProxy } from '../../runners/proxy/server.js';
import type { InjectorChoice } from './choice.js';

/** A fault proxy ready to use, and how to create a plan's proxies on it. */
export interface FaultProxyHandle {
  readonly injector: FaultInjector;
  /** The API URL. */
  readonly url: string;
  /** True when this process started the proxy (it goes away with close). */
  readonly inProcess: boolean;
  /**
   * Create the proxies that do not exist yet. An outside server's existing
   * proxies are left as they are (someone else configured them); this
   * process's own proxy is moved to what the plan says.
   */
  provision(proxies: readonly ProxySpec[]): Promise<void>;
  close(): Promise<void>;
}

/** Open the chosen fault proxy (starting faultline's own when none is configured). */
export async function openFaultProxy(choice: InjectorChoice): Promise<FaultProxyHandle> {
  if (choice.kind === 'toxiproxy') {
    const injector = new ToxiproxyInjector(choice.url);
    return { injector, url: choice.url, inProcess: false, provision: (proxies) => provisionOutside(injector, proxies), close: async () => undefined };
  }
  const server = await startFaultProxy({ host: '127.0.0.1', port: 0 });
  const injector = new ToxiproxyInjector(server.url);
  return { injector, url: server.url, inProcess: true, provision: (proxies) => provisionOwn(server, proxies), close: () => server.close() };
}

async function provisionOutside(injector: FaultInjector, proxies: readonly ProxySpec[]): Promise<void> {
  for (const p of proxies) {
    if (await injector.getProxy(p.name)) continue;
    try {
      await injector.ensureProxy({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true });
    } catch (err) {
      // Another worker created it between our look and our create: that is the outcome we wanted.
      if (!isFaultlineError(err, 'CONFLICT')) throw err;
    }
  }
}

/** Straight on the registry, not over HTTP, so a bind failure keeps its errno. */
async function provisionOwn(server: RunningFaultProxy, proxies: readonly ProxySpec[]): Promise<void> {
  for (const p of proxies) {
    const current = server.registry.list().find((s) => s.name === p.name);
    const sameListen = current && (current.listen === p.listen || (portOf(p.listen) === '0' && hostOf(p.listen) === hostOf(current.listen)));
    try {
      if (!current) await server.registry.create({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true });
      else if (!sameListen || current.upstream !== p.upstream || !current.enabled) {
        await server.registry.update(p.name, { listen: sameListen ? current.listen : p.listen, upstream: p.upstream, enabled: true });
      }
    } catch (err) {
      throw listenFailure(err, p);
    }
  }
}

/** Turn a bind failure into an error that names the port and the usual cause. */
export function listenFailure(err: unknown, p: Pick<ProxySpec, 'name' | 'listen'>): unknown {
  const errno = errnoOf(err);
  if (errno === 'EADDRINUSE') {
    return fail('PORT_IN_USE', `cannot start proxy ${p.name}: port ${portOf(p.listen)} (${p.listen}) is already in use — is \`faultline proxy\` already running? set toxiproxy.url (or TOXIPROXY_URL) to fault through it`, { proxy: p.name, listen: p.listen, port: Number(portOf(p.listen)) }, err);
  }
  if (errno === 'EACCES' || errno === 'EADDRNOTAVAIL') {
    return fail('BAD_INPUT', `cannot start proxy ${p.name} on ${p.listen}: ${errno}`, { proxy: p.name, listen: p.listen }, err);
  }
  return err;
}

function errnoOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!(e instanceof FaultlineError) && typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

function portOf(listen: string): string {
  return listen.slice(listen.lastIndexOf(':') + 1);
}

function hostOf(listen: string): string {
  return listen.slice(0, listen.lastIndexOf(':'));
}
