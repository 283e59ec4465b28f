/**
 * Precheck step: before any load, the environment must be clean and the
 * system healthy, or the scenario's verdict means nothing. A proxy that
 * already carries toxics (ours or anyone's) is not cleaned silently — that
 * would hide a broken harness — it makes the scenario INCONCLUSIVE-env with
 * the reason.
 */
import { randomUUID } from 'node:crypto';
import type { Scenario } from '../../../generators/plan.js';
import type { FaultInjector } from '../../faults/fault-injector.js';
import { sendRequest, type FetchLike } from '../workload/request.js';
import { seededRng, type Rng } from '../workload/rng.js';
import type { ManifestEntrypoint } from '../../../generators/manifest.js';
import { renderString, renderTemplate, renderUrl, type Choice } from '../workload/template.js';
import type { ScenarioPlanContext } from './context.js';
import { isRefusal } from '../../../claims/history.js';

/** Requests sent per entrypoint, and how many must succeed. */
const HEALTH_REQUESTS = 3;
const HEALTH_REQUIRED = 2;
/** How long an unhealthy entrypoint may take to settle before the scenario is INCONCLUSIVE-env. */
export const DEFAULT_SETTLE_MS = 5000;

/** Why a scenario may not run. */
export interface PrecheckProblem {
  reason: string;
  /** True when it is the system under test that does not answer, not the harness or the proxy. */
  systemDown: boolean;
}

/** Returns the problem, or undefined when the scenario may run. */
export async function precheck(scenario: Scenario, plan: ScenarioPlanContext, injector: FaultInjector, doFetch: FetchLike, settleMs = DEFAULT_SETTLE_MS): Promise<PrecheckProblem | undefined> {
  const harness = (reason: string) => ({ reason, systemDown: false });
  try {
    await injector.version();
  } catch (err) {
    return harness(`fault proxy ${injector.describe} unreachable: ${(err as Error).message}`);
  }
  const proxy = await injector.getProxy(scenario.target.proxy);
  if (!proxy) return harness(`proxy ${scenario.target.proxy} does not exist on ${injector.describe}`);
  if (proxy.toxics.length > 0) {
    return harness(`proxy ${scenario.target.proxy} is dirty: it already has toxics ${proxy.toxics.map((t) => t.name).join(', ')}`);
  }
  if (!proxy.enabled) return harness(`proxy ${scenario.target.proxy} is disabled before the scenario started`);

  const rng = seededRng(scenario.workload.seed ^ 0x2545f491);
  for (const { name } of scenario.workload.entrypoints) {
    const ep = plan.entrypoints.find((e) => e.name === name);
    if (!ep) return harness(`entrypoint ${name} is not defined in the plan`);
    // A system still settling from the previous scenario gets a grace period;
    // one that stays unhealthy makes this scenario's verdict meaningless.
    const deadline = Date.now() + settleMs;
    let health = await probeEntrypoint(ep, rng, doFetch);
    while (health.ok < HEALTH_REQUIRED && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      health = await probeEntrypoint(ep, rng, doFetch);
    }
    if (health.ok < HEALTH_REQUIRED) {
      const reason = `entrypoint ${name} unhealthy before the fault: ${health.ok}/${HEALTH_REQUESTS} requests succeeded (last: ${health.last})` +
        (settleMs > 0 ? ` after waiting ${Math.round(settleMs / 1000)} s for it to settle` : '');
      return { reason, systemDown: true };
    }
  }
  return undefined;
}

/** A verdict of health: at least this many of HEALTH_REQUESTS succeeded. */
export const isHealthy = (h: { ok: number }) => h.ok >= HEALTH_REQUIRED;

/**
 * Send a few requests to one entrypoint, each with a request key never sent
 * before, and count the successes (also the lasting-damage check's health
 * probe). `rng` draws the template values; `replay`, when given, holds the
 * resource choices of requests that failed during the fault, re-asked in
 * turn (workload/revisits.ts), and then a 4xx answer counts as answered: the
 * failed request may have taken effect, and refusing it again is right.
 */
export async function probeEntrypoint(ep: ManifestEntrypoint, rng: Rng, doFetch: FetchLike, replay?: readonly (readonly Choice[])[]): Promise<{ ok: number; last: string }> {
  let ok = 0;
  let last = '';
  for (let i = 0; i < HEALTH_REQUESTS; i++) {
    // Never a seeded key: a same-seed re-run would send the keys of the first
    // attempt, and an idempotent system answers a key it has seen from its
    // records without doing the work, so a broken system would look healthy.
    const key = `precheck-${randomUUID()}`;
    const choices = replay && replay.length > 0 ? { drawn: [] as Choice[], replay: replay[i % replay.length] } : undefined;
    const ctx = { rng, key, ...(choices ? { choices } : {}) };
    // Body, headers, URL: the workload driver's order, so replayed choices land where they were drawn.
    const body = ep.body === undefined ? undefined : renderTemplate(ep.body, ctx);
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(ep.headers ?? {})) headers[h] = String(renderString(v, ctx));
    if (ep.idempotencyHeader) headers[ep.idempotencyHeader] = key;
    const res = await sendRequest(doFetch, { method: ep.method.toUpperCase(), url: renderUrl(ep.url, ctx), headers, body, timeoutMs: ep.timeoutMs ?? 5000 });
    if (res.ok || (replay !== undefined && isRefusal(res))) ok++;
    else last = res.timeout ? 'timed out' : (res.error ?? 'failed');
  }
  return { ok, last };
}
