/**
 * Findings as JUnit XML, the report format every CI system reads (Jenkins,
 * GitLab, GitHub Actions reporters, Azure Pipelines, CircleCI). One
 * `<testsuite>` per run, one `<testcase>` per scenario named after it.
 *
 * The verdict → JUnit mapping (documented in README, "CI pipelines"):
 *
 *  - PASS-*                       → a passing testcase;
 *  - FAIL-*                       → `<failure>`: the claim was falsified (or the
 *    system did not come back); the body holds the oracle's evidence and the
 *    reproducer command;
 *  - INCONCLUSIVE-env             → `<error>`: the environment kept the scenario
 *    from running, which a pipeline should show as broken, not as passed;
 *  - other INCONCLUSIVE-*, PARTIAL-* and scenarios not run → `<skipped>` with
 *    the reason: nothing was shown either way.
 *
 * The JUnit schema CI systems validate against (Jenkins' junit-10.xsd) has
 * properties only on a testsuite, so per-scenario seed, fault and landing
 * evidence are suite properties named `<scenario>.seed` etc., and repeated in
 * the testcase's `<system-out>` where CI UIs show them next to the case.
 */
import type { Plan, Scenario } from '../../generators/plan.js';
import type { Findings, ScenarioResult } from './result.js';

/** Options of renderJUnit. */
export interface JUnitOptions {
  /** The plan the findings came from: adds fault details. */
  plan?: Plan;
  /** How a person re-runs one scenario; default `faultline run plan.json --only <id> --seed <n>`. */
  reproducer?: (r: ScenarioResult) => string;
  /** Host name for the suite (CI shows it); omitted when absent. */
  hostname?: string;
}

/** What a verdict becomes in JUnit: a pass, a failure, an error or a skip. */
export type JUnitOutcome = 'passed' | 'failure' | 'error' | 'skipped';

/** The documented verdict → JUnit outcome mapping (see the module comment). */
export function junitOutcome(r: Pick<ScenarioResult, 'verdict' | 'notRun'>): JUnitOutcome {
  if (r.verdict.startsWith('FAIL')) return 'failure';
  if (r.notRun) return 'skipped';
  if (r.verdict === 'INCONCLUSIVE-env') return 'error';
  if (r.verdict.startsWith('PASS')) return 'passed';
  return 'skipped';
}

// XML 1.0 forbids most control characters, even escaped; drop them (and lone surrogates).
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape text content. */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value (double-quoted); newlines and tabs survive as character references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');

const seconds = (ms: number) => (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3);

/** `2026-12-04T17:09:07`: the timestamp form the Ant/JUnit schema requires (UTC, no zone). */
function timestamp(iso: string): string | undefined {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19) : undefined;
}

function faultText(s: Scenario | undefined): string | undefined {
  if (!s) return undefined;
  const a = Object.entries(s.fault.attributes).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${s.fault.toxic} on ${s.target.proxy} (${s.target.edge}), ${s.fault.stream}, toxicity ${s.fault.toxicity}${a ? `, ${a}` : ''}`;
}

function landingText(r: ScenarioResult): string {
  return `${r.landing.proven ? 'proven' : 'not proven'} (${r.landing.source})${r.landing.evidence.length ? `: ${r.landing.evidence.join('; ')}` : ''}`;
}

/** The one-line reason a CI shows next to the case. */
function message(r: ScenarioResult): string {
  if (r.notRun) return `${r.verdict}: not run: ${r.notRun}`;
  if (r.lastingDamage?.length) return `${r.verdict}: the system did not come back: ${r.lastingDamage.map((d) => `${d.subject}: ${d.error}`).join('; ')}`;
  if (r.envProblem) return `${r.verdict}: ${r.envProblem}`;
  const failed = r.checks.find((c) => c.sufficient && !c.ok) ?? r.checks.find((c) => !c.ok);
  if (r.verdict.startsWith('FAIL') && failed) return `${r.verdict}: claim ${failed.claimId} falsified: ${failed.summary}`;
  const insufficient = r.checks.find((c) => !c.sufficient);
  const detail = insufficient?.insufficientReason ?? r.abort?.condition ?? r.checks.find((c) => c.partialModel)?.partialModel ?? r.verdictPath.at(-1);
  return detail ? `${r.verdict}: ${detail}` : r.verdict;
}

/** The evidence a reviewer needs: why this verdict, what the oracle saw, and how to re-run it. */
function details(r: ScenarioResult, reproducer: string): string {
  const lines = [`verdict: ${r.verdict} (${r.verdictPath.join(' → ')})`, `blame: ${r.blame} — ${r.blameReason}`];
  for (const c of r.checks) {
    lines.push(`oracle ${c.claimId} (${c.checker}): ${c.ok ? 'ok' : 'anomaly'}, ${c.summary}${c.sufficient ? '' : ` [insufficient: ${c.insufficientReason ?? 'unknown'}]`}`);
    for (const a of c.anomalies.slice(0, 10)) lines.push(`  - ${a.message}${a.ops?.length ? ` [ops ${a.ops.slice(0, 20).join(', ')}]` : ''}`);
    const more = (c.anomalyCount ?? c.anomalies.length) - Math.min(10, c.anomalies.length);
    if (more > 0) lines.push(`  - … and ${more} more anomalies`);
  }
  for (const d of r.lastingDamage ?? []) lines.push(`lasting damage: ${d.subject}: ${d.error}, failing since ${d.since}; ${d.checked}`);
  if (r.envProblem) lines.push(`environment: ${r.envProblem}`);
  if (r.abort) lines.push(`halted: ${r.abort.condition}`);
  lines.push(`landing: ${landingText(r)}`, `reproduce: ${reproducer}`);
  return lines.join('\n');
}

function testcase(r: ScenarioResult, f: Findings, opts: JUnitOptions): string {
  const s = opts.plan?.scenarios.find((x) => x.id === r.scenarioId);
  const reproducer = opts.reproducer?.(r) ?? `faultline run plan.json --only ${r.scenarioId} --seed ${r.seed}`;
  const outcome = junitOutcome(r);
  const head = `    <testcase${attrs({ name: r.scenarioId, classname: `faultline.${f.system}`, time: seconds(r.durationMs) })}>`;
  const body: string[] = [];
  const msg = message(r);
  if (outcome !== 'passed') body.push(`      <${outcome}${attrs({ type: r.verdict, message: msg })}>${xmlText(details(r, reproducer))}</${outcome}>`);
  const out = [`verdict: ${r.verdict}`, `seed: ${r.seed}`, `fault: ${faultText(s) ?? 'see the plan'}`, `landing: ${landingText(r)}`, `claims: ${r.claims.join(', ')}`];
  if (outcome === 'passed') out.push(...r.checks.map((c) => `oracle ${c.claimId} (${c.checker}): ${c.summary}`), `reproduce: ${reproducer}`);
  body.push(`      <system-out>${xmlText(out.join('\n'))}</system-out>`);
  return [head, ...body, '    </testcase>'].join('\n');
}

function properties(f: Findings, opts: JUnitOptions): string {
  const props: [string, string][] = [['runId', f.runId], ['planId', f.planId], ['system', f.system], ['headline', f.headline]];
  for (const r of f.results) {
    const fault = faultText(opts.plan?.scenarios.find((x) => x.id === r.scenarioId));
    props.push([`${r.scenarioId}.verdict`, r.verdict], [`${r.scenarioId}.seed`, String(r.seed)]);
    if (fault) props.push([`${r.scenarioId}.fault`, fault]);
    props.push([`${r.scenarioId}.landing`, landingText(r)]);
  }
  return ['    <properties>', ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`), '    </properties>'].join('\n');
}

/** One run's findings as a `<testsuite>` element (no XML declaration). */
export function junitSuite(f: Findings, opts: JUnitOptions = {}): string {
  const outcomes = f.results.map(junitOutcome);
  const count = (o: JUnitOutcome) => outcomes.filter((x) => x === o).length;
  const elapsed = Date.parse(f.finishedAt) - Date.parse(f.startedAt);
  const head = `  <testsuite${attrs({
    name: `faultline ${f.system} (plan ${f.planId})`,
    id: f.runId,
    tests: f.results.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: seconds(Number.isFinite(elapsed) ? elapsed : f.results.reduce((n, r) => n + r.durationMs, 0)),
    timestamp: timestamp(f.startedAt),
    hostname: opts.hostname,
  })}>`;
  return [head, properties(f, opts), ...f.results.map((r) => testcase(r, f, opts)), '  </testsuite>'].join('\n');
}

/** A whole JUnit XML document: `<testsuites>` holding one `<testsuite>` per run given. */
export function renderJUnit(runs: { findings: Findings; options?: JUnitOptions }[]): string {
  const all = runs.flatMap((r) => r.findings.results.map(junitOutcome));
  const totals = attrs({
    name: 'faultline',
    tests: all.length,
    failures: all.filter((o) => o === 'failure').length,
    errors: all.filter((o) => o === 'error').length,
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${totals}>`, ...runs.map((r) => junitSuite(r.findings, r.options)), '</testsuites>', ''].join('\n');
}
