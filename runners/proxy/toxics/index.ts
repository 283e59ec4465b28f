/**
 * Toxic type → implementation. `perRequest` toxics (the fault table's
 * toxicity unit `request`) draw toxicity for every HTTP request themselves;
 * the rest are drawn once per connection, as in Toxiproxy (link.go), by the
 * link that instantiates them.
 */
import { TOXIC_TYPES, faultOf, type ToxicType } from '../../../base/faults.js';
import { limitData, resetPeer, slowClose, timeout } from './close-toxics.js';
import { httpDelay, httpError } from './http-toxics.js';
import { bandwidth, latency, noop, slicer } from './stream-toxics.js';
import type { ToxicFactory } from './types.js';

/** Implementation of each toxic type (a type missing here does not compile). */
const FACTORIES: Readonly<Record<ToxicType, ToxicFactory>> = {
  noop,
  latency,
  bandwidth,
  slicer,
  slow_close: slowClose,
  timeout,
  reset_peer: resetPeer,
  limit_data: limitData,
  http_error: httpError,
  http_delay: httpDelay,
};

/** Implementation and toxicity granularity of each toxic type. */
export const TOXICS = Object.fromEntries(
  TOXIC_TYPES.map((t) => [t, { factory: FACTORIES[t], perRequest: faultOf(t).toxicity === 'request' }]),
) as Readonly<Record<ToxicType, { factory: ToxicFactory; perRequest: boolean }>>;
