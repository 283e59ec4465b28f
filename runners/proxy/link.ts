/**
 * One proxied connection: the client socket, the upstream socket and a Pipe
 * per direction (Toxiproxy link.go). The link owns one ToxicRunner per
 * installed toxic, created when the link starts or when a toxic is added
 * (so timeout/reset timers start even on an idle connection), with the
 * per-connection toxicity drawn once at that moment.
 */
import type { Socket } from 'node:net';
import type { ToxicStream } from '../../base/faults.js';
import type { ProxyCounterSet } from './counters.js';
import type { LiveToxic, ToxicChainSource } from './live-toxic.js';
import { Pipe, type PipeHost } from './pipe.js';
import { TOXICS } from './toxics/index.js';
import type { LinkControl, ToxicRunner } from './toxics/types.js';

/** How long a gracefully closed link waits for peers to finish before destroying sockets. */
const CLOSE_GRACE_MS = 2000;

/** A client↔upstream connection with its toxic chains. */
export class Link implements PipeHost, LinkControl {
  private isClosed = false;
  /** Runner per toxic; null when the toxicity draw left this connection untouched. */
  private readonly runnersByToxic = new Map<LiveToxic, ToxicRunner | null>();
  /** Per toxic: aborted when it leaves this link, ending its runner's sleeps (toxics/types.ts). */
  private readonly stops = new Map<LiveToxic, AbortController>();
  private readonly ended = new Set<ToxicStream>();
  /**
   * The runner list per stream, built once per change of the chain (the
   * proxy calls syncRunners on every add and remove) instead of per chunk:
   * the data path of an untouched link then does no allocation of its own.
   */
  private chains: Partial<Record<ToxicStream, ToxicRunner[]>> = {};

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly source: ToxicChainSource,
    private readonly counters: ProxyCounterSet,
    private readonly random: () => number,
    private readonly onClosed: (link: Link) => void,
  ) {
    counters.connections += 1;
    counters.active += 1;
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      s.on('error', () => this.destroy());
      // A socket that ended cleanly is finished by its pipe (a slow_close may still be delaying it).
      s.on('close', () => {
        if (!s.readableEnded) this.destroy();
      });
    }
    new Pipe('upstream', client, upstream, this);
    new Pipe('downstream', upstream, client, this);
    this.syncRunners();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Create runners for toxics added since the last call and drop removed ones. */
  syncRunners(): void {
    this.chains = {};
    if (this.isClosed) return;
    const live = new Set([...this.source.chain('upstream'), ...this.source.chain('downstream')]);
    for (const [toxic, runner] of this.runnersByToxic) {
      if (live.has(toxic)) continue;
      this.runnersByToxic.delete(toxic);
      this.stop(toxic);
      runner?.removed?.();
      runner?.dispose?.();
    }
    for (const toxic of live) {
      if (!this.runnersByToxic.has(toxic)) this.runnersByToxic.set(toxic, this.instantiate(toxic));
    }
  }

  private instantiate(toxic: LiveToxic): ToxicRunner | null {
    const impl = TOXICS[toxic.spec.type];
    const counter = this.counters.toxic(toxic.spec.name);
    if (!impl.perRequest) {
      // Toxicity is drawn once per connection (Toxiproxy link.go); 0 never applies.
      if (!(this.random() < toxic.spec.toxicity)) return null;
      counter.touched += 1;
    }
    const stop = new AbortController();
    this.stops.set(toxic, stop);
    return impl.factory({ spec: () => toxic.spec, link: this, counter, random: this.random, signal: stop.signal });
  }

  private stop(toxic: LiveToxic): void {
    this.stops.get(toxic)?.abort();
    this.stops.delete(toxic);
  }

  runners(stream: ToxicStream): ToxicRunner[] {
    const cached = this.chains[stream];
    if (cached) return cached;
    const out: ToxicRunner[] = [];
    if (this.isClosed) return out;
    for (const toxic of this.source.chain(stream)) {
      let r = this.runnersByToxic.get(toxic);
      if (r === undefined) {
        r = this.instantiate(toxic);
        this.runnersByToxic.set(toxic, r);
      }
      if (r) out.push(r);
    }
    this.chains[stream] = out;
    return out;
  }

  countBytes(stream: ToxicStream, n: number): void {
    if (stream === 'upstream') this.counters.bytesUpstream += n;
    else this.counters.bytesDownstream += n;
  }

  countSent(stream: ToxicStream, n: number): void {
    if (stream === 'upstream') this.counters.sentUpstream += n;
    else this.counters.sentDownstream += n;
  }

  sourceEnded(stream: ToxicStream): void {
    // Half-close: the other side may still answer; the link ends when both have.
    (stream === 'upstream' ? this.upstream : this.client).end();
    this.ended.add(stream);
    if (this.ended.size === 2) this.close();
  }

  replyToClient(bytes: Buffer): void {
    if (this.isClosed || this.client.destroyed) return;
    // A toxic's own answer (http_* toxics) reaches the client like upstream bytes would.
    this.countSent('downstream', bytes.length);
    this.client.write(bytes);
  }

  close(): void {
    if (this.isClosed) return;
    this.markClosed();
    this.client.end();
    this.upstream.end();
    const t = setTimeout(() => this.destroySockets(), CLOSE_GRACE_MS);
    t.unref();
  }

  reset(stream: ToxicStream): void {
    if (this.isClosed) return;
    this.markClosed();
    const target = stream === 'downstream' ? this.client : this.upstream;
    const other = stream === 'downstream' ? this.upstream : this.client;
    target.resetAndDestroy();
    other.destroy();
  }

  /** Tear down at once (proxy disabled or deleted, a socket failed). */
  destroy(): void {
    if (!this.isClosed) this.markClosed();
    this.destroySockets();
  }

  private destroySockets(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  private markClosed(): void {
    this.isClosed = true;
    this.counters.active -= 1;
    for (const toxic of [...this.stops.keys()]) this.stop(toxic);
    for (const r of this.runnersByToxic.values()) r?.dispose?.();
    this.runnersByToxic.clear();
    this.chains = {};
    this.onClosed(this);
  }
}
