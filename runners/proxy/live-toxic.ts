/**
 * A toxic installed on a proxy. The object stays the same for the toxic's
 * lifetime; updates replace `spec`, and links read it live, so open
 * connections see new attributes at once.
 */
import type { ToxicStream } from '../../base/faults.js';
import type { ToxicSpec } from '../faults/fault-injector.js';

/** A toxic installed on a proxy, shared by all of the proxy's links. */
export interface LiveToxic {
  spec: ToxicSpec;
  /** faultline TTL timer, when `ttl_ms` was set. */
  ttlTimer?: NodeJS.Timeout;
}

/** What a link needs from its proxy: the live, ordered toxic chain per stream. */
export interface ToxicChainSource {
  chain(stream: ToxicStream): readonly LiveToxic[];
}
