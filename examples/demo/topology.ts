/**
 * The demo's shape as data: its services and every faultable link between
 * them. Each link is one proxy of the fault proxy; the caller is configured
 * with the proxy's address instead of the callee's, so every dependency —
 * service→service, service→Redis for the cache and for the queue — can be
 * faulted. `edge` is the interaction-graph edge the link carries, as
 * faultline sees it in the traces.
 */

/** A demo service (one process each). */
export type DemoService = 'gateway' | 'orders' | 'payments' | 'inventory' | 'notifications';

/** Every demo service, in start order (start-up is parallel; the order only matters for logs). */
export const DEMO_SERVICES: readonly DemoService[] = ['payments', 'inventory', 'notifications', 'orders', 'gateway'];

/** One caller→dependency link through a proxy. */
export interface DemoLink {
  /** Proxy name on the fault proxy. */
  proxy: string;
  caller: DemoService;
  /** The real target: a service, or the Redis server. */
  target: DemoService | 'redis';
  /** Environment variable of the caller that receives the proxied URL. */
  env: string;
  /** The graph edge the link carries. */
  edge: { from: string; to: string };
}

/**
 * The links. The queue links carry Redis traffic, but the graph shows the
 * producer's side as the asynchronous hand-off orders→notifications (the
 * consumer span is the producer span's child), so that is the edge the
 * orders-queue proxy names; the worker's side is its own Redis use.
 */
export const DEMO_LINKS: readonly DemoLink[] = [
  { proxy: 'gateway-orders', caller: 'gateway', target: 'orders', env: 'ORDERS_URL', edge: { from: 'gateway', to: 'orders' } },
  { proxy: 'gateway-inventory', caller: 'gateway', target: 'inventory', env: 'INVENTORY_URL', edge: { from: 'gateway', to: 'inventory' } },
  { proxy: 'orders-inventory', caller: 'orders', target: 'inventory', env: 'INVENTORY_URL', edge: { from: 'orders', to: 'inventory' } },
  { proxy: 'orders-payments', caller: 'orders', target: 'payments', env: 'PAYMENTS_URL', edge: { from: 'orders', to: 'payments' } },
  { proxy: 'orders-queue', caller: 'orders', target: 'redis', env: 'QUEUE_REDIS_URL', edge: { from: 'orders', to: 'notifications' } },
  { proxy: 'notifications-queue', caller: 'notifications', target: 'redis', env: 'QUEUE_REDIS_URL', edge: { from: 'notifications', to: 'redis' } },
  { proxy: 'inventory-cache', caller: 'inventory', target: 'redis', env: 'CACHE_REDIS_URL', edge: { from: 'inventory', to: 'redis' } },
];

/** The real caller→callee edges of the demo (what a correct graph must show). */
export function demoEdges(): { from: string; to: string }[] {
  return DEMO_LINKS.map((l) => ({ ...l.edge }));
}

/** A URL whose host:port is replaced by a proxy's listen address (scheme, auth and path kept). */
export function throughProxy(targetUrl: string, listen: { host: string; port: number }): string {
  const url = new URL(targetUrl);
  url.hostname = listen.host;
  url.port = String(listen.port);
  return url.href.replace(/\/$/, '');
}
