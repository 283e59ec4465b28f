/**
 * Findings: the scenario results of one run gathered into the document
 * reviewers ship on — a headline, verdict counts, per-claim coverage and
 * how the plan's confidence statement changed.
 */
import type { Plan } from '../../generators/plan.js';
import { FINDINGS_SCHEMA_VERSION, VERDICTS, type Findings, type ScenarioResult, type Verdict } from './result.js';

const isFail = (v: Verdict) => v.startsWith('FAIL');

/** Claims falsified in a result: FAIL verdicts' sufficient checks with anomalies. */
export function falsifiedClaims(r: ScenarioResult): string[] {
  if (!isFail(r.verdict)) return [];
  const ids = r.checks.filter((c) => c.sufficient && !c.ok).map((c) => c.claimId);
  return [...new Set(ids.length ? ids : r.claims)];
}

function coverage(plan: Plan, results: ScenarioResult[]): Findings['coverage'] {
  return plan.claims.map((claim) => {
    const planned = plan.scenarios.filter((s) => s.claims.includes(claim.id)).length;
    const ran = results.filter((r) => r.claims.includes(claim.id));
    const falsifiedBy = results.filter((r) => falsifiedClaims(r).includes(claim.id)).map((r) => r.scenarioId);
    return {
      claimId: claim.id,
      planned,
      // "Proven" means held under a fault shown to land, over a complete history.
      proven: ran.filter((r) => r.verdict === 'PASS-hardening').length,
      verdicts: ran.map((r) => r.verdict),
      ...(falsifiedBy.length > 0 ? { falsifiedBy } : {}),
    };
  });
}

/** Lasting damage first: a system left dead outranks every claim. */
function damageHeadline(results: ScenarioResult[]): string | undefined {
  const damaged = results.filter((r) => r.lastingDamage?.length);
  if (damaged.length === 0) return undefined;
  const what = damaged.map((r) => `${r.scenarioId} (${(r.lastingDamage ?? []).map((d) => `${d.subject}: ${d.error}`).join('; ')})`).join(', ');
  const notRun = results.filter((r) => r.notRun).length;
  return `the system under test did not come back after ${what}${notRun ? `; ${notRun} later scenario${notRun === 1 ? '' : 's'} not run because it was down` : ''}`;
}

function headline(plan: Plan, results: ScenarioResult[]): string {
  const damage = damageHeadline(results);
  const rest = claimHeadline(plan, results);
  return damage ? `LASTING DAMAGE: ${damage}. ${rest}` : rest;
}

function claimHeadline(plan: Plan, results: ScenarioResult[]): string {
  // Claims this run put to the test; untested candidates are not in the denominator.
  const tested = new Set(results.flatMap((r) => r.claims));
  const total = tested.size;
  const falsified = new Map<string, string[]>();
  for (const r of results) for (const id of falsifiedClaims(r)) falsified.set(id, [...(falsified.get(id) ?? []), r.blame]);
  if (results.length === 0) return `no scenarios ran (${plan.claims.length} claims planned)`;
  if (falsified.size) {
    const list = [...falsified].map(([id, blames]) => `${id} (${[...new Set(blames)].join('/')})`).join(', ');
    return `${falsified.size} of ${total} claims tested falsified: ${list}`;
  }
  const inconclusive = results.filter((r) => !r.verdict.startsWith('PASS')).length;
  const hard = results.filter((r) => r.verdict === 'PASS-hardening').length;
  return `0 of ${total} claims tested falsified: ${hard} of ${results.length} scenarios passed with hardening evidence${inconclusive ? `, ${inconclusive} inconclusive or partial` : ''}`;
}

function confidenceDelta(plan: Plan, cov: Findings['coverage']): string {
  // A claim is lowered by the checks that falsified it, not by sharing a
  // scenario with another claim that failed (a watched invariant's FAIL).
  const falsified = (c: Findings['coverage'][number]) => (c.falsifiedBy?.length ?? 0) > 0;
  const held = cov.filter((c) => c.proven > 0 && !falsified(c)).map((c) => c.claimId);
  const broken = cov.filter(falsified).map((c) => c.claimId);
  const open = cov.filter((c) => c.proven === 0 && !falsified(c)).map((c) => c.claimId);
  const parts = [`Plan said: "${plan.confidence}".`];
  if (broken.length) parts.push(`Confidence lowered: ${broken.join(', ')} falsified under fault.`);
  if (held.length) parts.push(`Confidence raised: ${held.join(', ')} held under a proven fault.`);
  if (open.length) parts.push(`Unchanged (no hardening evidence): ${open.join(', ')}.`);
  return parts.join(' ');
}

/** Gather scenario results into findings. */
export function assembleFindings(plan: Plan, results: ScenarioResult[], meta: { runId: string; startedAt: string; finishedAt: string }): Findings {
  const counts: Partial<Record<Verdict, number>> = {};
  for (const v of VERDICTS) {
    const n = results.filter((r) => r.verdict === v).length;
    if (n) counts[v] = n;
  }
  const cov = coverage(plan, results);
  return {
    schemaVersion: FINDINGS_SCHEMA_VERSION,
    runId: meta.runId,
    planId: plan.id,
    system: plan.system,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    headline: headline(plan, results),
    results,
    counts,
    coverage: cov,
    confidenceDelta: confidenceDelta(plan, cov),
  };
}
