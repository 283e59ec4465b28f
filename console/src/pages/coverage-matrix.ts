/**
 * The plan's coverage matrix as a reviewer reads it: one row per claim (and
 * per missing claim, marked so), one column per scenario, and in each cell
 * whether that scenario targets the claim, by which fault. It is a real
 * table (caption, th scope) so a screen reader can say "claim X, scenario Y:
 * latency"; it scrolls sideways inside its own region with the claim column
 * held in place, so forty scenarios stay readable.
 */
import { h } from '../dom.js';

/** What the matrix needs of a plan. */
export interface MatrixPlan {
  id: string;
  claims: { id: string; text: string }[];
  missingClaims: { subject: string; suggestedCategory: string; suggestion: string }[];
  coverage: { claimId: string; scenarios: string[]; covered: boolean; risks: string[]; note?: string }[];
  scenarios: { id: string; claims: string[]; target: { edge: string }; fault: { toxic: string } }[];
}

/** An id with a line break allowed after each `_`, `.` and `>`: long claim ids wrap at word ends, not mid-word. */
function breakable(id: string): (string | HTMLElement)[] {
  return id.split(/(?<=[_.>])/).flatMap((part, i) => (i ? [h('wbr'), part] : [part]));
}

/** A cell: the fault family, or for a missing claim whether the scenario at least faults its subject. */
function cell(text: string, cls: string, sr = '', note = ''): HTMLElement {
  return h('td', { class: cls }, text, note ? [h('br'), h('small', {}, note)] : null, sr ? h('span', { class: 'sr-only' }, sr) : null);
}

/** Build the matrix (region id `coverage-matrix`) and a details element with each claim's risks and notes. */
export function coverageMatrix(plan: MatrixPlan): HTMLElement {
  const row = new Map(plan.coverage.map((c) => [c.claimId, c]));
  const head = h('tr', {}, h('th', { scope: 'col', class: 'claim' }, 'claim'),
    plan.scenarios.map((s) => h('th', { scope: 'col', class: 'scenario' }, h('span', {}, s.id))));
  const claimRows = plan.claims.map((c) => {
    const cov = row.get(c.id);
    const state = cov && !cov.covered ? h('small', { class: 'state uncovered' }, 'not covered') : null;
    return h('tr', { 'data-claim': c.id },
      h('th', { scope: 'row', class: 'claim', title: c.text }, breakable(c.id), state),
      plan.scenarios.map((s) => (s.claims.includes(c.id) || cov?.scenarios.includes(s.id)
        ? cell(s.fault.toxic, 'hit', ' (targets this claim)')
        : cell('', 'miss'))));
  });
  // A missing claim has no scenario by definition; a scenario faulting its subject edge is worth seeing all the same.
  const missingRows = plan.missingClaims.map((m) => h('tr', { class: 'missing', 'data-missing': m.subject },
    h('th', { scope: 'row', class: 'claim', title: m.suggestion }, h('small', { class: 'state' }, 'missing claim'), `${m.suggestedCategory} on `, breakable(m.subject)),
    plan.scenarios.map((s) => (s.target.edge === m.subject
      ? cell(s.fault.toxic, 'near', ' (faults this subject; no claim checks it)', 'unchecked')
      : cell('', 'miss')))));
  const matrix = h('table', { class: 'matrix' },
    h('caption', { class: 'sr-only' }, `Coverage matrix of plan ${plan.id}: claims (rows) by scenarios (columns); a cell names the fault of a scenario that targets the claim`),
    h('thead', {}, head),
    h('tbody', {}, claimRows, missingRows));
  const notes = plan.coverage.filter((c) => c.risks.length || c.note);
  return h('div', {},
    // Focusable so the keyboard can scroll it sideways (a scrolling region nobody can focus is unreachable without a mouse).
    h('div', { id: 'coverage-matrix', class: 'matrix-scroll', role: 'region', 'aria-label': 'Coverage matrix, scrolls sideways', tabindex: '0' }, matrix),
    notes.length ? h('details', {}, h('summary', {}, 'Risks and notes per claim'),
      h('ul', {}, notes.map((c) => h('li', {}, h('strong', {}, c.claimId), `: ${[c.risks.length ? `risks ${c.risks.join(', ')}` : '', c.note ?? ''].filter(Boolean).join('; ')}`)))) : null);
}
