/**
 * Turning scenarios into the plan document: hypotheses, the claim × risk
 * coverage matrix, an adequacy argument per claim, residual uncertainty and
 * a deliberately conservative confidence statement. Shared by both
 * generators, so an LLM plan reads and is judged exactly like a rule plan.
 */
import type { Claim } from '../claims/claim.js';
import { PLAN_SCHEMA_VERSION, type CoverageRow, type Hypothesis, type Plan, type Scenario, type ScenarioHalting } from './plan.js';
import { DEFAULT_RECOVERY, type PlanContext } from './plan-context.js';
import { snake } from './snake-id.js';
import { architecture } from './plan-architecture.js';
import { describeFault } from './scenario-builder.js';
import { checkEntrypoints } from './claim-reach.js';
import { formOf } from '../claims/forms/index.js';
import { scenarioHalting } from './halting-scope.js';
import { explainUnmatched } from './entrypoint-match.js';
import { unmatchedProxies } from '../graph/proxy-edges.js';

/** Fewer calls than this make an edge's or entrypoint's percentiles rough. */
const SMALL_TRAFFIC = 100;

/** What a generator hands over for assembly. */
export interface AssemblyParts {
  scenarios: Scenario[];
  hypotheses: Hypothesis[];
  generator: Plan['generator'];
  /** Edge id → claim ids it affects, for risky edges without a proxy. */
  unfaultable: Map<string, string[]>;
}

/** One hypothesis per targeted edge, naming the claims it may break and the risk items behind it. */
export function hypothesisFor(ctx: PlanContext, edgeId: string, claimIds: string[]): Hypothesis {
  const items = ctx.input.ranking.items.filter((i) => i.edge === edgeId);
  const top = items[0];
  const why = top ? ` (risk ${top.score.toFixed(2)}: ${top.reason})` : '';
  return {
    id: `h_${snake(edgeId)}`,
    text: `A fault on ${edgeId}${why} can violate ${claimIds.join(', ')}`,
    claims: [...claimIds],
    risks: items.map((i) => i.id),
  };
}

/** Assemble the plan document. */
export function assemblePlan(ctx: PlanContext, parts: AssemblyParts): Plan {
  const { manifest, claims, missing, now } = ctx.input;
  const coverage = claims.map((c) => coverageRow(ctx, c, parts));
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: `plan_${ctx.hash.slice(0, 12)}`,
    createdAt: now.toISOString(),
    system: manifest.system.name,
    generator: parts.generator,
    architecture: architecture(ctx.input),
    claims: [...claims],
    missingClaims: [...missing],
    hypotheses: parts.hypotheses,
    // Each scenario records which halting conditions may stop its fault, for the reviewer.
    scenarios: parts.scenarios.map((s) => withWatch(withHalting(s, scenarioHalting(s, manifest.halting)), claims)),
    coverage,
    adequacy: claims.map((c) => ({ claimId: c.id, argument: adequacy(ctx, c, parts, coverage) })),
    residualUncertainty: residual(ctx, parts, coverage),
    confidence: confidence(ctx, parts, coverage),
    recovery: { ...DEFAULT_RECOVERY },
    halting: manifest.halting.map((h) => ({ ...h })),
    entrypoints: structuredClone([...manifest.entrypoints]),
    proxies: structuredClone([...manifest.proxies]),
    probes: structuredClone([...manifest.probes]),
    hooks: { beforeScenario: structuredClone([...(manifest.hooks?.beforeScenario ?? [])]) },
    traces: structuredClone(manifest.traces),
    ...(manifest.toxiproxy?.url ? { toxiproxy: { url: manifest.toxiproxy.url } } : {}),
    ...(manifest.quiescence ? { quiescence: structuredClone(manifest.quiescence) } : {}),
    ...unmatched(ctx),
  };
}

/**
 * The claims a plan schedules: the user's when they wrote any; inferred
 * claims are then candidates (listed, with coverage saying so) because a
 * fault sized to break an observed baseline breaks it by construction.
 * A system with no user claims is planned on its inferred claims.
 */
export function scheduledClaims(claims: readonly Claim[]): Claim[] {
  const user = claims.filter((c) => c.source === 'user');
  return user.length > 0 ? user : [...claims];
}

/**
 * Every scheduled invariant claim (claims/forms `watched`) the scenario is
 * not aimed at joins its watch list: a double sale or a lost message may
 * need a fault aimed at another claim to show (a lock that expires while a
 * different dependency is slow), and reading one more probe costs little.
 */
function withWatch(s: Scenario, claims: readonly Claim[]): Scenario {
  const watch = scheduledClaims(claims).filter((c) => formOf(c.check).watched && !s.claims.includes(c.id)).map((c) => ({ claimId: c.id, check: c.check }));
  return watch.length > 0 ? { ...s, watch } : s;
}

/** Manifest entrypoints and proxies the traces do not show, with why: a claim on them is silently uncovered otherwise. */
function unmatched(ctx: PlanContext): Pick<Plan, 'unmatched'> {
  const { manifest, snapshot } = ctx.input;
  const entrypoints = explainUnmatched(manifest.entrypoints, snapshot.entrypoints, ctx.epMap).map((m) => ({ entrypoint: m.entrypoint, reason: m.reason }));
  const proxies = unmatchedProxies(snapshot, manifest.proxies).map((m) => ({ proxy: m.proxy, reason: m.reason ?? '', candidates: m.candidates }));
  return entrypoints.length + proxies.length > 0 ? { unmatched: { entrypoints, proxies } } : {};
}

function coverageRow(ctx: PlanContext, claim: Claim, parts: AssemblyParts): CoverageRow {
  const reach = ctx.reach.get(claim.id);
  const scenarios = parts.scenarios.filter((s) => s.claims.includes(claim.id)).map((s) => s.id);
  const risks = ctx.input.ranking.items.filter((i) => reach?.edges.has(i.edge)).map((i) => i.id);
  const row: CoverageRow = { claimId: claim.id, scenarios, risks, covered: scenarios.length > 0 };
  if (!row.covered) row.note = uncoveredReason(ctx, claim, parts);
  return row;
}

function uncoveredReason(ctx: PlanContext, claim: Claim, parts: AssemblyParts): string {
  if (claim.source === 'inferred' && ctx.input.claims.some((c) => c.source === 'user')) {
    return 'inferred candidate only: the plan tests the claims the owners wrote; adopt it into the claims file to have it tested';
  }
  const reach = ctx.reach.get(claim.id);
  if (!reach || reach.edges.size === 0) {
    const eps = checkEntrypoints(claim.check);
    if ('degraded' in claim.check && claim.check.degraded !== undefined && (reach?.traceEntrypoints.length ?? 0) > 0) {
      return `no traced edge of ${eps.join(', ')} leads into ${claim.check.degraded} (the dependency it is degraded on)`;
    }
    return eps.length > 0 && reach?.traceEntrypoints.length === 0
      ? `entrypoint(s) ${eps.join(', ')} not seen in the traces: no edge is known to affect this claim`
      : 'no edge in the graph is known to affect this claim (give its probe a service, or add traces)';
  }
  const blocked = [...parts.unfaultable].filter(([, ids]) => ids.includes(claim.id)).map(([e]) => e);
  if (blocked.length > 0) return `edges affecting it have no proxy: ${blocked.join(', ')}`;
  return 'its edges were outside the scenarios this plan kept';
}

function adequacy(ctx: PlanContext, claim: Claim, parts: AssemblyParts, coverage: CoverageRow[]): string {
  const row = coverage.find((r) => r.claimId === claim.id);
  const scenarios = parts.scenarios.filter((s) => s.claims.includes(claim.id));
  if (!row || scenarios.length === 0) return `Not covered: ${row?.note ?? 'no scenario'}. Nothing in this plan could falsify it.`;
  const lines = scenarios.map((s) => {
    const crossings = ctx.reach.get(claim.id)?.edges.get(s.target.edge) ?? 0;
    return `${s.id} injects ${describeFault(s.fault)} on ${s.target.edge} (tied to the claim by ${crossings} traced calls); ${oracleStrength(claim)}; landing is proven by ${s.landing.kind} (${s.landing.expectation}).`;
  });
  const caveat = claim.source === 'inferred' ? ' The claim itself is inferred: a PASS confirms only the observed baseline.' : '';
  return `${lines.join(' ')}${caveat}`;
}

/** Why the checker could tell a false claim from a true one (the claim form's own argument). */
function oracleStrength(claim: Claim): string {
  return formOf(claim.check).render.oracle(claim.check);
}

function residual(ctx: PlanContext, parts: AssemblyParts, coverage: CoverageRow[]): string[] {
  const out: string[] = [];
  for (const [edge, ids] of parts.unfaultable) {
    out.push(`${edge} affects ${ids.join(', ')} but has no proxy in the manifest, so it was not faulted; run \`faultline proxies suggest --manifest <manifest>\` for a proxy definition`);
  }
  const inferred = ctx.input.claims.filter((c) => c.source === 'inferred');
  if (inferred.length > 0) out.push(`${inferred.length} claim(s) are inferred from traces, not promised by the owners: ${inferred.map((c) => c.id).join(', ')}`);
  for (const r of coverage.filter((x) => !x.covered)) out.push(`claim ${r.claimId} is not covered: ${r.note}`);
  for (const t of ctx.input.snapshot.entrypoints) {
    if (t.calls < SMALL_TRAFFIC) out.push(`entrypoint ${JSON.stringify(t.id)} has only ${t.calls} traced calls: its baseline percentiles are rough`);
  }
  const targeted = new Set(parts.scenarios.map((s) => s.target.edge));
  for (const id of [...targeted].sort()) {
    const e = ctx.edges.get(id);
    if (e && e.calls < SMALL_TRAFFIC) out.push(`edge ${id} has only ${e.calls} traced calls: fault sizing from its percentiles is rough`);
  }
  for (const [name, ids] of ctx.epMap) if (ids.length === 0) out.push(`manifest entrypoint ${name} matches no traced entrypoint: claims on it cannot be tied to edges`);
  const warnings = Object.values(ctx.input.snapshot.warnings).reduce((s, n) => s + n, 0);
  if (warnings > 0) out.push(`${warnings} ingest/build warning(s) while reading traces: the graph may miss calls`);
  const faultlineOnly = parts.scenarios.filter((s) => s.requiresFaultlineProxy).length;
  if (faultlineOnly > 0) out.push(`${faultlineOnly} scenario(s) use toxics only faultline's proxy has; against another Toxiproxy they are INCONCLUSIVE`);
  const previous = ctx.input.history?.previous.filter((p) => !p.verdict.startsWith('PASS')) ?? [];
  if (previous.length > 0) out.push(`earlier sweeps did not pass: ${previous.map((p) => `${p.scenarioId} (${p.verdict})`).join(', ')}`);
  return out;
}

function confidence(ctx: PlanContext, parts: AssemblyParts, coverage: CoverageRow[]): string {
  const total = coverage.length;
  const covered = coverage.filter((r) => r.covered).length;
  const inferred = ctx.input.claims.filter((c) => c.source === 'inferred').length;
  const { ratePerSec } = ctx.input.manifest.workload;
  const level = total > 0 && covered === total && parts.unfaultable.size === 0 && inferred === 0 ? 'moderate' : 'low';
  return `Confidence: ${level}. ${covered} of ${total} claim(s) (${total - inferred} user, ${inferred} inferred) are exercised by ${parts.scenarios.length} scenario(s); ` +
    `${parts.unfaultable.size} risky edge(s) could not be faulted. Even if every scenario passes, that shows only that these claims survived these specific faults ` +
    `at ${ratePerSec} req/s for ${ctx.input.manifest.phases.faultMs} ms each, not that they hold in general.`;
}

/** Record a scenario's halting guards and state them in its exit criteria, so the reviewer reads the guards that really apply. */
function withHalting(s: Scenario, halting: ScenarioHalting): Scenario {
  const halts = halting.guards.map((g) => `halt: remove the fault if ${g.entrypoints.join(', ')} error rate exceeds ${(g.maxErrorRate * 100).toFixed(0)}% over a full ${g.windowMs} ms window (${g.why})`);
  return { ...s, halting, exitCriteria: [...s.exitCriteria.filter((c) => !c.startsWith('halt:')), ...halts] };
}
