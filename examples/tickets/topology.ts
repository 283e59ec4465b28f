/**
 * The tickets system's shape as data: its services and every faultable
 * link. Each link is one proxy of the fault proxy; the caller is configured
 * with the proxy's address instead of its callee's, so every dependency
 * connection — service→service HTTP and each service's own Redis
 * connection — can be faulted. Proxy names and edges are the ones in
 * faultline.yaml.
 */

/** A service of the system (one process each). */
export type TicketsService = 'box-office' | 'seat-map' | 'payments-gw' | 'fulfilment' | 'pricing';

/** Every service; start-up is parallel, the order only matters for logs. */
export const TICKETS_SERVICES: readonly TicketsService[] = ['pricing', 'payments-gw', 'seat-map', 'fulfilment', 'box-office'];

/** One caller→dependency link through a proxy. */
export interface TicketsLink {
  /** Proxy name on the fault proxy (as in faultline.yaml). */
  proxy: string;
  caller: TicketsService;
  /** The real target: a service, or the Redis server. */
  target: TicketsService | 'redis';
  /** Environment variable of the caller that receives the proxied URL. */
  env: string;
}

/** The links, one proxy each. */
export const TICKETS_LINKS: readonly TicketsLink[] = [
  { proxy: 'box-office-seat-map', caller: 'box-office', target: 'seat-map', env: 'SEAT_MAP_URL' },
  { proxy: 'box-office-payments-gw', caller: 'box-office', target: 'payments-gw', env: 'PAYMENTS_URL' },
  { proxy: 'box-office-pricing', caller: 'box-office', target: 'pricing', env: 'PRICING_URL' },
  { proxy: 'box-office-redis', caller: 'box-office', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'seat-map-redis', caller: 'seat-map', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'payments-gw-redis', caller: 'payments-gw', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'fulfilment-redis', caller: 'fulfilment', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'fulfilment-seat-map', caller: 'fulfilment', target: 'seat-map', env: 'SEAT_MAP_URL' },
];
