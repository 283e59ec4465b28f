/**
 * The ride-hailing system's shape as data: its services and every faultable
 * link. Each link is one proxy of the fault proxy; the caller is configured
 * with the proxy's address instead of its callee's, so every dependency —
 * service→service HTTP and service→Redis for the ride queue and the driver
 * leases — can be faulted. `edge` is named the way the person operating the
 * system would name it (the producer talks to Redis, so its edge is
 * rider-api→redis), exactly as in faultline.yaml.
 */

/** A service of the system (one process each). */
export type RidesService = 'rider-api' | 'pricing' | 'maps' | 'wallet' | 'dispatch';

/** Every service; start-up is parallel, the order only matters for logs. */
export const RIDES_SERVICES: readonly RidesService[] = ['maps', 'wallet', 'pricing', 'dispatch', 'rider-api'];

/** One caller→dependency link through a proxy. */
export interface RidesLink {
  /** Proxy name on the fault proxy (as in faultline.yaml). */
  proxy: string;
  caller: RidesService;
  /** The real target: a service, or the Redis server. */
  target: RidesService | 'redis';
  /** Environment variable of the caller that receives the proxied URL. */
  env: string;
  /** The edge the proxy carries, as the manifest names it. */
  edge: { from: string; to: string };
}

/** The links, one proxy each. */
export const RIDES_LINKS: readonly RidesLink[] = [
  { proxy: 'rider-api-pricing', caller: 'rider-api', target: 'pricing', env: 'PRICING_URL', edge: { from: 'rider-api', to: 'pricing' } },
  { proxy: 'rider-api-wallet', caller: 'rider-api', target: 'wallet', env: 'WALLET_URL', edge: { from: 'rider-api', to: 'wallet' } },
  { proxy: 'pricing-maps', caller: 'pricing', target: 'maps', env: 'MAPS_URL', edge: { from: 'pricing', to: 'maps' } },
  { proxy: 'rider-api-redis', caller: 'rider-api', target: 'redis', env: 'QUEUE_REDIS_URL', edge: { from: 'rider-api', to: 'redis' } },
  { proxy: 'dispatch-redis', caller: 'dispatch', target: 'redis', env: 'QUEUE_REDIS_URL', edge: { from: 'dispatch', to: 'redis' } },
];

/**
 * The interaction-graph edges the traces show: the ride queue is an
 * asynchronous hop rider-api → dispatch (the consumer span is the producer
 * span's child), which is the graph's view of the rider-api-redis link.
 */
export const RIDES_TRACE_EDGES: readonly string[] = [
  'rider-api->pricing', 'rider-api->wallet', 'pricing->maps', 'rider-api->dispatch', 'dispatch->redis',
];
