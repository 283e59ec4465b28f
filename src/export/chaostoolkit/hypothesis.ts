/**
 * A scenario's oracle as a Chaos Toolkit steady-state hypothesis, made of
 * probes a Chaos Toolkit user can run without faultline:
 *
 * - every entrypoint a claim names becomes an `http` probe calling it the
 *   way faultline's workload would (templates rendered on the scenario's
 *   seed, the idempotency header set), tolerating any 2xx status. A latency
 *   claim's threshold becomes the probe's timeout: one request must answer
 *   inside the SLO, a single-sample stand-in for the claim's percentile.
 * - every HTTP state probe a claim reads (at-most-once, conservation, …)
 *   becomes an `http` probe that must answer 2xx: the state is readable.
 *
 * What the probes cannot say (a p99 over thousands of requests, duplicates
 * in a probe dump) is faultline's checkers' job; the experiment's faultline
 * extension carries the command that runs them (docs/chaostoolkit.md).
 */
import type { ClaimCheck } from '../../../claims/claim.js';
import type { ManifestEntrypoint } from '../../../generators/manifest.js';
import type { Plan, Scenario } from '../../../generators/plan.js';
import { seededRng } from '../../../runners/execute/workload/rng.js';
import { renderTemplate, renderUrl, type TemplateContext } from '../../../runners/execute/workload/template.js';
import type { CtkActivity, CtkHttpProvider, CtkTolerance } from './format.js';

/** Any 2xx answer: chaoslib compares the range with the `status` of an http probe's output. */
export const STATUS_2XX: CtkTolerance = { type: 'range', range: [200, 299], target: 'status' };

/** The client timeout faultline's workload uses when an entrypoint sets none (generators/manifest.ts). */
const DEFAULT_TIMEOUT_MS = 5000;

/** Entrypoints a check calls, with the latency bound it sets (if any). */
function entrypointsOf(check: ClaimCheck): { name: string; boundMs?: number }[] {
  switch (check.type) {
    case 'latency':
      return [{ name: check.entrypoint, boundMs: check.thresholdMs }];
    case 'availability':
    case 'recovery':
      return [{ name: check.entrypoint }];
    case 'linearizable':
      return [{ name: check.readEntrypoint }];
    default:
      return [];
  }
}

/** The state probe a check reads, if it reads one. */
function stateProbeOf(check: ClaimCheck): string | undefined {
  return 'probe' in check ? check.probe : undefined;
}

/** One request to an entrypoint, as faultline's workload would send it on this seed. */
function entrypointProvider(e: ManifestEntrypoint, ctx: TemplateContext, timeoutMs: number): CtkHttpProvider {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) headers[k] = String(renderTemplate(v, ctx));
  if (e.idempotencyHeader) headers[e.idempotencyHeader] = ctx.key;
  const body = e.body === undefined || e.method.toUpperCase() === 'GET' ? undefined : renderTemplate(e.body, ctx);
  // chaoslib sends `arguments` as JSON only when Content-Type is exactly application/json (provider/http.py).
  if (body !== undefined && typeof body === 'object') headers['Content-Type'] = 'application/json';
  return {
    type: 'http',
    url: renderUrl(e.url, ctx),
    method: e.method.toUpperCase(),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(body !== undefined ? { arguments: body } : {}),
    timeout: timeoutMs / 1000,
  };
}

/** The steady-state probes of one scenario: its claims' entrypoints, then the state probes they read. */
export function hypothesisProbes(plan: Plan, scenario: Scenario): CtkActivity[] {
  const checks = scenario.oracle.map((o) => o.check);
  const bounds = new Map<string, number | undefined>();
  for (const { name, boundMs } of checks.flatMap(entrypointsOf)) {
    const had = bounds.get(name);
    // The tightest latency bound of the claims on an entrypoint wins.
    bounds.set(name, had === undefined ? boundMs : boundMs === undefined ? had : Math.min(had, boundMs));
  }
  const ctx: TemplateContext = { rng: seededRng(scenario.workload.seed), key: `ctk-${scenario.id}-${scenario.workload.seed}` };
  const probes: CtkActivity[] = [];
  for (const [name, boundMs] of bounds) {
    const e = plan.entrypoints.find((x) => x.name === name);
    if (!e) continue;
    const timeoutMs = boundMs ?? e.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const within = boundMs === undefined ? '' : ` within ${boundMs} ms`;
    probes.push({ type: 'probe', name: `entrypoint ${name} answers 2xx${within}`, tolerance: STATUS_2XX, provider: entrypointProvider(e, ctx, timeoutMs) });
  }
  const stateProbes = new Set(checks.map(stateProbeOf).filter((p): p is string => p !== undefined));
  for (const name of stateProbes) {
    const p = plan.probes.find((x) => x.name === name);
    // Redis and BullMQ probes have no HTTP address a Chaos Toolkit probe could call.
    if (p?.type !== 'http') continue;
    probes.push({ type: 'probe', name: `state probe ${name} is readable`, tolerance: STATUS_2XX, provider: { type: 'http', url: p.url, method: 'GET', timeout: DEFAULT_TIMEOUT_MS / 1000 } });
  }
  return probes;
}
