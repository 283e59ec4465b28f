/**
 * Which halting conditions apply to one scenario. A halting guard is a
 * safety stop, like ChAP's and AWS FIS's stop conditions: it protects what
 * lies outside the hypothesis — entrypoints no claim of the scenario
 * targets — and never aborts the effect the scenario was designed to cause
 * (an error spike on the scenario's own entrypoints under its own fault is
 * the experiment working). A condition declared `scope: always` is a user
 * stop condition and applies everywhere. Pure: plan in, decision out, so the
 * plan shows a reviewer exactly what may stop each fault.
 */
import type { ClaimCheck } from '../claims/claim.js';
import type { HaltingCondition, Scenario, ScenarioHalting } from './plan.js';

function checkEntrypoints(check: ClaimCheck): string[] | undefined {
  if (check.type === 'linearizable') return [check.readEntrypoint, check.writeEntrypoint];
  if ('entrypoint' in check && check.entrypoint !== undefined) return [check.entrypoint];
  return undefined;
}

/**
 * Entrypoints the scenario's claims target. A claim that names none (a
 * probe claim such as at-most-once) is exercised by the whole workload, so
 * then every workload entrypoint is part of the hypothesis.
 */
export function targetedEntrypoints(scenario: Pick<Scenario, 'oracle' | 'workload'>): string[] {
  const workload = scenario.workload.entrypoints.map((e) => e.name);
  const out = new Set<string>();
  for (const oc of scenario.oracle) {
    const eps = checkEntrypoints(oc.check);
    if (!eps) return workload;
    for (const e of eps) out.add(e);
  }
  return [...out];
}

const describe = (c: HaltingCondition) => `${c.entrypoint ?? 'any entrypoint'} error rate > ${Math.round(c.maxErrorRate * 100)}% over ${c.windowMs} ms`;

/** Decide the scenario's guards from the plan's halting conditions. */
export function scenarioHalting(scenario: Pick<Scenario, 'oracle' | 'workload'>, conditions: readonly HaltingCondition[]): ScenarioHalting {
  const driven = scenario.workload.entrypoints.filter((e) => e.weight > 0).map((e) => e.name);
  const targeted = new Set(targetedEntrypoints(scenario));
  const out: ScenarioHalting = { guards: [], exempt: [] };
  for (const c of conditions) {
    const watched = c.entrypoint === undefined ? driven : driven.filter((e) => e === c.entrypoint);
    const guard = { maxErrorRate: c.maxErrorRate, windowMs: c.windowMs };
    if (watched.length === 0) {
      out.exempt.push(`${describe(c)}: the workload of this scenario does not drive ${c.entrypoint}`);
      continue;
    }
    if (c.scope === 'always') {
      out.guards.push({ ...guard, entrypoints: watched, why: `user stop condition (scope: always) on ${watched.join(', ')}` });
      continue;
    }
    const protectedEps = watched.filter((e) => !targeted.has(e));
    const hypothesis = watched.filter((e) => targeted.has(e));
    if (protectedEps.length > 0) {
      out.guards.push({ ...guard, entrypoints: protectedEps, why: `protects ${protectedEps.join(', ')}, which no claim of this scenario targets` });
    }
    if (hypothesis.length > 0) {
      out.exempt.push(`${describe(c)} on ${hypothesis.join(', ')}: the scenario's own hypothesis (errors there under the fault are the experiment working)`);
    }
  }
  return out;
}
