/**
 * What every route module receives: the config, the resolved dependencies,
 * the run manager and the sweep launcher, plus the shared schema pieces.
 */
import type { Manifest } from '../../generators/manifest.js';
import type { AppDeps } from './app-deps.js';
import type { Config } from '../config.js';
import type { Clock } from '../store/artifact-id.js';
import type { Log } from '../log.js';
import type { ServiceMetrics } from './service-metrics.js';
import type { RunManager } from './run-manager.js';
import type { StartedSweep, SweepOptions } from '../sweeps/sweep.js';
import { fail } from '../../base/errors.js';

/** Launches sweeps from the API, one at a time per process. */
export interface SweepLauncher {
  start(opts: SweepOptions): Promise<StartedSweep>;
  /** The sweep now running here, if any. */
  running(): string | undefined;
}

/** Shared context of the routes. */
export interface RouteContext {
  config: Config;
  deps: AppDeps & { log: Log; clock: Clock };
  runs: RunManager;
  sweeps: SweepLauncher;
  metrics: ServiceMetrics;
  /** The configured manifest, loaded (and validated) on each use so edits apply. */
  manifest(): Promise<Manifest>;
}

/** Load the configured manifest or explain why there is none. */
export async function configuredManifest(deps: AppDeps): Promise<Manifest> {
  if (!deps.manifestPath) throw fail('BAD_INPUT', 'no manifest configured on the server (faultline serve --manifest); upload one in the request body');
  return deps.pipeline.loadManifest(deps.manifestPath);
}

/** Response schema of a problem (4xx/5xx). */
export const problemResponses = { '4xx': { $ref: 'Problem#' }, '5xx': { $ref: 'Problem#' } } as const;

/** `id` path parameter. */
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' } },
  required: ['id'],
} as const;

/** An open object (large documents validated by their own schema modules). */
export const openObject = { type: 'object', additionalProperties: true } as const;

/** Normalise an ISO `since` query value (400 when unparseable). */
export function isoSince(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw fail('BAD_INPUT', `querystring/since must be an ISO 8601 time, got ${JSON.stringify(since)}`, { field: 'since' });
  return new Date(t).toISOString();
}

/** True when the client prefers Markdown (`Accept: text/markdown`). */
export function wantsMarkdown(accept: string | undefined): boolean {
  return /\btext\/markdown\b/.test(accept ?? '');
}
