/**
 * plan.md: the plan for a reviewer, in the claim-driven structure
 * (docs/architecture.md, "Contracts users rely on"): architecture, claims, missing claims, hypotheses, coverage,
 * scenarios, adequacy, residual uncertainty, confidence, generator.
 * Table cells are escaped so telemetry text cannot break the Markdown.
 */
import { printable } from '../base/text.js';
import { checkText } from '../claims/forms/index.js';
import type { Plan, Scenario } from './plan.js';
import { describeFault } from './scenario-builder.js';

export { checkText };

/** Render the plan as Markdown. */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push(`# Resilience test plan: ${inline(plan.system)}`, '', `Plan \`${plan.id}\`, created ${plan.createdAt}, ${plan.scenarios.length} scenario(s).`, '');
  out.push('## Architecture summary', '', inline(plan.architecture.summary), '', '```mermaid', plan.architecture.mermaid, '```', '');
  out.push('## Claims', '');
  for (const source of ['user', 'inferred'] as const) {
    const claims = plan.claims.filter((c) => c.source === source);
    out.push(`### ${source === 'user' ? 'User claims' : 'Inferred claims (candidates, not promises)'}`, '');
    if (claims.length === 0) out.push(source === 'user' ? '_None written: every claim below is inferred from traces._' : '_None._', '');
    else out.push(table(['Id', 'Category', 'Claim', 'Check', ...(source === 'inferred' ? ['Evidence'] : [])],
      claims.map((c) => [`\`${c.id}\``, c.category, c.text, checkText(c.check), ...(source === 'inferred' ? [c.evidence ?? ''] : [])])), '');
  }
  out.push('## Missing claims', '');
  out.push(plan.missingClaims.length === 0 ? '_None found._' : table(['Subject', 'Observed', 'Consider (category)', 'Suggestion'],
    plan.missingClaims.map((m) => [m.subject, m.observation, m.suggestedCategory, m.suggestion])), '');
  out.push('## Failure hypotheses', '');
  out.push(plan.hypotheses.length === 0 ? '_None._' : plan.hypotheses.map((h) => `- **${h.id}**: ${inline(h.text)} (risks: ${h.risks.map((r) => code(r)).join(', ') || 'none'})`).join('\n'), '');
  out.push('## Coverage matrix', '');
  out.push(plan.coverage.length === 0 ? '_No claims._' : table(['Claim', 'Covered', 'Scenarios', 'Risks', 'Note'],
    plan.coverage.map((r) => [`\`${r.claimId}\``, r.covered ? 'yes' : '**no**', r.scenarios.join(', ') || '—', r.risks.join(', ') || '—', r.note ?? ''])), '');
  if (plan.unmatched) {
    const u = plan.unmatched;
    out.push('## Entrypoints and proxies not matched to traces', '');
    if (u.entrypoints.length > 0) out.push(table(['Entrypoint', 'Why'], u.entrypoints.map((e) => [`\`${e.entrypoint}\``, e.reason])), '');
    if (u.proxies.length > 0) out.push(table(['Proxy', 'Why', 'Nearest traced edges'], u.proxies.map((p) => [`\`${p.proxy}\``, p.reason, p.candidates.join(', ') || '—'])), '');
  }
  out.push('## Scenarios', '');
  if (plan.scenarios.length === 0) out.push('_No scenario could be planned; see residual uncertainty._', '');
  for (const s of plan.scenarios) out.push(...scenario(s), '');
  out.push('## Coverage adequacy', '');
  out.push(plan.adequacy.length === 0 ? '_No claims._' : plan.adequacy.map((a) => `- \`${a.claimId}\`: ${inline(a.argument)}`).join('\n'), '');
  out.push('## Residual uncertainty', '');
  out.push(plan.residualUncertainty.length === 0 ? '_None recorded._' : plan.residualUncertainty.map((r) => `- ${inline(r)}`).join('\n'), '');
  out.push('## Confidence statement', '', inline(plan.confidence), '');
  out.push('## Generator', '', ...generator(plan), '');
  out.push(`Recovery measurement: window ${plan.recovery.windowMs} ms, band ×${plan.recovery.bandFactor} of baseline p99, error slack ${plan.recovery.errorSlack}, hold ${plan.recovery.holdMs} ms.`);
  if (plan.halting.length > 0) out.push('', `Halting: ${plan.halting.map((h) => `${h.entrypoint ?? 'any entrypoint'} error rate > ${(h.maxErrorRate * 100).toFixed(0)}% over ${h.windowMs} ms`).join('; ')}.`);
  // Telemetry text may carry terminal escapes; the reader may `cat plan.md`.
  return printable(`${out.join('\n')}\n`, { multiline: true });
}

function scenario(s: Scenario): string[] {
  const lines = [
    `### \`${s.id}\``,
    '',
    inline(s.title),
    '',
    `- **Claims:** ${s.claims.map((c) => `\`${c}\``).join(', ')} (hypotheses: ${s.hypotheses.join(', ') || '—'})`,
    `- **Target:** edge ${code(s.target.edge)} via proxy ${code(s.target.proxy)}`,
    `- **Fault:** ${inline(describeFault(s.fault))}${s.fault.family ? ` — family ${code(s.fault.family)}` : ''}`,
    `- **Sizing:** ${inline(s.fault.sizing)}`,
    `- **Landing evidence:** ${s.landing.kind}: ${inline(s.landing.expectation)}`,
    `- **Model:** ${s.model ? inline(s.model) : 'per-phase statistics (no state model)'}`,
    `- **History schema:** ${(s.historyFields ?? []).map((f) => `\`${f}\``).join(', ') || 'default'}`,
    `- **Checkers:** ${s.oracle.map((o) => `\`${o.claimId}\`: ${checkText(o.check)}`).join('; ')} (observed phases: ${s.observedPhases.join(', ')})`,
    ...(s.watch?.length ? [`- **Also watched:** ${s.watch.map((o) => `\`${o.claimId}\``).join(', ')} (invariants every scenario checks: a violation here FAILs this scenario too)`] : []),
    `- **Phases:** baseline ${s.phases.baselineMs} ms → fault ${s.phases.faultMs} ms → recovery ${s.phases.recoveryMs} ms`,
    ...(s.halting ? [`- **Halting:** ${s.halting.guards.map((g) => `stop if ${g.entrypoints.join(', ')} error rate > ${Math.round(g.maxErrorRate * 100)}% over ${g.windowMs} ms (${g.why})`).join('; ') || 'no guard applies'}${s.halting.exempt.length ? `; exempt: ${s.halting.exempt.map(inline).join('; ')}` : ''}`] : []),
    `- **Workload:** ${s.workload.ratePerSec} req/s, seed ${s.workload.seed}, ${s.workload.entrypoints.map((e) => `${inline(e.name)}×${e.weight}`).join(', ')}`,
    `- **Needs faultline proxy:** ${s.requiresFaultlineProxy ? 'yes' : 'no'}`,
    '- **Exit criteria:**',
    ...s.exitCriteria.map((c) => `  - ${inline(c)}`),
  ];
  return lines;
}

function generator(plan: Plan): string[] {
  const g = plan.generator;
  const lines = [g.kind === 'llm' ? `LLM generator, model ${code(g.model ?? 'unknown')}.` : 'Rule-based generator (deterministic for the same inputs).'];
  if (g.promptTokens !== undefined || g.latencyMs !== undefined) {
    lines.push('', `LLM call: model ${code(g.model ?? 'unknown')}, ${g.promptTokens ?? 0} prompt + ${g.completionTokens ?? 0} completion tokens, ${g.latencyMs ?? 0} ms.`);
  }
  if (g.fallbackReason) lines.push('', `**Fallback to rules:** ${inline(g.fallbackReason)}`);
  if (g.dropped && g.dropped.length > 0) {
    lines.push('', 'Dropped LLM proposals (never executed):', '', table(['Proposal', 'Reason'], g.dropped.map((d) => [d.scenario, d.reason])));
  }
  if (g.clamped && g.clamped.length > 0) {
    lines.push('', "Clamped LLM proposals (run shorter than proposed: the manifest's phases and the plan's fault budget bound them):", '', table(['Proposal', 'What was cut'], g.clamped.map((d) => [d.scenario, d.reason])));
  }
  return lines;
}

function table(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function cell(s: string): string {
  return inline(s).replace(/\|/g, '\\|');
}

/** A code span: backticks and newlines removed (entities are not decoded inside code spans). */
function code(s: string): string {
  return `\`${s.replace(/[`\r\n]+/g, ' ')}\``;
}

/** One line of text: no raw newlines or HTML. */
function inline(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
