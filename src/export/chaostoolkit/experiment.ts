/**
 * A faultline plan as Chaos Toolkit experiments, one per scenario: values
 * in, values out (the CLI writes the files).
 *
 * The shape follows faultline's phases. Chaos Toolkit checks the steady
 * state, runs the method, checks the steady state again, then runs the
 * rollbacks. So the method injects the fault and holds it for the fault
 * phase (a pause after the action), removes it and waits the recovery
 * phase; the check after the method then asks what faultline's recovery and
 * lasting-damage checks ask: did the system come back? The rollbacks remove
 * the fault again, so a method that fails halfway never leaves it on
 * (removing a removed toxic, or enabling an enabled proxy, is harmless).
 * `chaos run --hypothesis-strategy continuously` also checks the probes
 * while the fault is on, for claims about the fault phase.
 */
import { faultOf } from '../../../base/faults.js';
import type { Claim, ClaimCategory } from '../../../claims/claim.js';
import type { Plan, Scenario } from '../../../generators/plan.js';
import { CTK_FAULTS, faultActivities } from './fault-actions.js';
import type { CtkActivity, CtkExperiment } from './format.js';
import { hypothesisProbes } from './hypothesis.js';

/** What the plan file does not say: how the user refers to it, and where Toxiproxy's API is. */
export interface ExperimentOptions {
  /** The plan's file name as the user passes it to `faultline run` (for the reproducer); default `plan.json`. */
  planFile?: string;
  /** Overrides the plan's `toxiproxy.url` as the default of the `toxiproxy_url` configuration. */
  toxiproxyUrl?: string;
}

/** One experiment and the scenario it came from (its file name). */
export interface ExportedExperiment {
  scenarioId: string;
  experiment: CtkExperiment;
}

/** Toxiproxy's own default API address, and faultline's proxy's (`faultline proxy`). */
const DEFAULT_TOXIPROXY_URL = 'http://127.0.0.1:8474';

/** Chaos Toolkit's contribution names for what each claim category is about. */
const CONTRIBUTION: Record<ClaimCategory, string> = {
  'performance-slo': 'performance',
  availability: 'availability',
  recovery: 'reliability',
  liveness: 'availability',
  safety: 'reliability',
  durability: 'reliability',
  idempotency: 'reliability',
  ordering: 'reliability',
  isolation: 'security',
};

/** The name the toxic gets on the proxy, so the rollback can delete exactly it. */
export function toxicNameOf(scenario: Scenario): string {
  return `faultline-${scenario.id}`;
}

/** From the fault table as well as the plan's flag: a hand-edited plan may have changed the fault and not the flag. */
function needsFaultlineProxy(scenario: Scenario): boolean {
  return scenario.requiresFaultlineProxy || faultOf(scenario.fault.toxic).faultlineOnly;
}

function claimsOf(plan: Plan, scenario: Scenario): Claim[] {
  return scenario.claims.map((id) => plan.claims.find((c) => c.id === id)).filter((c): c is Claim => c !== undefined);
}

function withPauseAfter(activities: CtkActivity[], ms: number): CtkActivity[] {
  if (activities.length === 0 || ms <= 0) return activities;
  const last = activities[activities.length - 1];
  return [...activities.slice(0, -1), { ...last, pauses: { ...last.pauses, after: Math.round(ms) / 1000 } }];
}

function description(plan: Plan, scenario: Scenario, claims: Claim[]): string {
  const f = scenario.fault;
  // The title already says what the scenario is; the description says what it does and where it came from.
  const parts = [
    `Tries to falsify ${claims.map((c) => `"${c.text}"`).join(', ') || 'no named claim'} with the fault ${f.toxic} on ${scenario.target.edge} (proxy ${scenario.target.proxy}; ${f.sizing}).`,
    `Exported by faultline from plan ${plan.id} (system ${plan.system}).`,
  ];
  if (needsFaultlineProxy(scenario)) parts.push(`The ${f.toxic} toxic exists only in faultline's proxy: point toxiproxy_url at \`faultline proxy\`, a real Toxiproxy rejects it.`);
  return parts.join(' ');
}

/** One scenario as a Chaos Toolkit experiment. */
export function scenarioExperiment(plan: Plan, scenario: Scenario, options: ExperimentOptions = {}): CtkExperiment {
  const claims = claimsOf(plan, scenario);
  const f = scenario.fault;
  const { inject, remove } = faultActivities({ proxy: scenario.target.proxy, toxicName: toxicNameOf(scenario), fault: f, faultMs: scenario.phases.faultMs });
  const seed = scenario.workload.seed;
  const contributions = Object.fromEntries([...new Set(claims.map((c) => CONTRIBUTION[c.category]))].map((k) => [k, 'high' as const]));
  const tags = [...new Set(['faultline', `system:${plan.system}`, `fault:${f.toxic}`, `edge:${scenario.target.edge}`, ...claims.map((c) => `claim:${c.id}`)])];
  return {
    version: '1.0.0',
    title: scenario.title || scenario.id,
    description: description(plan, scenario, claims),
    tags,
    ...(Object.keys(contributions).length ? { contributions } : {}),
    configuration: {
      // The environment wins, so one exported file runs against any Toxiproxy.
      toxiproxy_url: { type: 'env', key: 'TOXIPROXY_URL', default: options.toxiproxyUrl ?? plan.toxiproxy?.url ?? DEFAULT_TOXIPROXY_URL },
    },
    extensions: [{
      name: 'faultline',
      planId: plan.id,
      system: plan.system,
      scenario: scenario.id,
      claims: claims.map((c) => ({ id: c.id, text: c.text, category: c.category, check: c.check })),
      oracle: scenario.oracle,
      seed,
      target: scenario.target,
      fault: f,
      faultVia: CTK_FAULTS[f.toxic].via,
      phases: scenario.phases,
      requiresFaultlineProxy: needsFaultlineProxy(scenario),
      reproduce: `faultline run ${options.planFile ?? 'plan.json'} --only ${scenario.id} --seed ${seed}`,
    }],
    'steady-state-hypothesis': {
      title: claims.length ? `The system holds: ${claims.map((c) => c.text).join('; ')}` : `The system answers as in its baseline`,
      probes: hypothesisProbes(plan, scenario),
    },
    method: [...inject, ...withPauseAfter(remove, scenario.phases.recoveryMs)],
    rollbacks: remove,
  };
}

/** Every scenario of a plan as a Chaos Toolkit experiment, in plan order. */
export function planExperiments(plan: Plan, options: ExperimentOptions = {}): ExportedExperiment[] {
  return plan.scenarios.map((s) => ({ scenarioId: s.id, experiment: scenarioExperiment(plan, s, options) }));
}
