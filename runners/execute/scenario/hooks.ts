/**
 * The before-scenario hooks step: HTTP calls the manifest declares to
 * restore the system (restart a pod, reset a breaker, clear a cache) before
 * every attempt, so one scenario's lasting damage does not leak into the
 * next one's verdict. A hook that fails makes the attempt INCONCLUSIVE-env.
 */
import type { ManifestHook } from '../../../generators/manifest.js';
import { sendRequest, type FetchLike } from '../workload/request.js';

const HOOK_TIMEOUT_MS = 10_000;

/** Run the hooks in order; returns the environment problem, or undefined when all answered 2xx. */
export async function runBeforeScenarioHooks(hooks: readonly ManifestHook[], doFetch: FetchLike): Promise<string | undefined> {
  for (const hook of hooks) {
    const res = await sendRequest(doFetch, {
      method: hook.method,
      url: hook.url,
      headers: {},
      body: hook.body,
      timeoutMs: HOOK_TIMEOUT_MS,
    });
    if (!res.ok) {
      const why = res.timeout ? `no answer within ${HOOK_TIMEOUT_MS} ms` : (res.error ?? `HTTP ${res.status}`);
      return `before-scenario hook ${hook.method} ${hook.url} failed: ${why}`;
    }
  }
  return undefined;
}
