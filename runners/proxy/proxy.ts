/**
 * One proxy: a TCP listener forwarding to an upstream, its links and its
 * toxic chains (Toxiproxy proxy.go). Protocol-agnostic: bytes are bytes.
 * Disabling closes the listener and every open link ("down"); `listen`
 * with port 0 is rewritten to the bound address, so a later re-enable
 * comes back on the same port.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fail } from '../../base/errors.js';
import type { ToxicStream } from '../../base/faults.js';
import type { ProxyState, ToxicSpec } from '../faults/fault-injector.js';
import { joinHostPort, splitHostPort } from './address.js';
import { ProxyCounterSet } from './counters.js';
import { Link } from './link.js';
import type { LiveToxic, ToxicChainSource } from './live-toxic.js';

/** A running (or disabled) proxy. */
export class FaultProxy implements ToxicChainSource {
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private readonly toxics: LiveToxic[] = [];
  readonly counters: ProxyCounterSet;

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly random: () => number,
  ) {
    splitHostPort(listen, 'listen');
    splitHostPort(upstream, 'upstream');
    this.counters = new ProxyCounterSet(name);
  }

  get enabled(): boolean {
    return this.server !== undefined;
  }

  chain(stream: ToxicStream): readonly LiveToxic[] {
    return this.toxics.filter((t) => t.spec.stream === stream);
  }

  /** Start listening; resolves once bound (listen is updated to the bound address). */
  async start(): Promise<void> {
    if (this.server) return;
    const { host, port } = splitHostPort(this.listen, 'listen');
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host === '' ? undefined : host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: Error) => {
      throw fail('INTERNAL', `listen tcp ${this.listen}: ${err.message}`, { proxy: this.name }, err);
    });
    const addr = server.address();
    if (addr && typeof addr === 'object') this.listen = joinHostPort(host === '' ? addr.address : host, addr.port);
    this.server = server;
  }

  /** Stop listening and drop every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const link of [...this.links]) link.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (!this.server) {
      client.destroy();
      return;
    }
    const { host, port } = splitHostPort(this.upstream, 'upstream');
    const upstream = connect({ host: host === '' ? '127.0.0.1' : host, port, allowHalfOpen: true });
    const link = new Link(client, upstream, this, this.counters, this.random, (l) => this.links.delete(l));
    this.links.add(link);
  }

  /** Install a toxic; open connections get it at once. */
  addToxic(toxic: LiveToxic): void {
    if (this.findToxic(toxic.spec.name)) throw fail('CONFLICT', 'toxic already exists', { toxic: toxic.spec.name });
    this.toxics.push(toxic);
    for (const link of this.links) link.syncRunners();
  }

  /** Remove a toxic by name; returns it, or undefined when absent. */
  removeToxic(name: string): LiveToxic | undefined {
    const i = this.toxics.findIndex((t) => t.spec.name === name);
    if (i < 0) return undefined;
    const [toxic] = this.toxics.splice(i, 1);
    clearTimeout(toxic.ttlTimer);
    for (const link of this.links) link.syncRunners();
    return toxic;
  }

  findToxic(name: string): LiveToxic | undefined {
    return this.toxics.find((t) => t.spec.name === name);
  }

  toxicSpecs(): ToxicSpec[] {
    return this.toxics.map((t) => t.spec);
  }

  /** Remove every toxic (Toxiproxy ResetToxics). */
  clearToxics(): void {
    for (const t of [...this.toxics]) this.removeToxic(t.spec.name);
  }

  get activeLinks(): number {
    return this.links.size;
  }

  /** JSON view matching Toxiproxy's proxy object. */
  state(): ProxyState {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: this.toxicSpecs() };
  }
}
