/**
 * Toxic type → implementation. `perRequest` toxics draw toxicity for every
 * HTTP request themselves; the rest are drawn once per connection, as in
 * Toxiproxy (link.go), by the link that instantiates them.
 */
import type { ToxicType } from '../../faults/fault-injector.js';
import { limitData, resetPeer, slowClose, timeout } from './close-toxics.js';
import { httpDelay, httpError } from './http-toxics.js';
import { bandwidth, latency, noop, slicer } from './stream-toxics.js';
import type { ToxicFactory } from './types.js';

/** Implementation and toxicity granularity of each toxic type. */
export const TOXICS: Readonly<Record<ToxicType, { factory: ToxicFactory; perRequest: boolean }>> = {
  noop: { factory: noop, perRequest: false },
  latency: { factory: latency, perRequest: false },
  bandwidth: { factory: bandwidth, perRequest: false },
  slicer: { factory: slicer, perRequest: false },
  slow_close: { factory: slowClose, perRequest: false },
  timeout: { factory: timeout, perRequest: false },
  reset_peer: { factory: resetPeer, perRequest: false },
  limit_data: { factory: limitData, perRequest: false },
  http_error: { factory: httpError, perRequest: true },
  http_delay: { factory: httpDelay, perRequest: true },
};
