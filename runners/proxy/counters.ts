/**
 * faultline-proxy counters, the raw material of landing evidence: per proxy
 * (connections, active, bytes each way) and per toxic name (connections it
 * touched, resets it sent, HTTP requests it affected, bytes it could not
 * parse as HTTP). Toxic counters outlive the toxic (they are read after the
 * fault phase, when the toxic is already gone) and are cumulative per name.
 */
import type { ProxyCounters } from '../faults/fault-injector.js';

/** Counters of one toxic name on one proxy. */
export interface ToxicCounter {
  touched: number;
  resets: number;
  requests: number;
  unparsedBytes: number;
}

/** Mutable counters of one proxy. */
export class ProxyCounterSet {
  connections = 0;
  active = 0;
  bytesUpstream = 0;
  bytesDownstream = 0;
  /** Bytes written to the destination after the toxics (Toxiproxy's sent_bytes); a toxic may drop or add some. */
  sentUpstream = 0;
  sentDownstream = 0;
  private readonly toxics = new Map<string, ToxicCounter>();

  constructor(readonly proxy: string) {}

  /** The counter for a toxic name, created at zero on first use. */
  toxic(name: string): ToxicCounter {
    let c = this.toxics.get(name);
    if (!c) {
      c = { touched: 0, resets: 0, requests: 0, unparsedBytes: 0 };
      this.toxics.set(name, c);
    }
    return c;
  }

  /** A JSON-ready snapshot in the FaultInjector contract's shape. */
  snapshot(): ProxyCounters {
    const toxics: ProxyCounters['toxics'] = {};
    for (const [name, c] of this.toxics) {
      toxics[name] = { touched: c.touched, resets: c.resets, requests: c.requests, unparsedBytes: c.unparsedBytes };
    }
    return {
      proxy: this.proxy,
      connections: this.connections,
      activeConnections: this.active,
      bytesUpstream: this.bytesUpstream,
      bytesDownstream: this.bytesDownstream,
      toxics,
    };
  }
}
