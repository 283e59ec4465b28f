/**
 * GitHub Actions job summary: when the runner sets GITHUB_STEP_SUMMARY
 * (read in src/config.ts), `faultline run` appends the findings headline
 * and the verdict table as Markdown to that file, so the job page shows
 * what failed without opening an artifact. Appending, never overwriting:
 * earlier steps of the job write to the same file.
 */
import { appendFile } from 'node:fs/promises';
import type { Findings, ScenarioResult } from '../../runners/record/result.js';

/** A Markdown table cell: pipes split cells and newlines end rows. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function evidence(r: ScenarioResult): string {
  if (r.notRun) return `not run: ${r.notRun}`;
  if (r.envProblem) return r.envProblem;
  const failed = r.checks.find((c) => !c.ok);
  return [failed ? `${failed.claimId}: ${failed.summary}` : r.checks[0]?.summary, r.landing.evidence[0]].filter(Boolean).join('; ') || '—';
}

function recovery(r: ScenarioResult): string {
  if (!r.recovery) return '—';
  return r.recovery.recoveredAfterMs === null ? 'not recovered' : `${Math.round(r.recovery.recoveredAfterMs)} ms`;
}

/** The headline and verdict table of one run, as GitHub-flavoured Markdown. */
export function stepSummaryMarkdown(f: Findings): string {
  const rows = f.results.map((r) => `| ${[r.scenarioId, r.verdict, r.verdict.startsWith('PASS') ? '—' : r.blame, recovery(r), evidence(r)].map(cell).join(' | ')} |`);
  const counts = Object.entries(f.counts).map(([v, n]) => `${v}: ${n}`).join(', ');
  return [
    `### faultline: ${cell(f.system)}`,
    '',
    `**${f.headline}**`,
    '',
    ...(counts ? [`Verdicts: ${counts}. Run \`${f.runId}\` of plan \`${f.planId}\`.`, ''] : []),
    '| scenario | verdict | blame | recovery | evidence |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Append the run's summary to the job summary file. */
export async function appendStepSummary(file: string, f: Findings): Promise<void> {
  await appendFile(file, `${stepSummaryMarkdown(f)}\n`);
}
