/**
 * The proxies and their toxics: the state behind the Toxiproxy API
 * (Toxiproxy proxy_collection.go + toxic_collection.go). Methods take
 * parsed JSON values and return the JSON the API answers with; failures are
 * FaultlineErrors carrying Toxiproxy's messages (`proxy not found`,
 * `toxic already exists`, …) so the API layer only maps code → status.
 * Toxic TTLs live here, in the server, so they fire even if the client that
 * set them died.
 */
import { fail } from '../../base/errors.js';
import type { ProxyCounters, ProxyState, ToxicSpec } from '../faults/fault-injector.js';
import { FaultProxy } from './proxy.js';
import { applyToxicUpdate, parseNewToxic, readTtl } from './toxic-spec.js';
import type { LiveToxic } from './live-toxic.js';

/** A create/update body after shape checks. */
interface ProxyInput {
  name?: unknown;
  listen?: unknown;
  upstream?: unknown;
  enabled?: unknown;
  /** faultline extension: with `enabled: false`, enable again after this many ms. */
  ttl_ms?: unknown;
}

function asObject(body: unknown): ProxyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fail('BAD_INPUT', 'bad request body: expected a JSON object', { field: '' });
  }
  return body as ProxyInput;
}

function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw fail('BAD_INPUT', `bad request body: ${field} must be a string`, { field });
  return v;
}

function optBool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw fail('BAD_INPUT', `bad request body: ${field} must be a boolean`, { field });
  return v;
}

/** All proxies of one server, in creation order. */
export class ProxyRegistry {
  private readonly proxies = new Map<string, FaultProxy>();
  /** Proxies disabled with faultline's `ttl_ms`: the timer that enables each again. */
  private readonly downTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly random: () => number = Math.random) {}

  list(): ProxyState[] {
    return [...this.proxies.values()].map((p) => p.state());
  }

  /** The proxy, or NOT_FOUND `proxy not found`. */
  proxy(name: string): FaultProxy {
    const p = this.proxies.get(name);
    if (!p) throw fail('NOT_FOUND', 'proxy not found', { proxy: name });
    return p;
  }

  /** `POST /proxies`: enabled unless `enabled: false`; CONFLICT when the name is taken. */
  async create(body: unknown): Promise<ProxyState> {
    const b = asObject(body);
    const name = optString(b.name, 'name') ?? '';
    const upstream = optString(b.upstream, 'upstream') ?? '';
    if (name === '') throw fail('BAD_INPUT', 'missing required field: name', { field: 'name' });
    if (upstream === '') throw fail('BAD_INPUT', 'missing required field: upstream', { field: 'upstream' });
    // Toxiproxy defaults an empty listen to 127.0.0.1:0 (a free port on loopback).
    const listen = optString(b.listen, 'listen') || '127.0.0.1:0';
    const enabled = optBool(b.enabled, 'enabled') ?? true;
    if (this.proxies.has(name)) throw fail('CONFLICT', 'proxy already exists', { proxy: name });
    const proxy = new FaultProxy(name, listen, upstream, this.random);
    this.proxies.set(name, proxy);
    if (enabled) {
      try {
        await proxy.start();
      } catch (err) {
        this.proxies.delete(name);
        throw err;
      }
    }
    return proxy.state();
  }

  /**
   * `POST /populate`: create or replace each proxy. A proxy whose listen and
   * upstream are unchanged is kept (open connections survive), as Toxiproxy does.
   */
  async populate(body: unknown): Promise<ProxyState[]> {
    if (!Array.isArray(body)) throw fail('BAD_INPUT', 'bad request body: expected a JSON array of proxies', { field: '' });
    const out: ProxyState[] = [];
    for (const [i, item] of body.entries()) {
      const b = asObject(item);
      const name = optString(b.name, `[${i}].name`);
      const existing = name === undefined ? undefined : this.proxies.get(name);
      if (existing && existing.upstream === b.upstream && (b.listen === undefined || existing.listen === b.listen)) {
        const enabled = optBool(b.enabled, `[${i}].enabled`) ?? true;
        await (enabled ? existing.start() : existing.stop());
        out.push(existing.state());
        continue;
      }
      if (existing) await this.remove(existing.name);
      out.push(await this.create(b));
    }
    return out;
  }

  /**
   * `POST|PATCH /proxies/{name}`: change listen, upstream or enabled.
   * Disabling with `ttl_ms` (a faultline extension, as on toxics) enables
   * the proxy again after that long unless another update comes first, so a
   * client that dies mid-outage cannot leave the dependency down.
   */
  async update(name: string, body: unknown): Promise<ProxyState> {
    const proxy = this.proxy(name);
    const b = asObject(body);
    const listen = optString(b.listen, 'listen');
    const upstream = optString(b.upstream, 'upstream');
    const enabled = optBool(b.enabled, 'enabled') ?? proxy.enabled;
    const ttlMs = readTtl(b.ttl_ms, undefined);
    this.clearDownTimer(name);
    const moved = (listen !== undefined && listen !== proxy.listen) || (upstream !== undefined && upstream !== proxy.upstream);
    if (moved) {
      // Restart so new connections use the new addresses; validate before touching the live proxy.
      const probe = new FaultProxy(name, listen ?? proxy.listen, upstream ?? proxy.upstream, this.random);
      await proxy.stop();
      proxy.listen = probe.listen;
      proxy.upstream = probe.upstream;
    }
    if (enabled) await proxy.start();
    else {
      await proxy.stop();
      if (ttlMs !== undefined) this.armDownTimer(proxy, ttlMs);
    }
    return proxy.state();
  }

  /** `DELETE /proxies/{name}`. */
  async remove(name: string): Promise<void> {
    const proxy = this.proxy(name);
    this.clearDownTimer(name);
    proxy.clearToxics();
    await proxy.stop();
    this.proxies.delete(name);
  }

  /** `POST /reset`: enable every proxy and remove every toxic (counters are kept). */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      this.clearDownTimer(proxy.name);
      proxy.clearToxics();
      await proxy.start();
    }
  }

  toxics(proxyName: string): ToxicSpec[] {
    return this.proxy(proxyName).toxicSpecs();
  }

  /** The toxic, or NOT_FOUND `toxic not found`. */
  toxic(proxyName: string, toxicName: string): ToxicSpec {
    const t = this.proxy(proxyName).findToxic(toxicName);
    if (!t) throw fail('NOT_FOUND', 'toxic not found', { proxy: proxyName, toxic: toxicName });
    return t.spec;
  }

  /** `POST /proxies/{p}/toxics`: install a toxic, arming its TTL when `ttl_ms` is set. */
  addToxic(proxyName: string, body: unknown): ToxicSpec {
    const proxy = this.proxy(proxyName);
    const live: LiveToxic = { spec: parseNewToxic(body) };
    proxy.addToxic(live);
    this.armTtl(proxy, live);
    return live.spec;
  }

  /** `POST|PATCH /proxies/{p}/toxics/{t}`: new attributes/toxicity reach open links at once. */
  updateToxic(proxyName: string, toxicName: string, body: unknown): ToxicSpec {
    const proxy = this.proxy(proxyName);
    const live = proxy.findToxic(toxicName);
    if (!live) throw fail('NOT_FOUND', 'toxic not found', { proxy: proxyName, toxic: toxicName });
    const ttlBefore = live.spec.ttlMs;
    live.spec = applyToxicUpdate(live.spec, body);
    if (live.spec.ttlMs !== ttlBefore) this.armTtl(proxy, live);
    return live.spec;
  }

  /** `DELETE /proxies/{p}/toxics/{t}`. */
  removeToxic(proxyName: string, toxicName: string): void {
    if (!this.proxy(proxyName).removeToxic(toxicName)) {
      throw fail('NOT_FOUND', 'toxic not found', { proxy: proxyName, toxic: toxicName });
    }
  }

  counters(proxyName: string): ProxyCounters {
    return this.proxy(proxyName).counters.snapshot();
  }

  allCounters(): ProxyCounters[] {
    return [...this.proxies.values()].map((p) => p.counters.snapshot());
  }

  /** Bytes each proxy wrote to its destinations after the toxics, by proxy name. */
  sentBytes(): Map<string, { upstream: number; downstream: number }> {
    return new Map([...this.proxies.values()].map((p) => [p.name, { upstream: p.counters.sentUpstream, downstream: p.counters.sentDownstream }]));
  }

  /** Stop every proxy (server shutdown). */
  async close(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      this.clearDownTimer(proxy.name);
      proxy.clearToxics();
      await proxy.stop();
    }
  }

  private armDownTimer(proxy: FaultProxy, ttlMs: number): void {
    const timer = setTimeout(() => {
      this.downTimers.delete(proxy.name);
      // A listen port taken meanwhile leaves it down; the next update or reset reports that.
      if (this.proxies.get(proxy.name) === proxy) proxy.start().catch(() => undefined);
    }, ttlMs);
    timer.unref();
    this.downTimers.set(proxy.name, timer);
  }

  private clearDownTimer(name: string): void {
    clearTimeout(this.downTimers.get(name));
    this.downTimers.delete(name);
  }

  private armTtl(proxy: FaultProxy, live: LiveToxic): void {
    clearTimeout(live.ttlTimer);
    live.ttlTimer = undefined;
    const ttl = live.spec.ttlMs;
    if (ttl === undefined) return;
    live.ttlTimer = setTimeout(() => {
      if (proxy.findToxic(live.spec.name) === live) proxy.removeToxic(live.spec.name);
    }, ttl);
    live.ttlTimer.unref();
  }
}
