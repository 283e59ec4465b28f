/**
 * Empty is not success. A plan with no scenario, a run that executed none
 * and a sweep whose traces fell outside its lookback used to end with exit
 * code 0 and an empty table, which a CI job reads as "all claims hold".
 * Each is named here in one line, with why and the fix; the CLI turns it
 * into a non-zero exit (code EMPTY), the API into `status: "empty"`.
 */
import type { Plan } from '../generators/plan.js';
import type { GraphSnapshot } from '../graph/model.js';
import type { Findings } from '../runners/record/result.js';

/** Why a plan has no scenario, and the fix; undefined when it has some. */
export function emptyPlanReason(plan: Plan): string | undefined {
  if (plan.scenarios.length > 0) return undefined;
  const head = `plan ${plan.id} has no scenario`;
  if (plan.architecture.edges === 0) return `${head}: the traces show no call between services or to a dependency; fix: read traces that cover real traffic (a wider lookback, or drive traffic first)`;
  if (plan.claims.length === 0) return `${head}: there is no claim to test; fix: add claims to the manifest (claims: or claimsFile:)`;
  if (plan.proxies.length === 0) return `${head}: the manifest has no proxy to put a fault on; fix: add proxies: for the edges your claims cross (\`faultline proxies\` suggests them)`;
  const unmatched = plan.unmatched?.proxies ?? [];
  if (unmatched.length === plan.proxies.length) {
    const p = unmatched[0];
    return `${head}: no proxy of the manifest sits on a traced edge (${p.proxy}: ${p.reason}); fix: point each proxy's edge at an edge of the graph (\`faultline proxies\` suggests them)`;
  }
  const why = plan.residualUncertainty[0] ?? 'no claim reaches an edge that has a proxy';
  return `${head}: ${why}; fix: add a proxy on an edge your claims cross (\`faultline proxies\` suggests them)`;
}

/** Why `--only` selects nothing from the plan; undefined when it selects some. */
export function emptySelectionReason(plan: Plan, only: readonly string[] | undefined): string | undefined {
  if (!only || only.length === 0) return undefined;
  const known = new Set(plan.scenarios.map((s) => s.id));
  if (only.some((id) => known.has(id))) return undefined;
  const ids = plan.scenarios.map((s) => s.id);
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, … (${ids.length} in all)` : '');
  return `--only ${only.join(',')} matches no scenario of plan ${plan.id}; fix: name scenario ids of the plan: ${shown}`;
}

/** Why a run executed no scenario; undefined when it executed some. */
export function emptyRunReason(findings: Findings): string | undefined {
  if (findings.results.length === 0) return `run ${findings.runId} executed no scenario, so it proves nothing; fix: check the plan's scenarios and --only`;
  if (findings.results.every((r) => r.notRun)) return `run ${findings.runId} executed no scenario: ${findings.results[0].notRun}; fix: bring the system under test up and run again`;
  return undefined;
}

/** Why a sweep's graph is empty (no span in the trace window), and the fix; undefined when it has spans. */
export function emptyGraphReason(snapshot: GraphSnapshot, window: { source: string; lookback?: string }): string | undefined {
  if (snapshot.spans > 0) return undefined;
  if (!window.lookback) return `no span in ${window.source}; fix: point traces: at the files or receiver your services' spans reach`;
  return `no span in the last ${window.lookback} of ${window.source}: the traces fell outside the lookback (or none were sent); fix: widen traces.lookback in the manifest, or send traffic to the system before the sweep`;
}
