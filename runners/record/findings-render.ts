/**
 * Findings as Markdown for reviewers (docs/architecture.md, "Contracts users rely on"):
 * headline first; lasting damage (a system the run left dead) before
 * anything else; a table of scenarios with verdict, oracle evidence,
 * landing evidence and recovery; one section per finding (FAIL, INCONCLUSIVE
 * and PARTIAL verdicts) with what happened, a reproducer, blame, the claim,
 * the observed blast radius and a next action; then coverage and the
 * confidence delta.
 */
import { printable } from '../../base/text.js';
import type { Plan, Scenario } from '../../generators/plan.js';
import { boundaryMoves } from './boundary-moves.js';
import { falsifiedClaims } from './findings.js';
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

/** The verdict as a reader should see it: a scenario a dead system kept from running was not run. */
function verdictText(r: ScenarioResult): string {
  return r.notRun ? `not run (${r.verdict})` : r.verdict;
}

function nextAction(r: ScenarioResult): string {
  if (r.lastingDamage?.length) return 'Fix the system under test first: it did not come back after this fault (a crashed process, a leaked pool). Every later verdict of this run is suspect until it does.';
  if (r.notRun) return 'Bring the system under test back (or add a beforeScenario hook that restarts it) and re-run this scenario.';
  if (r.abort && !r.verdict.startsWith('FAIL')) return 'The halting guard protected something outside the hypothesis: fix that blast radius, or widen the guard, then re-run.';
  return NEXT_ACTION[r.verdict];
}

/** Lasting damage first: which scenario left what dead, and since when. */
function damageSection(f: Findings): string[] {
  const damaged = f.results.filter((r) => r.lastingDamage?.length);
  if (damaged.length === 0) return [];
  const out = ['## Lasting damage', '', 'The system under test did not come back after these faults. This is the most serious finding of the run, whatever claim the scenario targeted.', ''];
  for (const r of damaged) {
    out.push(`- **${r.scenarioId}** (${r.verdict}, blame ${r.blame}):`);
    for (const d of r.lastingDamage ?? []) out.push(`  - ${d.subject}: ${d.error}, failing since ${d.since}; ${d.checked}`);
  }
  const notRun = f.results.filter((r) => r.notRun);
  if (notRun.length) out.push('', `Not run because the system under test was down: ${notRun.map((r) => r.scenarioId).join(', ')}.`);
  out.push('');
  return out;
}

function section(r: ScenarioResult, plan: Plan | undefined): string {
  const s = plan?.scenarios.find((x) => x.id === r.scenarioId);
  const out = [`### ${r.scenarioId} — ${verdictText(r)}`, ''];
  if (s) out.push(`${s.title}`, '');
  out.push('**What happened.** ' + r.verdictPath.join(' → ') + '.');
  const anomalies = r.checks.flatMap((c) => c.anomalies.map((a) => `- ${c.claimId} (${c.checker}): ${a.message}${a.ops?.length ? ` [ops ${a.ops.join(', ')}]` : ''}`));
  const more = r.checks.reduce((n, c) => n + Math.max(0, (c.anomalyCount ?? c.anomalies.length) - c.anomalies.length), 0);
  if (anomalies.length) out.push('', ...anomalies, ...(more ? [`- … and ${more} more anomalies`] : []));
  if (r.lastingDamage?.length) out.push('', '**Lasting damage:**', ...r.lastingDamage.map((d) => `- ${d.subject}: ${d.error}, failing since ${d.since}; ${d.checked}`));
  if (r.envProblem) out.push('', `Environment: ${r.envProblem}`);
  if (r.quiescence && !r.quiescence.reached) out.push('', `Effects read before quiescence: ${r.quiescence.condition} not reached after ${r.quiescence.waitedMs} ms (${r.quiescence.detail ?? 'still moving'}).`);
  if (r.halting && (r.halting.guards.length || r.halting.exempt.length)) {
    out.push('', `**Halting:** ${r.halting.guards.length ? `guards ${r.halting.guards.join('; ')}` : 'no guard applied'}${r.halting.exempt.length ? `; exempt: ${r.halting.exempt.join('; ')}` : ''}.`);
  }
  out.push('', '**Reproducer.**', ...reproducer(r, s));
  out.push('', `**Blame:** ${r.blame} — ${r.blameReason}`);
  const line = (id: string) => {
    const c = plan?.claims.find((x) => x.id === id);
    return c ? `- \`${id}\`: ${c.text}` : `- \`${id}\``;
  };
  // A FAIL names the claims whose checks failed (a watched invariant among
  // them), not every claim the scenario was aimed at: an aimed claim that held is said so.
  const falsified = falsifiedClaims(r);
  const held = r.claims.filter((id) => !falsified.includes(id));
  if (falsified.length) out.push('', '**Claim falsified:**', ...falsified.map(line));
  if (held.length) out.push('', falsified.length ? '**Aimed at, and held:**' : '**Claims concerned:**', ...held.map(line));
  const moves = boundaryMoves(r.boundaries);
  out.push('', '**Observed blast radius:** ' + (moves.length ? '' : 'no boundary moved in the traces.'), ...moves.map((m) => `- ${m.edge}: ${m.changes.join(', ')}`));
  out.push('', `**Landing:** ${r.landing.proven ? 'proven' : 'not proven'} (${r.landing.source}): ${r.landing.evidence.join('; ') || '—'}`);
  out.push('', `**Next action:** ${nextAction(r)}`);
  return out.join('\n');
}

/** Render findings as Markdown; the plan, when given, adds fault details and claim texts. */
export function renderFindingsMarkdown(f: Findings, plan?: Plan): string {
  const out: string[] = [`# Findings: ${f.system}`, '', `**${f.headline}**`, ''];
  out.push(`Run \`${f.runId}\` of plan \`${f.planId}\`, ${f.startedAt} → ${f.finishedAt}.`, '');
  const counts = Object.entries(f.counts).map(([v, n]) => `${v}: ${n}`).join(', ');
  if (counts) out.push(`Verdicts: ${counts}.`, '');
  out.push(...damageSection(f));
  out.push('## Scenarios', '');
  out.push(
    table(
      ['Scenario', 'Verdict', 'Oracle evidence', 'Landing evidence', 'Recovery', 'Blame'],
      f.results.map((r) => [r.scenarioId, verdictText(r), oracleText(r), `${r.landing.source}: ${r.landing.evidence.join('; ') || '—'}`, recoveryText(r), r.blame]),
    ),
    '',
  );
  // Lasting damage first, then the rest in run order.
  const findings = f.results.filter((r) => !r.verdict.startsWith('PASS')).sort((a, b) => Number(Boolean(b.lastingDamage?.length)) - Number(Boolean(a.lastingDamage?.length)));
  out.push('## Findings', '');
  if (findings.length === 0) out.push('No failing, inconclusive or partial scenarios.', '');
  for (const r of findings) out.push(section(r, plan), '');
  out.push('## Coverage', '');
  out.push(table(['Claim', 'Scenarios planned', 'Proven (PASS-hardening)', 'Verdicts', 'Falsified in'], f.coverage.map((c) => [c.claimId, String(c.planned), String(c.proven), c.verdicts.join(', ') || '—', c.falsifiedBy?.join(', ') || '—'])), '');
  out.push('## Confidence delta', '', f.confidenceDelta, '');
  // Telemetry text may carry terminal escapes; the reader may `cat findings.md`.
  return printable(out.join('\n'), { multiline: true });
}
