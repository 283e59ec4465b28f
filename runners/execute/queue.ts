/**
 * The scenario queue shared by the BullMQ executor (producer) and workers
 * (consumers): its name, the job data, and Redis connection options.
 * Workers need `maxRetriesPerRequest: null` (BullMQ requires it for
 * blocking commands); producers fail fast instead.
 */
import type { Scenario } from '../../generators/plan.js';
import type { ScenarioPlanContext } from './scenario/context.js';

/** Default queue name. */
export const SCENARIO_QUEUE = 'faultline-scenarios';

/** Job name of a scenario job. */
export const SCENARIO_JOB = 'scenario';

/** What one scenario job carries: the scenario and the slice of the plan it reads. */
export interface ScenarioJobData {
  runId: string;
  planId: string;
  scenario: Scenario;
  plan: ScenarioPlanContext;
  options: { phaseScale?: number };
  index: number;
  total: number;
}

/**
 * Job id of a scenario in a run, so re-enqueuing the same run does not add it
 * twice. BullMQ refuses custom ids with a single `:`, hence the `/`.
 */
export function scenarioJobId(runId: string, scenarioId: string): string {
  return `${runId}/${scenarioId}`;
}

/** ioredis options parsed from a redis:// URL. */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  db?: number;
  username?: string;
  password?: string;
  maxRetriesPerRequest: number | null;
}

/** Connection options; `forWorker` sets maxRetriesPerRequest: null as BullMQ workers require. */
export function redisConnection(url: string, forWorker: boolean): RedisConnectionOptions {
  const u = new URL(url);
  const o: RedisConnectionOptions = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: forWorker ? null : 1 };
  if (u.pathname.length > 1) o.db = Number(u.pathname.slice(1));
  if (u.username) o.username = decodeURIComponent(u.username);
  if (u.password) o.password = decodeURIComponent(u.password);
  return o;
}
