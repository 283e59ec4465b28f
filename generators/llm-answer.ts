/**
 * Checking what the LLM proposed. Its answer is untrusted input: anything
 * naming an edge, proxy, claim or toxic the plan does not know, a claim the
 * plan does not schedule (see scheduledClaims), or a value out of bounds, is
 * dropped with the reason recorded (`generator.dropped`) and never reaches a
 * runner.
 */
import type { Claim } from '../claims/claim.js';
import type { ScenarioFault } from './plan.js';
import type { PlanContext } from './plan-context.js';
import { scheduledClaims, type Target } from './rule-generator.js';
import { defaultAttributes, faultOf, isFaultType, type FaultType } from '../base/faults.js';
import { FAULT_MS_BOUNDS } from './llm-prompt.js';

/** A proposal that passed every check. */
export interface AcceptedProposal extends Target {
  fault: ScenarioFault;
  faultMs: number;
}

/** Split the raw proposals into accepted ones and dropped ones with reasons. */
export function checkProposals(ctx: PlanContext, handles: Map<string, string>, raw: unknown[]): { accepted: AcceptedProposal[]; dropped: { scenario: string; reason: string }[] } {
  const accepted: AcceptedProposal[] = [];
  const dropped: { scenario: string; reason: string }[] = [];
  const seen = new Set<string>();
  raw.forEach((p, i) => {
    const label = labelOf(p, i);
    const result = checkOne(ctx, handles, p);
    if (typeof result === 'string') {
      dropped.push({ scenario: label, reason: result });
      return;
    }
    const key = `${result.claim.id}|${result.edgeId}|${result.fault.toxic}`;
    if (seen.has(key)) {
      dropped.push({ scenario: label, reason: 'duplicate of an earlier proposal (same claim, edge and toxic)' });
      return;
    }
    seen.add(key);
    accepted.push(result);
  });
  return { accepted, dropped };
}

function checkOne(ctx: PlanContext, handles: Map<string, string>, p: unknown): AcceptedProposal | string {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'proposal is not an object';
  const o = p as Record<string, unknown>;
  const claim: Claim | undefined = ctx.input.claims.find((c) => c.id === o.claim);
  if (!claim) return `unknown claim ${short(o.claim)}`;
  // Same selection as the rules: an inferred candidate is listed in the plan, never tested next to the owners' claims.
  if (!scheduledClaims(ctx.input.claims).includes(claim)) return `claim ${claim.id} is an inferred candidate, not scheduled: the plan tests the claims the owners wrote`;
  const edgeId = typeof o.edge === 'string' ? handles.get(o.edge) : undefined;
  if (edgeId === undefined) return `unknown edge ${short(o.edge)}`;
  const proxy = ctx.proxies.get(edgeId);
  if (!proxy) return `edge ${edgeId} has no proxy in the manifest`;
  if (o.proxy !== undefined && o.proxy !== proxy.name) return `unknown proxy ${short(o.proxy)} for edge ${edgeId} (its proxy is ${proxy.name})`;
  if (!ctx.reach.get(claim.id)?.edges.has(edgeId)) return `edge ${edgeId} does not affect claim ${claim.id} (no traced path ties them)`;
  if (!isFaultType(o.toxic)) return `unknown toxic ${short(o.toxic)}`;
  const toxic = o.toxic;
  if (o.stream !== 'upstream' && o.stream !== 'downstream') return `unknown stream ${short(o.stream)}`;
  // A per-request toxic has only one stream (requests travel client→server): not the model's choice.
  const stream = faultOf(toxic).stream ?? o.stream;
  if (typeof o.toxicity !== 'number' || !Number.isFinite(o.toxicity) || o.toxicity < 0 || o.toxicity > 1) return `toxicity ${short(o.toxicity)} outside 0..1`;
  const attributes = checkAttributes(toxic, o.attributes);
  if (typeof attributes === 'string') return attributes;
  const faultMs = o.faultMs === undefined ? ctx.input.manifest.phases.faultMs : o.faultMs;
  if (typeof faultMs !== 'number' || !Number.isFinite(faultMs) || faultMs < FAULT_MS_BOUNDS.min || faultMs > FAULT_MS_BOUNDS.max) {
    return `faultMs ${short(faultMs)} outside ${FAULT_MS_BOUNDS.min}..${FAULT_MS_BOUNDS.max}`;
  }
  const rationale = typeof o.rationale === 'string' ? o.rationale.replace(/[\u0000-\u001f]/g, ' ').slice(0, 300) : '';
  return {
    claim,
    edgeId,
    faultMs: Math.round(faultMs),
    fault: { toxic, stream, toxicity: o.toxicity, attributes, sizing: `proposed by the LLM: ${rationale || 'no rationale given'}` },
  };
}

/** The proposal's attributes, checked against the fault table; the ones it left out get the table's defaults. */
function checkAttributes(toxic: FaultType, raw: unknown): Record<string, number> | string {
  const allowed = faultOf(toxic).attributes;
  const list = raw === undefined ? [] : raw;
  if (!Array.isArray(list)) return 'attributes is not a list';
  const out = defaultAttributes(toxic);
  for (const a of list) {
    const { name, value } = (a ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(allowed, name)) {
      const names = Object.keys(allowed);
      return `unknown attribute ${short(name)} for ${toxic} (it takes ${names.length > 0 ? names.join(', ') : 'none'})`;
    }
    const { min, max } = allowed[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return `attribute ${name}=${short(value)} outside ${min}..${max}`;
    out[name] = value;
  }
  return out;
}

function labelOf(p: unknown, i: number): string {
  const o = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
  return `#${i + 1} ${short(o.claim)} on ${short(o.edge)} (${short(o.toxic)})`;
}

/** A value for a message: JSON, truncated (the answer is untrusted too). */
function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
