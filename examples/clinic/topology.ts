/**
 * The clinic system's shape as data: its services and every faultable
 * link. Each link is one proxy of the fault proxy; the caller is configured
 * with the proxy's address instead of its callee's, so every dependency
 * connection — service→service HTTP, each service's PostgreSQL pool and
 * each Redis connection — can be faulted. Proxy names and edges are the
 * ones in faultline.yaml.
 */

/** A service of the system (one process each). */
export type ClinicService = 'front-desk' | 'appt-core' | 'patient-chart' | 'board-relay';

/** Every service; start-up is parallel, the order only matters for logs. */
export const CLINIC_SERVICES: readonly ClinicService[] = ['patient-chart', 'appt-core', 'board-relay', 'front-desk'];

/** What a link reaches: a service, or one of the two datastores. */
export type ClinicTarget = ClinicService | 'postgres' | 'redis';

/** One caller→dependency link through a proxy. */
export interface ClinicLink {
  /** Proxy name on the fault proxy (as in faultline.yaml). */
  proxy: string;
  caller: ClinicService;
  target: ClinicTarget;
  /** Environment variable of the caller that receives the proxied URL. */
  env: string;
}

/** The links, one proxy each. */
export const CLINIC_LINKS: readonly ClinicLink[] = [
  { proxy: 'front-desk-appt-core', caller: 'front-desk', target: 'appt-core', env: 'APPT_CORE_URL' },
  { proxy: 'front-desk-patient-chart', caller: 'front-desk', target: 'patient-chart', env: 'PATIENT_CHART_URL' },
  { proxy: 'front-desk-redis', caller: 'front-desk', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'appt-core-postgres', caller: 'appt-core', target: 'postgres', env: 'DATABASE_URL' },
  { proxy: 'appt-core-patient-chart', caller: 'appt-core', target: 'patient-chart', env: 'PATIENT_CHART_URL' },
  { proxy: 'patient-chart-postgres', caller: 'patient-chart', target: 'postgres', env: 'DATABASE_URL' },
  { proxy: 'board-relay-redis', caller: 'board-relay', target: 'redis', env: 'REDIS_URL' },
  { proxy: 'board-relay-postgres', caller: 'board-relay', target: 'postgres', env: 'DATABASE_URL' },
];
