/**
 * Sweep step: fold a run's findings into per-claim outcomes (verdicts,
 * slowest recovery, edges targeted), and read a claim's trend back across
 * sweeps. Pure.
 */
import type { Plan } from '../../../generators/plan.js';
import type { Findings, Verdict } from '../../../runners/record/result.js';
import type { ClaimOutcome, SweepRecord } from '../../store/artifact-store.js';

/** Per-claim outcomes of one run, claims in plan order. */
export function claimOutcomes(plan: Plan, findings: Findings): ClaimOutcome[] {
  const edgeOf = new Map(plan.scenarios.map((s) => [s.id, s.target.edge]));
  const out = new Map<string, ClaimOutcome>();
  for (const c of plan.claims) out.set(c.id, { claimId: c.id, verdicts: [], edges: [] });
  for (const r of findings.results) {
    for (const claimId of r.claims) {
      const o = out.get(claimId) ?? { claimId, verdicts: [], edges: [] };
      o.verdicts.push(r.verdict);
      const edge = edgeOf.get(r.scenarioId);
      if (edge && !o.edges.includes(edge)) o.edges.push(edge);
      if (r.recovery) {
        const ms = r.recovery.recoveredAfterMs;
        if (ms === null || o.recoveredAfterMs === null) o.recoveredAfterMs = null;
        else o.recoveredAfterMs = Math.max(o.recoveredAfterMs ?? 0, ms);
      }
      out.set(claimId, o);
    }
  }
  return [...out.values()];
}

/** One point of a claim's trend. */
export interface TrendPoint {
  sweepId: string;
  at: string;
  verdicts: Verdict[];
  recoveredAfterMs?: number | null;
  /** True when the sweep's plan had no scenario for the claim. */
  untested: boolean;
}

/** A claim's verdicts and recovery across sweeps, oldest first. */
export function claimTrend(claimId: string, sweeps: SweepRecord[]): TrendPoint[] {
  return sweeps
    .filter((s) => s.status === 'succeeded' && s.claims.some((c) => c.claimId === claimId))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((s) => {
      const c = s.claims.find((x) => x.claimId === claimId)!;
      return { sweepId: s.id, at: s.startedAt, verdicts: c.verdicts, ...(c.recoveredAfterMs !== undefined ? { recoveredAfterMs: c.recoveredAfterMs } : {}), untested: c.verdicts.length === 0 };
    });
}
