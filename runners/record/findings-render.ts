/**
 * Findings as Markdown for reviewers (DESIGN.md "Contracts users rely on"):
 * headline first; a table of scenarios with verdict, oracle evidence,
 * landing evidence and recovery; one section per finding (FAIL, INCONCLUSIVE
 * and PARTIAL verdicts) with what happened, a reproducer, blame, the claim,
 * the observed blast radius and a next action; then coverage and the
 * confidence delta.
 */
import type { Plan, Scenario } from '../../generators/plan.js';
import { boundaryMoves } from '../analyse/boundaries.js';
import type { Findings, ScenarioResult, Verdict } from './result.js';

/** Escape a table cell: pipes split cells and newlines end rows. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function recoveryText(r: ScenarioResult): string {
  if (!r.recovery) return '—';
  return r.recovery.recoveredAfterMs === null ? (r.recovery.note ?? 'did not recover') : `${r.recovery.recoveredAfterMs} ms`;
}

function oracleText(r: ScenarioResult): string {
  if (r.checks.length === 0) return 'no checks';
  return r.checks.map((c) => `${c.checker}: ${c.summary}`).join('; ');
}

const NEXT_ACTION: Record<Verdict, string> = {
  'PASS-smoke': 'Re-run at full length and rate to turn this into hardening evidence.',
  'PASS-hardening': 'None.',
  'FAIL-reproducible': 'Fix the system under test: the reproducer fails every time on this seed.',
  'FAIL-nondeterministic': 'Re-run the reproducer a few times; look for timing-dependent code paths (timeouts, retries, races).',
  'INCONCLUSIVE-env': 'Fix the environment (precheck, proxy, host) and re-run.',
  'INCONCLUSIVE-oracle-too-weak': 'Strengthen the oracle: more ops in the fault window, a probe, or a workload that exercises the claim.',
  'INCONCLUSIVE-fault-not-proven': 'Check that the proxy carries this edge\'s traffic (manifest proxies) and that the fault is large enough to move it.',
  'PARTIAL-surface': 'Extend the workload to exercise the unexercised entrypoints or keys.',
  'PARTIAL-model': 'Narrow the history (fewer keys or clients per run) or split the claim so the model can check all of it.',
};

function reproducer(r: ScenarioResult, s: Scenario | undefined): string[] {
  const lines: string[] = [];
  if (s) {
    const attrs = Object.entries(s.fault.attributes).map(([k, v]) => `${k}=${v}`).join(', ');
    lines.push(`- Fault: \`${s.fault.toxic}\` on ${s.target.proxy} (${s.target.edge}), ${s.fault.stream}, toxicity ${s.fault.toxicity}${attrs ? `, ${attrs}` : ''}`);
    lines.push(`- Duration: fault ${s.phases.faultMs} ms (baseline ${s.phases.baselineMs} ms, recovery ${s.phases.recoveryMs} ms); rate ${s.workload.ratePerSec}/s; seed ${r.seed}`);
  } else {
    lines.push(`- Seed ${r.seed}`);
  }
  lines.push('', '```sh', `faultline run plan.json --only ${r.scenarioId} --seed ${r.seed}`, '```');
  return lines;
}

function section(r: ScenarioResult, plan: Plan | undefined): string {
  const s = plan?.scenarios.find((x) => x.id === r.scenarioId);
  const out = [`### ${r.scenarioId} — ${r.verdict}`, ''];
  if (s) out.push(`${s.title}`, '');
  out.push('**What happened.** ' + r.verdictPath.join(' → ') + '.');
  const anomalies = r.checks.flatMap((c) => c.anomalies.map((a) => `- ${c.claimId} (${c.checker}): ${a.message}${a.ops?.length ? ` [ops ${a.ops.join(', ')}]` : ''}`));
  const more = r.checks.reduce((n, c) => n + Math.max(0, (c.anomalyCount ?? c.anomalies.length) - c.anomalies.length), 0);
  if (anomalies.length) out.push('', ...anomalies, ...(more ? [`- … and ${more} more anomalies`] : []));
  if (r.envProblem) out.push('', `Environment: ${r.envProblem}`);
  out.push('', '**Reproducer.**', ...reproducer(r, s));
  out.push('', `**Blame:** ${r.blame} — ${r.blameReason}`);
  const claims = r.claims.map((id) => {
    const c = plan?.claims.find((x) => x.id === id);
    return c ? `- \`${id}\`: ${c.text}` : `- \`${id}\``;
  });
  out.push('', r.verdict.startsWith('FAIL') ? '**Claim falsified:**' : '**Claims concerned:**', ...claims);
  const moves = boundaryMoves(r.boundaries);
  out.push('', '**Observed blast radius:** ' + (moves.length ? '' : 'no boundary moved in the traces.'), ...moves.map((m) => `- ${m.edge}: ${m.changes.join(', ')}`));
  out.push('', `**Landing:** ${r.landing.proven ? 'proven' : 'not proven'} (${r.landing.source}): ${r.landing.evidence.join('; ') || '—'}`);
  out.push('', `**Next action:** ${NEXT_ACTION[r.verdict]}`);
  return out.join('\n');
}

/** Render findings as Markdown; the plan, when given, adds fault details and claim texts. */
export function renderFindingsMarkdown(f: Findings, plan?: Plan): string {
  const out: string[] = [`# Findings: ${f.system}`, '', `**${f.headline}**`, ''];
  out.push(`Run \`${f.runId}\` of plan \`${f.planId}\`, ${f.startedAt} → ${f.finishedAt}.`, '');
  const counts = Object.entries(f.counts).map(([v, n]) => `${v}: ${n}`).join(', ');
  if (counts) out.push(`Verdicts: ${counts}.`, '');
  out.push('## Scenarios', '');
  out.push(
    table(
      ['Scenario', 'Verdict', 'Oracle evidence', 'Landing evidence', 'Recovery', 'Blame'],
      f.results.map((r) => [r.scenarioId, r.verdict, oracleText(r), `${r.landing.source}: ${r.landing.evidence.join('; ') || '—'}`, recoveryText(r), r.blame]),
    ),
    '',
  );
  const findings = f.results.filter((r) => !r.verdict.startsWith('PASS'));
  out.push('## Findings', '');
  if (findings.length === 0) out.push('No failing, inconclusive or partial scenarios.', '');
  for (const r of findings) out.push(section(r, plan), '');
  out.push('## Coverage', '');
  out.push(table(['Claim', 'Scenarios planned', 'Proven (PASS-hardening)', 'Verdicts'], f.coverage.map((c) => [c.claimId, String(c.planned), String(c.proven), c.verdicts.join(', ') || '—'])), '');
  out.push('## Confidence delta', '', f.confidenceDelta, '');
  return out.join('\n');
}
