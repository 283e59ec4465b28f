/**
 * Plans as a reviewer reads them: claims, missing claims, the coverage
 * matrix and the scenarios with fault, oracle and landing signal, plus the
 * buttons that make a plan (from the server's manifest) and start a run.
 */
import { getJson, postJson } from '../api.js';
import { duration, h, table } from '../dom.js';
import { showError } from '../problem-view.js';
import { coverageMatrix } from './coverage-matrix.js';

interface PlanSummary { id: string; createdAt: string; system: string; generator: string; scenarios: number; claims: number }
interface PlanDoc {
  id: string; system: string; createdAt: string; confidence: string;
  generator: { kind: string; model?: string; fallbackReason?: string };
  architecture: { summary: string };
  claims: { id: string; text: string; category: string; source: string; evidence?: string }[];
  missingClaims: { observation: string; subject: string; suggestedCategory: string; suggestion: string }[];
  coverage: { claimId: string; scenarios: string[]; risks: string[]; covered: boolean; note?: string }[];
  scenarios: {
    id: string; claims: string[]; target: { edge: string; proxy: string };
    fault: { toxic: string; stream: string; toxicity: number; attributes: Record<string, number>; sizing: string };
    oracle: { claimId: string; check: { type: string } }[];
    landing: { kind: string; expectation: string };
    phases: { baselineMs: number; faultMs: number; recoveryMs: number };
  }[];
  residualUncertainty: string[];
}

/** The list of plans and the button that makes one. */
export async function plansPage(main: HTMLElement): Promise<void> {
  const { plans } = await getJson<{ plans: PlanSummary[] }>('/v1/plans?limit=100');
  const out = h('div', {});
  const make = h('button', { type: 'button', class: 'primary', onclick: () => {
    make.setAttribute('disabled', '');
    out.replaceChildren(h('p', { class: 'muted' }, 'Planning from the server\'s manifest (reads the traces)…'));
    postJson<PlanSummary>('/v1/plans').then((p) => { location.hash = `#/plans/${encodeURIComponent(p.id)}`; }, (err) => { make.removeAttribute('disabled'); showError(err, out); });
  } }, 'New plan from the server\'s manifest');
  main.replaceChildren(h('h1', {}, 'Plans'), h('p', {}, make), out,
    plans.length === 0 ? h('p', {}, 'No plan yet.') : table('Plans, newest first', ['plan', 'system', 'generator', 'scenarios', 'claims', 'created'], plans.map((p) => [
      h('a', { href: `#/plans/${encodeURIComponent(p.id)}` }, p.id), p.system, p.generator, p.scenarios, p.claims, new Date(p.createdAt).toLocaleString(),
    ]), [3, 4]));
}

function startRun(plan: PlanDoc): HTMLElement {
  const scale = h('input', { id: 'phase-scale', type: 'number', min: '0.05', max: '10', step: '0.05', value: '1', style: 'width:5em' });
  const out = h('span', {});
  const go = h('button', { type: 'button', class: 'primary', onclick: () => {
    go.setAttribute('disabled', '');
    postJson<{ id: string }>('/v1/runs', { planId: plan.id, phaseScale: Number(scale.value) || 1 })
      .then((r) => { location.hash = `#/runs/${encodeURIComponent(r.id)}`; }, (err) => { go.removeAttribute('disabled'); showError(err, out); });
  } }, 'Start a run');
  return h('div', { class: 'toolbar' }, go, h('label', { for: 'phase-scale' }, 'phase scale'), scale, out);
}

/** One plan, for review. */
export async function planPage(main: HTMLElement, id: string | undefined): Promise<void> {
  const plan = await getJson<PlanDoc>(`/v1/plans/${encodeURIComponent(id ?? '')}`);
  main.replaceChildren(
    h('h1', {}, `Plan ${plan.id} for ${plan.system}`),
    h('p', { class: 'muted' }, `${plan.generator.kind} generator${plan.generator.model ? ` (${plan.generator.model})` : ''}${plan.generator.fallbackReason ? `; fell back: ${plan.generator.fallbackReason}` : ''} · ${new Date(plan.createdAt).toLocaleString()}`),
    startRun(plan),
    h('p', {}, plan.architecture.summary),
    h('h2', {}, `Claims (${plan.claims.length})`),
    table('Claims', ['claim', 'text', 'category', 'source'], plan.claims.map((c) => [c.id, c.text, c.category, c.evidence ? `${c.source}: ${c.evidence}` : c.source])),
    h('h2', {}, `Missing claims (${plan.missingClaims.length})`),
    plan.missingClaims.length ? table('Missing claims', ['subject', 'observed', 'consider'], plan.missingClaims.map((m) => [m.subject, m.observation, `${m.suggestedCategory}: ${m.suggestion}`])) : h('p', { class: 'muted' }, 'None.'),
    h('h2', {}, 'Coverage matrix'),
    plan.claims.length + plan.missingClaims.length === 0 ? h('p', { class: 'muted' }, 'No claims.') : coverageMatrix(plan),
    h('h2', {}, `Scenarios (${plan.scenarios.length})`),
    table('Scenarios', ['scenario', 'claims', 'target', 'fault', 'oracle', 'landing signal', 'phases'], plan.scenarios.map((s) => [
      s.id, s.claims.join(', '), `${s.target.edge} (proxy ${s.target.proxy})`,
      h('span', {}, `${s.fault.toxic} ${s.fault.stream} ${Object.entries(s.fault.attributes).map(([k, v]) => `${k}=${v}`).join(' ')}`, h('br'), h('small', { class: 'muted' }, s.fault.sizing)),
      s.oracle.map((o) => `${o.check.type} (${o.claimId})`).join(', '),
      `${s.landing.kind}: ${s.landing.expectation}`,
      [s.phases.baselineMs, s.phases.faultMs, s.phases.recoveryMs].map((ms) => duration(ms)).join(' / '),
    ])),
    h('h2', {}, 'Residual uncertainty'),
    h('ul', {}, plan.residualUncertainty.map((u) => h('li', {}, u))),
    h('p', {}, h('strong', {}, 'Confidence: '), plan.confidence));
}
