/**
 * The ledger system's shape as data: its services and every faultable link.
 * Each link is one proxy of the fault proxy; the caller is configured with
 * the proxy's address instead of its callee's, so every dependency —
 * service→service HTTP and each service's Redis connection — can be faulted.
 * Proxy names and edges are the ones in faultline.yaml.
 */

/** A service of the system (one process each). */
export type LedgerService = 'bank-api' | 'core-ledger' | 'fx' | 'statement-worker';

/** Every service; start-up is parallel, the order only matters for logs. */
export const LEDGER_SERVICES: readonly LedgerService[] = ['fx', 'core-ledger', 'statement-worker', 'bank-api'];

/** One caller→dependency link through a proxy. */
export interface LedgerLink {
  /** Proxy name on the fault proxy (as in faultline.yaml). */
  proxy: string;
  caller: LedgerService;
  /** The real target: a service, or the Redis server. */
  target: LedgerService | 'redis';
  /** Environment variable of the caller that receives the proxied URL. */
  env: string;
}

/** The links, one proxy each. */
export const LEDGER_LINKS: readonly LedgerLink[] = [
  { proxy: 'bank-api-core-ledger', caller: 'bank-api', target: 'core-ledger', env: 'CORE_LEDGER_URL' },
  { proxy: 'bank-api-fx', caller: 'bank-api', target: 'fx', env: 'FX_URL' },
  { proxy: 'bank-api-redis', caller: 'bank-api', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'core-ledger-redis', caller: 'core-ledger', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'statement-worker-redis', caller: 'statement-worker', target: 'redis', env: 'REDIS_URL' },
];
