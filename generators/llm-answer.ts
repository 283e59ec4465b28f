/**
 * Checking what the LLM proposed. Its answer is untrusted input: anything
 * naming an edge, proxy, claim or toxic the plan does not know, a claim the
 * plan does not schedule (see scheduledClaims), or a value out of bounds, is
 * dropped with the reason recorded (`generator.dropped`) and never reaches a
 * runner. A fault phase longer than the manifest's is cut to it, and the
 * proposals together stay inside the plan's fault budget (plan-limits.ts):
 * past it a proposal is cut to what is left, or dropped; each cut is
 * recorded (`generator.clamped`), so plan.md shows it.
 */
import type { Claim } from '../claims/claim.js';
import type { ScenarioFault } from './plan.js';
import type { PlanContext } from './plan-context.js';
import { scheduledClaims, type Target } from './rule-generator.js';
import { defaultAttributes, faultOf, isFaultType, type FaultType } from '../base/faults.js';
import { llmFaultBudget, MIN_PHASE_MS, type FaultBudget } from './plan-limits.js';
import type { PromptHandles } from './llm-prompt.js';

/** A proposal that passed every check. */
export interface AcceptedProposal extends Target {
  fault: ScenarioFault;
  faultMs: number;
}

/** A proposal left out, or cut down, and why. */
export interface ProposalNote {
  scenario: string;
  reason: string;
}

/** What the answer check made of the proposals. */
export interface CheckedProposals {
  accepted: AcceptedProposal[];
  dropped: ProposalNote[];
  clamped: ProposalNote[];
}

/**
 * Split the raw proposals into accepted, clamped and dropped ones, in the
 * answer's order (the model is asked for the riskiest first, so the budget
 * keeps those). Budget use is counted per accepted proposal; two proposals
 * that later share one scenario count twice, which errs on the safe side.
 */
export function checkProposals(ctx: PlanContext, handles: PromptHandles, raw: unknown[], budget: FaultBudget = llmFaultBudget(ctx.input.manifest.phases.faultMs)): CheckedProposals {
  const out: CheckedProposals = { accepted: [], dropped: [], clamped: [] };
  const seen = new Set<string>();
  const edges = new Set<string>();
  let faultTime = 0;
  raw.forEach((p, i) => {
    const label = labelOf(p, i);
    const checked = checkOne(ctx, handles, p);
    if (typeof checked === 'string') {
      out.dropped.push({ scenario: label, reason: checked });
      return;
    }
    const { cut, ...result } = checked;
    const key = `${result.claim.id}|${result.edgeId}|${result.fault.toxic}`;
    if (seen.has(key)) {
      out.dropped.push({ scenario: label, reason: 'duplicate of an earlier proposal (same claim, edge and toxic)' });
      return;
    }
    if (!edges.has(result.edgeId) && edges.size >= budget.maxEdges) {
      out.dropped.push({ scenario: label, reason: `over the fault budget: the plan already faults ${edges.size} edges (at most ${budget.maxEdges})` });
      return;
    }
    const left = budget.maxTotalFaultMs - faultTime;
    if (left < MIN_PHASE_MS) {
      out.dropped.push({ scenario: label, reason: `over the fault budget: ${faultTime} ms of fault time already planned (at most ${budget.maxTotalFaultMs} ms)` });
      return;
    }
    if (cut) out.clamped.push({ scenario: label, reason: cut });
    if (result.faultMs > left) {
      out.clamped.push({ scenario: label, reason: `fault phase ${result.faultMs} ms cut to ${left} ms: the rest of the plan's fault budget (${budget.maxTotalFaultMs} ms in total)` });
      result.faultMs = left;
    }
    seen.add(key);
    edges.add(result.edgeId);
    faultTime += result.faultMs;
    out.accepted.push(result);
  });
  return out;
}

function checkOne(ctx: PlanContext, handles: PromptHandles, p: unknown): (AcceptedProposal & { cut?: string }) | string {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'proposal is not an object';
  const o = p as Record<string, unknown>;
  // Inferred claims are offered by handle (their ids carry telemetry); user claims by id.
  const claimId = typeof o.claim === 'string' ? handles.claims.get(o.claim) ?? o.claim : undefined;
  const claim: Claim | undefined = ctx.input.claims.find((c) => c.id === claimId);
  if (!claim) return `unknown claim ${short(o.claim)}`;
  // Same selection as the rules: an inferred candidate is listed in the plan, never tested next to the owners' claims.
  if (!scheduledClaims(ctx.input.claims).includes(claim)) return `claim ${claim.id} is an inferred candidate, not scheduled: the plan tests the claims the owners wrote`;
  const edgeId = typeof o.edge === 'string' ? handles.edges.get(o.edge) : undefined;
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
  const manifestMs = ctx.input.manifest.phases.faultMs;
  const asked = o.faultMs === undefined ? manifestMs : o.faultMs;
  if (typeof asked !== 'number' || !Number.isFinite(asked) || asked < MIN_PHASE_MS) return `faultMs ${short(asked)} is not a fault phase of at least ${MIN_PHASE_MS} ms`;
  // The manifest's fault phase is the longest an LLM scenario runs: a longer one is cut, and says so.
  const faultMs = Math.min(Math.round(asked), manifestMs);
  const rationale = typeof o.rationale === 'string' ? o.rationale.replace(/[\u0000-\u001f]/g, ' ').slice(0, 300) : '';
  return {
    claim,
    edgeId,
    faultMs,
    fault: { toxic, stream, toxicity: o.toxicity, attributes, sizing: `proposed by the LLM: ${rationale || 'no rationale given'}` },
    ...(asked > manifestMs ? { cut: `fault phase ${short(asked)} ms cut to the manifest's ${manifestMs} ms` } : {}),
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
