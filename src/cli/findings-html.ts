/**
 * findings.html: the findings as one self-contained page for CI artifacts
 * and e-mail — the verdict table and, per scenario, a timeline chart of
 * latency percentiles, error rate and throughput per second across
 * baseline, fault and recovery, the fault window shaded and the recovery
 * point marked. uPlot and its CSS are read from the installed package at
 * write time and inlined: the page loads nothing from anywhere, so it opens
 * the same offline, from a CI artifact store, or attached to a mail.
 *
 * All text is telemetry at heart: sanitised (base/text.ts) and
 * HTML-escaped; the chart data travels as a JSON island with `<` escaped,
 * so no service name can close the script element.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { html } from './html-text.js';
import type { Plan } from '../../generators/plan.js';
import type { Findings, ScenarioResult } from '../../runners/record/result.js';
import { falsifiedClaims } from '../../runners/record/findings.js';
import { evidenceCell, recoveryCell } from './commands/run-report.js';
import { CHART_SCRIPT } from './findings-chart.js';

/** The uPlot build inlined into the page. */
export interface ChartLibrary {
  script: string;
  css: string;
}

/** uPlot's browser build and stylesheet, from the installed package. */
export async function loadUplot(): Promise<ChartLibrary> {
  const require = createRequire(import.meta.url);
  const [script, css] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return { script, css };
}

/** Inline code must not end its own element: `</script` and `</style` are broken up. */
function inlineSafe(code: string): string {
  return code.replace(/<\/(script|style)/gi, '<\\/$1');
}

function verdictClass(v: string): string {
  return v.startsWith('PASS') ? 'pass' : v.startsWith('FAIL') ? 'fail' : v.startsWith('PARTIAL') ? 'partial' : 'inconclusive';
}

/** The chart's text alternative: what a screen reader (or a mail client without scripts) says. */
function chartSummary(r: ScenarioResult): string {
  const byPhase = (f: (m: ScenarioResult['metrics'][number]) => string) => r.metrics.map((m) => `${f(m)} in ${m.phase}`).join(', ');
  const parts = [`p99 ${byPhase((m) => `${m.p99Ms} ms`)}`, `errors ${byPhase((m) => `${(m.errorRate * 100).toFixed(1)}%`)}`, `throughput ${byPhase((m) => `${m.throughputPerSec}/s`)}`];
  if (r.recovery) parts.push(r.recovery.recoveredAfterMs === null ? 'did not recover' : `recovered ${Math.round(r.recovery.recoveredAfterMs)} ms after the fault`);
  return parts.join('; ');
}

function scenarioSection(r: ScenarioResult, i: number, plan?: Plan): string {
  const item = (id: string) => {
    const text = plan?.claims.find((c) => c.id === id)?.text;
    return `<li><code>${html(id)}</code>${text ? ` — ${html(text)}` : ''}</li>`;
  };
  // As in findings.md: the claims whose checks failed, apart from aimed claims that held.
  const falsified = falsifiedClaims(r);
  const held = r.claims.filter((id) => !falsified.includes(id));
  const claimLists = [
    falsified.length ? `<p><strong>Claim falsified:</strong></p><ul>${falsified.map(item).join('')}</ul>` : '',
    held.length ? `<p><strong>${falsified.length ? 'Aimed at, and held' : 'Claims'}:</strong></p><ul>${held.map(item).join('')}</ul>` : '',
  ].join('');
  const chart = r.timeline
    ? `<figure class="timeline" data-scenario="${html(r.scenarioId)}"><div class="chart" id="chart-${i}" role="img" aria-label="${html(`Timeline of ${r.scenarioId}: ${chartSummary(r)}`)}"></div><figcaption>Shaded: the fault window. Dashed line: the recovery point. ${html(chartSummary(r))}.</figcaption></figure>`
    : `<p class="no-timeline">No timeline: ${html(r.notRun ?? r.envProblem ?? 'the scenario recorded no operation')}.</p>`;
  return [
    `<section class="scenario" id="s-${i}">`,
    `<h2>${html(r.scenarioId)} <span class="verdict ${verdictClass(r.verdict)}">${html(r.verdict)}</span></h2>`,
    chart,
    `<p><strong>Evidence:</strong> ${html(evidenceCell(r))}</p>`,
    r.verdict.startsWith('PASS') ? '' : `<p><strong>Blame:</strong> ${html(r.blame)} — ${html(r.blameReason)}</p>`,
    `<p><strong>Landing:</strong> ${r.landing.proven ? 'proven' : 'not proven'} (${html(r.landing.source)}): ${html(r.landing.evidence.join('; ') || '—')}</p>`,
    `<p><strong>Reproduce:</strong> <code>${html(`faultline run plan.json --only ${r.scenarioId} --seed ${r.seed}`)}</code></p>`,
    claimLists,
    '</section>',
  ].join('\n');
}

const PAGE_CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1040px;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
.verdict{font-weight:600;font-size:.85em;padding:.1rem .4rem;border-radius:.25rem}
.pass{background:#dff3e4;color:#12642b}.fail{background:#fde2e1;color:#9b1c1c}.inconclusive{background:#fff4d6;color:#7a5300}.partial{background:#e0f2f7;color:#0b5566}
figure{margin:1rem 0}figcaption{color:#555;font-size:.9em}section.scenario{border-top:2px solid #eee;margin-top:2rem}code{font-size:.9em}
`;

/** The whole page as one string. */
export function renderFindingsHtml(findings: Findings, chartLib: ChartLibrary, plan?: Plan): string {
  const rows = findings.results.map(
    (r, i) => `<tr><td><a href="#s-${i}">${html(r.scenarioId)}</a></td><td><span class="verdict ${verdictClass(r.verdict)}">${html(r.verdict)}</span></td><td>${r.verdict.startsWith('PASS') ? '—' : html(r.blame)}</td><td>${html(recoveryCell(r))}</td><td>${html(evidenceCell(r))}</td></tr>`,
  );
  const charts = findings.results.flatMap((r, i) => {
    if (!r.timeline) return [];
    const recoveredAtMs = r.recovery && r.recovery.recoveredAfterMs !== null ? r.timeline.faultEndMs + r.recovery.recoveredAfterMs : null;
    return [{ element: `chart-${i}`, ...r.timeline, recoveredAtMs }];
  });
  const island = JSON.stringify(charts).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(`Findings: ${findings.system}`)}</title>
<style>${inlineSafe(chartLib.css)}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${html(`Findings: ${findings.system}`)}</h1>
<p><strong>${html(findings.headline)}</strong></p>
<p>Run <code>${html(findings.runId)}</code> of plan <code>${html(findings.planId)}</code>, ${html(findings.startedAt)} → ${html(findings.finishedAt)}.</p>
<table>
<thead><tr><th scope="col">Scenario</th><th scope="col">Verdict</th><th scope="col">Blame</th><th scope="col">Recovery</th><th scope="col">Evidence</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${findings.results.map((r, i) => scenarioSection(r, i, plan)).join('\n')}
<h2>Confidence</h2>
<p>${html(findings.confidenceDelta)}</p>
<script type="application/json" id="timelines">${island}</script>
<script>${inlineSafe(chartLib.script)}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

/** Render findings.html with the installed uPlot inlined. */
export async function findingsHtml(findings: Findings, plan?: Plan): Promise<string> {
  return renderFindingsHtml(findings, await loadUplot(), plan);
}
