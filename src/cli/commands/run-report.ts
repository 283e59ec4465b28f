/**
 * People-facing output of `faultline run`: one progress line per stage per
 * scenario, and the verdict table at the end.
 */
import type { ProgressEvent } from '../../../runners/execute/executor.js';
import type { Findings, ScenarioResult } from '../../../runners/record/result.js';
import { renderTable, type TableStyle } from '../table.js';

/** `[2/5] checkout_under_payments_latency  fault  faultline-local-…` */
export function progressLine(e: ProgressEvent): string {
  const detail = e.detail ? `  ${e.detail}` : '';
  return `[${e.index + 1}/${e.total}] ${e.scenarioId}  ${e.stage}${detail}`;
}

/** `1,200 ms`, `not recovered` or `—` when recovery was not measured. */
export function recoveryCell(r: ScenarioResult): string {
  if (!r.recovery) return '—';
  if (r.recovery.recoveredAfterMs === null) return 'not recovered';
  return `${Math.round(r.recovery.recoveredAfterMs).toLocaleString('en-US')} ms`;
}

/** The line that explains a verdict: the environment problem, the failed check, or the first check and landing evidence. */
export function evidenceCell(r: ScenarioResult): string {
  if (r.envProblem) return r.envProblem;
  const failed = r.checks.find((c) => !c.ok);
  const parts = [failed ? `${failed.claimId}: ${failed.summary}` : r.checks[0]?.summary, r.landing.evidence[0], r.abort ? `aborted: ${r.abort.condition}` : undefined];
  return parts.filter(Boolean).join('; ') || '—';
}

/** The verdict table: scenario, verdict, blame, recovery, evidence; scenario and verdict are never cut. */
export function verdictTable(findings: Findings, style: TableStyle = {}): string {
  return renderTable(
    ['scenario', 'verdict', 'blame', 'recovery', 'evidence'],
    // A pass has nothing to blame: show a dash rather than `unknown`.
    findings.results.map((r) => [r.scenarioId, r.verdict, r.verdict.startsWith('PASS') ? '—' : r.blame, recoveryCell(r), evidenceCell(r)]),
    { ...style, keep: [0, 1], verdictColumn: 1 },
  );
}
