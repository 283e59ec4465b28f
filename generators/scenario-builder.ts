/**
 * Completing a scenario around a chosen (claim, edge, fault): the oracle,
 * the landing signal, workload, phases, exit criteria and the model and
 * history fields a safety checker needs. Both generators call this, so a
 * scenario the LLM proposed is held to exactly the rules' standard.
 */
import type { GraphEdge } from '../graph/model.js';
import { FAULTLINE_ONLY, type FaultType } from '../base/faults.js';
import type { Claim, ClaimCheck } from '../claims/claim.js';
import { formOf } from '../claims/forms/index.js';
import type { ManifestProxy } from './manifest.js';
import type { LandingSignal, Scenario, ScenarioFault } from './plan.js';
import { DEFAULT_RECOVERY, hash31, type PlanContext } from './plan-context.js';
import { snake } from './snake-id.js';
import { checkEntrypoints, checkProbe } from './claim-reach.js';

/** Weight multiplier for the entrypoints a scenario's claim is about. */
const CLAIM_WEIGHT = 3;

/**
 * Build one scenario; `taken` holds ids already used in the plan (names stay
 * unique). `minFaultMs` lengthens the fault phase for faults that need time
 * to do their work (an outage that must outlast the retry budget).
 */
export function buildScenario(ctx: PlanContext, claim: Claim, edge: GraphEdge, proxy: ManifestProxy, fault: ScenarioFault, hypothesisId: string, taken: Set<string>, minFaultMs?: number): Scenario {
  const { manifest } = ctx.input;
  // Name the fault by its callee, or by caller_callee when several edges lead
  // into that callee (two services calling redis are two different faults).
  const shared = [...ctx.edges.values()].filter((e) => e.target === edge.target).length > 1;
  const where = shared ? `${snake(edge.source)}_${snake(edge.target)}` : snake(edge.target);
  const id = uniqueId(`${claimSubject(claim.check)}_under_${where}_${fault.family ? snake(fault.family) : faultWord(fault.toxic)}`, taken);
  const claimEps = new Set(checkEntrypoints(claim.check));
  const { model, historyFields } = formOf(claim.check).model(claim.check);
  const landing = landingSignal(edge, proxy, fault);
  const phases = phasesFor(claim.check, { ...manifest.phases });
  if (minFaultMs !== undefined) phases.faultMs = Math.max(phases.faultMs, minFaultMs);
  return {
    id,
    title: `${claim.text} — while ${describeFault(fault)} on ${edge.id}`,
    claims: [claim.id],
    hypotheses: [hypothesisId],
    target: { edge: edge.id, proxy: proxy.name },
    fault,
    workload: {
      entrypoints: manifest.entrypoints.map((e) => ({ name: e.name, weight: (e.weight ?? 1) * (claimEps.has(e.name) ? CLAIM_WEIGHT : 1) })),
      ratePerSec: manifest.workload.ratePerSec,
      seed: (manifest.workload.seed + hash31(id)) % 2_147_483_647,
    },
    oracle: [{ claimId: claim.id, check: claim.check }],
    ...(model !== undefined ? { model } : {}),
    historyFields,
    landing,
    exitCriteria: exitCriteria(claim, landing, ctx),
    phases,
    requiresFaultlineProxy: FAULTLINE_ONLY.includes(fault.toxic),
    observedPhases: formOf(claim.check).observedPhases(claim.check),
  };
}

/** Short human phrase for a fault. */
export function describeFault(f: ScenarioFault): string {
  if (f.toxic === 'down') return 'the proxy is down';
  if (f.toxic === 'flap') return `the proxy flaps (down ${f.attributes.down_ms} ms, up ${f.attributes.up_ms} ms)`;
  const attrs = Object.entries(f.attributes).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${f.toxic}${attrs ? ` ${attrs}` : ''} (${f.stream}, toxicity ${f.toxicity})`;
}

/**
 * Add a claim to a scenario that already runs the same fault on the same
 * edge: its check joins the oracle, and the scenario's phases, history
 * fields and observed phases widen to serve both checks.
 */
export function mergeClaim(ctx: PlanContext, s: Scenario, claim: Claim): Scenario {
  if (s.claims.includes(claim.id)) return s;
  const form = formOf(claim.check);
  const { model, historyFields } = form.model(claim.check);
  const phases = phasesFor(claim.check, { ...s.phases });
  const claimEps = new Set(form.entrypoints(claim.check));
  return {
    ...s,
    claims: [...s.claims, claim.id],
    oracle: [...s.oracle, { claimId: claim.id, check: claim.check }],
    ...(model !== undefined ? { model: s.model && s.model !== model ? `${s.model}; ${model}` : model } : {}),
    historyFields: [...new Set([...(s.historyFields ?? []), ...historyFields])],
    phases,
    observedPhases: (['baseline', 'fault', 'recovery'] as const).filter((p) => s.observedPhases.includes(p) || form.observedPhases(claim.check).includes(p)),
    workload: { ...s.workload, entrypoints: s.workload.entrypoints.map((e) => (claimEps.has(e.name) && !s.oracle.some((o) => formOf(o.check).entrypoints(o.check).includes(e.name)) ? { ...e, weight: e.weight * CLAIM_WEIGHT } : e)) },
    exitCriteria: [...new Set([...s.exitCriteria, ...exitCriteria(claim, s.landing, ctx)])],
  };
}

/** The manifest's phases, lengthened where the claim's form needs it (a recovery bound needs room to recover and hold). */
function phasesFor(check: ClaimCheck, phases: Scenario['phases']): Scenario['phases'] {
  const min = formOf(check).minRecoveryMs?.(check, DEFAULT_RECOVERY);
  return min !== undefined ? { ...phases, recoveryMs: Math.max(phases.recoveryMs, min) } : phases;
}

/** The claim-shaped front of a scenario name: `checkout_p99`, `orders_at_most_once`. */
function claimSubject(check: ClaimCheck): string {
  return formOf(check).render.subject(check).map(snake).join('_');
}

function faultWord(t: FaultType): string {
  return t === 'reset_peer' ? 'reset' : t;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/**
 * How the run proves the fault touched traffic. Faultline-only toxics can be
 * proven only by faultline's proxy counters; Toxiproxy-standard ones use the
 * counters when present and fall back to the edge in fault-phase traces.
 */
function landingSignal(edge: GraphEdge, proxy: ManifestProxy, fault: ScenarioFault): LandingSignal {
  if (FAULTLINE_ONLY.includes(fault.toxic)) {
    return { kind: 'proxy-counters', expectation: `faultline proxy ${proxy.name}: the ${fault.toxic} toxic touched > 0 requests during the fault phase` };
  }
  const counters = `proxy ${proxy.name} counters show the toxic touched > 0 connections`;
  if (fault.toxic === 'latency') {
    const min = Math.round((fault.attributes.latency ?? 0) / 2);
    return { kind: 'edge-latency', expectation: `${counters}; else ${edge.id} p50 in fault-phase traces rises by ≥ ${min} ms over baseline` };
  }
  const what = fault.toxic === 'down' || fault.toxic === 'flap' ? 'refused connections' : 'connection errors';
  return { kind: 'edge-errors', expectation: `${counters}; else ${edge.id} shows ${what} (error spans or missing calls) in fault-phase traces while baseline shows none` };
}

function exitCriteria(claim: Claim, landing: LandingSignal, ctx: PlanContext): string[] {
  const probe = checkProbe(claim.check);
  const out = [
    `fault landed: ${landing.expectation}`,
    `history complete: every operation invoked in the ${formOf(claim.check).observedPhases(claim.check).join('/')} phase(s) completed or timed out`,
  ];
  if (probe !== undefined) out.push(`probe ${probe} dumped before baseline and after recovery`);
  out.push(`verdict: claim ${claim.id} holds → PASS; violated → FAIL, re-run on the same seed to tell reproducible from nondeterministic`);
  return out;
}
