/**
 * Completing a scenario around a chosen (claim, edge, fault): the oracle,
 * the landing signal, workload, phases, exit criteria and the model and
 * history fields a safety checker needs. Both generators call this, so a
 * scenario the LLM proposed is held to exactly the rules' standard.
 */
import type { GraphEdge } from '../graph/model.js';
import { FAULTLINE_ONLY_TOXICS, type ToxicType } from '../runners/faults/fault-injector.js';
import type { Claim, ClaimCheck, Phase } from '../claims/claim.js';
import type { ManifestProxy } from './manifest.js';
import type { LandingSignal, Scenario, ScenarioFault } from './plan.js';
import { DEFAULT_RECOVERY, hash31, type PlanContext } from './plan-context.js';
import { snake } from './snake-id.js';
import { checkEntrypoints, checkProbe } from './claim-reach.js';

/** Weight multiplier for the entrypoints a scenario's claim is about. */
const CLAIM_WEIGHT = 3;

/** Build one scenario; `taken` holds ids already used in the plan (names stay unique). */
export function buildScenario(ctx: PlanContext, claim: Claim, edge: GraphEdge, proxy: ManifestProxy, fault: ScenarioFault, hypothesisId: string, taken: Set<string>): Scenario {
  const { manifest } = ctx.input;
  // Name the fault by its callee, or by caller_callee when several edges lead
  // into that callee (two services calling redis are two different faults).
  const shared = [...ctx.edges.values()].filter((e) => e.target === edge.target).length > 1;
  const where = shared ? `${snake(edge.source)}_${snake(edge.target)}` : snake(edge.target);
  const id = uniqueId(`${claimSubject(claim.check)}_under_${where}_${faultWord(fault.toxic)}`, taken);
  const claimEps = new Set(checkEntrypoints(claim.check));
  const { model, historyFields } = checkModel(claim.check);
  const landing = landingSignal(edge, proxy, fault);
  const phases = { ...manifest.phases };
  if (claim.check.type === 'recovery') {
    phases.recoveryMs = Math.max(phases.recoveryMs, claim.check.withinMs + DEFAULT_RECOVERY.holdMs + DEFAULT_RECOVERY.windowMs);
  }
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
    requiresFaultlineProxy: fault.toxic !== 'down' && FAULTLINE_ONLY_TOXICS.includes(fault.toxic),
    observedPhases: observedPhases(claim.check),
  };
}

/** Short human phrase for a fault. */
export function describeFault(f: ScenarioFault): string {
  if (f.toxic === 'down') return 'the proxy is down';
  const attrs = Object.entries(f.attributes).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${f.toxic}${attrs ? ` ${attrs}` : ''} (${f.stream}, toxicity ${f.toxicity})`;
}

/** The claim-shaped front of a scenario name: `checkout_p99`, `orders_at_most_once`. */
function claimSubject(check: ClaimCheck): string {
  switch (check.type) {
    case 'latency': return `${snake(check.entrypoint)}_p${check.percentile}`;
    case 'availability': return `${snake(check.entrypoint)}_errors`;
    case 'recovery': return `${snake(check.entrypoint)}_recovers`;
    case 'linearizable': return `${snake(check.writeEntrypoint)}_linearizable`;
    default: return `${snake(check.probe)}_${snake(check.type)}`;
  }
}

function faultWord(t: ToxicType | 'down'): string {
  return t === 'reset_peer' ? 'reset' : t;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/**
 * The checker's model and the history fields it reads (claims/history.ts
 * Op): safety checkers need keys and the ok/timeout split, because a timed
 * out operation may or may not have taken effect.
 */
function checkModel(check: ClaimCheck): { model?: string; historyFields: string[] } {
  switch (check.type) {
    case 'latency': return { historyFields: ['type', 'epoch', 'invokeMs', 'completeMs', 'ok', 'timeout'] };
    case 'availability': return { historyFields: ['type', 'epoch', 'ok', 'status', 'error', 'timeout'] };
    case 'recovery': return { historyFields: ['type', 'invokeMs', 'completeMs', 'ok', 'timeout'] };
    case 'at-most-once': return { model: 'unique-key set: at most one record per generated key', historyFields: ['key', 'ok', 'timeout'] };
    case 'exactly-once': return { model: 'acknowledged keys map one-to-one onto records', historyFields: ['key', 'ok', 'timeout', 'status'] };
    case 'no-lost-ack': return { model: 'acknowledged set ⊆ recorded set', historyFields: ['key', 'ok', 'timeout', 'status'] };
    case 'conservation': return { model: `${check.aggregate ?? 'sum'} invariant over the probe before/after quiescence`, historyFields: ['ok', 'timeout', 'completeMs'] };
    case 'queue-order': return { model: 'prefix order of acknowledged keys', historyFields: ['key', 'ok', 'completeMs'] };
    case 'linearizable': return { model: check.model === 'register' ? 'linearizable register' : 'linearizable per-key map', historyFields: ['process', 'type', 'key', 'input', 'output', 'invokeMs', 'completeMs', 'ok', 'timeout'] };
  }
}

/**
 * How the run proves the fault touched traffic. Faultline-only toxics can be
 * proven only by faultline's proxy counters; Toxiproxy-standard ones use the
 * counters when present and fall back to the edge in fault-phase traces.
 */
function landingSignal(edge: GraphEdge, proxy: ManifestProxy, fault: ScenarioFault): LandingSignal {
  if (fault.toxic !== 'down' && FAULTLINE_ONLY_TOXICS.includes(fault.toxic)) {
    return { kind: 'proxy-counters', expectation: `faultline proxy ${proxy.name}: the ${fault.toxic} toxic touched > 0 requests during the fault phase` };
  }
  const counters = `proxy ${proxy.name} counters show the toxic touched > 0 connections`;
  if (fault.toxic === 'latency') {
    const min = Math.round((fault.attributes.latency ?? 0) / 2);
    return { kind: 'edge-latency', expectation: `${counters}; else ${edge.id} p50 in fault-phase traces rises by ≥ ${min} ms over baseline` };
  }
  const what = fault.toxic === 'down' ? 'refused connections' : 'connection errors';
  return { kind: 'edge-errors', expectation: `${counters}; else ${edge.id} shows ${what} (error spans or missing calls) in fault-phase traces while baseline shows none` };
}

function observedPhases(check: ClaimCheck): Phase[] {
  if (check.type === 'latency' || check.type === 'availability') return [check.phase];
  if (check.type === 'recovery') return ['recovery'];
  return ['baseline', 'fault', 'recovery'];
}

function exitCriteria(claim: Claim, landing: LandingSignal, ctx: PlanContext): string[] {
  const probe = checkProbe(claim.check);
  const out = [
    `fault landed: ${landing.expectation}`,
    `history complete: every operation invoked in the ${observedPhases(claim.check).join('/')} phase(s) completed or timed out`,
  ];
  if (probe !== undefined) out.push(`probe ${probe} dumped before baseline and after recovery`);
  for (const h of ctx.input.manifest.halting) {
    out.push(`halt: remove the fault if ${h.entrypoint ?? 'any entrypoint'} error rate exceeds ${(h.maxErrorRate * 100).toFixed(0)}% over ${h.windowMs} ms`);
  }
  out.push(`verdict: claim ${claim.id} holds → PASS; violated → FAIL, re-run on the same seed to tell reproducible from nondeterministic`);
  return out;
}
