/**
 * FaultInjector over the Toxiproxy HTTP API, through toxiproxy-node-client,
 * so the same code drives a real Toxiproxy or faultline's own proxy
 * (runners/proxy). Reads that need the toxics list, and the counters
 * extension, use plain fetch: the client's Proxy object drops toxics.
 * `ttlMs` travels as faultline's `ttl_ms`; a real Toxiproxy ignores it, so
 * the runner still removes toxics itself.
 */
import { Toxiproxy, type ICreateToxicBody } from 'toxiproxy-node-client';
import { fail, isFaultlineError } from '../../base/errors.js';
import type { ProxySpec } from '../../base/proxy-spec.js';
import type { FaultInjector, ProxyCounters, ProxyState, ToxicSpec } from './fault-injector.js';

/**
 * HTTP status of a toxiproxy-node-client failure. The client (4.x) only
 * reports it inside the message ("Request failed with status code 404"),
 * so this one place reads it from there.
 */
function statusOf(err: unknown): number | undefined {
  const m = err instanceof Error ? /status code (\d{3})/.exec(err.message) : null;
  return m ? Number(m[1]) : undefined;
}

function portOf(listen: string): string {
  return listen.slice(listen.lastIndexOf(':') + 1);
}

function hostOf(listen: string): string {
  return listen.slice(0, listen.lastIndexOf(':'));
}

/** Normalise a toxic as the server printed it. */
function toSpec(raw: Record<string, unknown>): ToxicSpec {
  const spec: ToxicSpec = {
    name: String(raw.name),
    type: raw.type as ToxicSpec['type'],
    stream: raw.stream === 'upstream' ? 'upstream' : 'downstream',
    toxicity: typeof raw.toxicity === 'number' ? raw.toxicity : 1,
    attributes: { ...((raw.attributes ?? {}) as Record<string, number>) },
  };
  if (typeof raw.ttl_ms === 'number') spec.ttlMs = raw.ttl_ms;
  return spec;
}

function toState(raw: Record<string, unknown>): ProxyState {
  return {
    name: String(raw.name),
    listen: String(raw.listen),
    upstream: String(raw.upstream),
    enabled: raw.enabled !== false,
    toxics: Array.isArray(raw.toxics) ? raw.toxics.map((t) => toSpec(t as Record<string, unknown>)) : [],
  };
}

/** FaultInjector speaking the Toxiproxy API at `url` (e.g. `http://127.0.0.1:8474`). */
export class ToxiproxyInjector implements FaultInjector {
  readonly describe: string;
  private readonly client: Toxiproxy;
  private readonly base: string;

  constructor(url: string) {
    this.base = url.replace(/\/+$/, '');
    this.client = new Toxiproxy(this.base);
    this.describe = `toxiproxy ${this.base}`;
  }

  /** Run a call against the server, turning transport and API failures into FaultlineErrors. */
  private async call<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (isFaultlineError(err)) throw err;
      const status = statusOf(err);
      const message = err instanceof Error ? err.message : String(err);
      if (status === undefined) throw fail('PROXY_UNAVAILABLE', `${this.describe} unreachable (${what}): ${message}`, { url: this.base }, err);
      if (status === 404) throw fail('NOT_FOUND', `${what}: not found on ${this.describe}`, { status }, err);
      if (status === 409) throw fail('CONFLICT', `${what}: already exists on ${this.describe}`, { status }, err);
      if (status === 400) throw fail('BAD_INPUT', `${what}: rejected by ${this.describe}`, { status }, err);
      throw fail('BACKEND_RESPONSE', `${what}: ${this.describe} answered ${status}`, { status }, err);
    }
  }

  /** GET a JSON document; undefined on 404. */
  private async getJson(path: string, what: string): Promise<unknown> {
    return this.call(what, async () => {
      const res = await fetch(`${this.base}${path}`);
      if (res.status === 404) return undefined;
      if (!res.ok) throw fail('BACKEND_RESPONSE', `${what}: ${this.describe} answered ${res.status}`, { status: res.status });
      return (await res.json()) as unknown;
    });
  }

  async version(): Promise<string> {
    const text = await this.call('version', () => this.client.getVersion());
    // Toxiproxy ≥ 2.6 answers {"version": "…"}; older releases plain text.
    try {
      const parsed = JSON.parse(text) as { version?: unknown };
      if (typeof parsed.version === 'string') return parsed.version;
    } catch {
      // plain-text version
    }
    return text.trim();
  }

  async getProxy(name: string): Promise<ProxyState | undefined> {
    const raw = await this.getJson(`/proxies/${encodeURIComponent(name)}`, `proxy ${name}`);
    return raw === undefined ? undefined : toState(raw as Record<string, unknown>);
  }

  async listProxies(): Promise<ProxyState[]> {
    const raw = (await this.getJson('/proxies', 'proxies')) as Record<string, Record<string, unknown>> | undefined;
    return Object.values(raw ?? {}).map(toState);
  }

  async ensureProxy(spec: ProxySpec): Promise<ProxyState> {
    const enabled = spec.enabled ?? true;
    const current = await this.getProxy(spec.name);
    if (!current) {
      await this.call(`create proxy ${spec.name}`, () =>
        this.client.createProxy({ name: spec.name, listen: spec.listen, upstream: spec.upstream, enabled }),
      );
    } else {
      // Port 0 means "any port": a proxy already bound on that host matches.
      const listenMatches =
        current.listen === spec.listen || (portOf(spec.listen) === '0' && hostOf(spec.listen) === hostOf(current.listen));
      if (!listenMatches || current.upstream !== spec.upstream || current.enabled !== enabled) {
        const proxy = await this.call(`proxy ${spec.name}`, () => this.client.get(spec.name));
        await this.call(`update proxy ${spec.name}`, () =>
          proxy.update({ listen: listenMatches ? current.listen : spec.listen, upstream: spec.upstream, enabled }),
        );
      }
    }
    const state = await this.getProxy(spec.name);
    if (!state) throw fail('BACKEND_RESPONSE', `proxy ${spec.name} vanished right after it was created on ${this.describe}`);
    return state;
  }

  async addToxic(proxyName: string, toxic: ToxicSpec): Promise<void> {
    const proxy = await this.call(`proxy ${proxyName}`, () => this.client.get(proxyName));
    const body: Record<string, unknown> = {
      name: toxic.name,
      type: toxic.type,
      stream: toxic.stream,
      toxicity: toxic.toxicity,
      attributes: toxic.attributes,
    };
    if (toxic.ttlMs !== undefined) body.ttl_ms = toxic.ttlMs;
    // The client's toxic typings predate http_* and ttl_ms; the server reads the JSON as sent.
    await this.call(`add toxic ${toxic.name} to ${proxyName}`, () => proxy.addToxic(body as unknown as ICreateToxicBody<unknown>));
  }

  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    try {
      const proxy = await this.call(`proxy ${proxyName}`, () => this.client.get(proxyName));
      const toxic = await this.call(`toxic ${toxicName}`, () => proxy.getToxic(toxicName));
      await this.call(`remove toxic ${toxicName}`, () => toxic.remove());
    } catch (err) {
      // Already gone (TTL fired, reset, proxy deleted) is the outcome the caller wanted.
      if (isFaultlineError(err, 'NOT_FOUND')) return;
      throw err;
    }
  }

  async setEnabled(proxyName: string, enabled: boolean, ttlMs?: number): Promise<void> {
    const proxy = await this.call(`proxy ${proxyName}`, () => this.client.get(proxyName));
    const body: Record<string, unknown> = { listen: proxy.listen, upstream: proxy.upstream, enabled };
    if (!enabled && ttlMs !== undefined) body.ttl_ms = ttlMs;
    // The client's typings predate ttl_ms; the server reads the JSON as sent.
    await this.call(`update proxy ${proxyName}`, () => proxy.update(body as unknown as Parameters<typeof proxy.update>[0]));
  }

  async reset(): Promise<void> {
    await this.call('reset', () => this.client.reset());
  }

  async counters(proxyName: string): Promise<ProxyCounters | undefined> {
    const raw = await this.getJson(`/faultline/counters/${encodeURIComponent(proxyName)}`, `counters of ${proxyName}`);
    return raw === undefined ? undefined : (raw as ProxyCounters);
  }
}
