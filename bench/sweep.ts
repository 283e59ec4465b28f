/**
 * `npm run bench -- sweep`: each example system end to end, the way a user
 * runs `faultline demo --system NAME`, once with every planted bug and once
 * fixed. Reports, per system: scenarios executed per planted bug found
 * (target ≤ 3), the share of PASS-hardening on the fixed variant (target
 * ≥ 90 %), and wall time from collected traces to findings (target < 3 min
 * for five planted bugs on 2 cores). Only this file and the acceptance tests
 * know which claim each bug breaks; the core plans and runs blind. Each
 * variant's findings are kept in the OS temp dir (`faultline-sweep/`), so a
 * missed bug can be read scenario by scenario without running it again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleSystem } from '../examples/systems.js';
import { createPlan } from '../generators/plan-pipeline.js';
import { RulePlanGenerator } from '../generators/rule-generator.js';
import { buildGraph } from '../graph/builder.js';
import { IngestWarnings } from '../ingest/warnings.js';
import { InProcessExecutor } from '../runners/execute/inprocess-executor.js';
import { ToxiproxyInjector } from '../runners/faults/toxiproxy-injector.js';
import type { Findings, ScenarioResult } from '../runners/record/result.js';
import type { BenchResult } from './result.js';

/** Which claims each planted bug breaks (from each example's README). */
const BUG_CLAIMS: Record<string, Record<string, string[]>> = {
  shop: {
    'double-charge': ['charge_at_most_once_per_checkout'],
    'cache-fails-closed': ['stock_reads_available_while_cache_degraded'],
    'lost-email': ['every_acknowledged_checkout_gets_an_email'],
    'no-timeout': ['checkout_p99_under_1000ms_during_fault'],
    'breaker-stuck': ['checkout_recovers_within_5s'],
  },
  rides: {
    'duplicate-hold': ['fare_held_at_most_once_per_ride'],
    'dropped-dispatch': ['every_accepted_ride_gets_a_driver'],
    'crash-on-reset': ['quotes_available_while_maps_degraded', 'quotes_recover_within_5s'],
    'no-reconnect': ['ride_requests_recover_within_5s'],
    'pool-leak': ['balance_recovers_within_5s', 'ride_requests_recover_within_5s'],
  },
  ledger: {
    'no-compensation': ['money_is_conserved'],
    'replayed-posting': ['each_completed_transfer_posted_once'],
    'requeue-at-tail': ['statements_follow_transfer_order'],
    'retry-storm': ['balance_p99_under_300ms_while_fx_degraded', 'quotes_available_while_fx_degraded'],
    'stale-cache': ['account_limit_linearizable'],
  },
  tickets: {
    'lock-expiry': ['seats_sold_at_most_once'],
    'lost-update': ['festival_passes_conserved'],
    'ack-before-issue': ['confirmed_orders_get_a_ticket'],
    'cache-stampede': ['prices_p99_under_1000ms_while_redis_degraded'],
    'shared-pool': ['availability_p99_under_300ms_while_payments_degraded'],
  },
  clinic: {
    'partial-write': ['slot_places_conserved'],
    'insert-retry-dup': ['arrival_recorded_at_most_once'],
    'no-statement-timeout': ['appointments_list_p99_under_1000ms_while_postgres_degraded'],
    'out-of-order-apply': ['board_calls_shown_in_call_order'],
    'silent-fallback': ['allergy_record_reads_latest_save'],
  },
};

interface VariantOutcome {
  findings: Findings;
  wallMs: number;
}

async function runVariant(system: string, bugs: 'all' | 'none'): Promise<VariantOutcome> {
  const sys = await exampleSystem(system).start({ bugs });
  try {
    await sys.traffic({ requests: 400, concurrency: 8, seed: 7 });
    if (!sys.store) throw new Error(`${system} started without its OTLP receiver`);
    await sys.store.whenQuiet();
    const t0 = performance.now();
    const snapshot = await buildGraph(sys.store, { startUs: 0, endUs: Number.MAX_SAFE_INTEGER }, new IngestWarnings());
    const plan = await createPlan({ manifest: sys.manifest, snapshot, generator: new RulePlanGenerator(), now: new Date() });
    const executor = new InProcessExecutor({ injector: new ToxiproxyInjector(sys.proxyUrl), traceSource: sys.store });
    const findings = await executor.run(plan, { runId: `bench-${system}-${bugs}` });
    const wallMs = performance.now() - t0;
    const dir = join(tmpdir(), 'faultline-sweep');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${system}-${bugs}.json`), JSON.stringify(findings, null, 1));
    process.stderr.write(`  ${system} (${bugs}): findings in ${join(dir, `${system}-${bugs}.json`)}\n`);
    return { findings, wallMs };
  } finally {
    await sys.stop();
  }
}

/** A bug is found when a scenario FAILs, blamed on the system, through one of the claims it breaks (or lasting damage). */
function found(claims: readonly string[], r: ScenarioResult): boolean {
  if (!r.verdict.startsWith('FAIL') || r.blame !== 'SUT') return false;
  return r.checks.some((c) => claims.includes(c.claimId) && !c.ok) || (r.lastingDamage !== undefined && r.claims.some((c) => claims.includes(c)));
}

/** Every example system, or the ones named (`node --import tsx -e "…run(['rides'])"`). */
export async function run(systems: readonly string[] = Object.keys(BUG_CLAIMS)): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const system of systems) {
    process.stderr.write(`  ${system}: every bug on…\n`);
    const on = await runVariant(system, 'all');
    process.stderr.write(`  ${system}: fixed…\n`);
    const off = await runVariant(system, 'none');
    const bugs = Object.entries(BUG_CLAIMS[system]);
    const caught = bugs.filter(([, claims]) => on.findings.results.some((r) => found(claims, r))).map(([b]) => b);
    const executed = on.findings.results.filter((r) => r.notRun === undefined).length;
    const hardening = off.findings.results.filter((r) => r.verdict === 'PASS-hardening').length / Math.max(1, off.findings.results.length);
    const falseFails = off.findings.results.filter((r) => r.verdict.startsWith('FAIL')).length;
    const perBug = caught.length > 0 ? executed / caught.length : Infinity;
    out.push(
      { name: `${system}: bugs found`, value: caught.length, unit: 'bugs', baseline: bugs.length, ratio: caught.length / bugs.length, target: `all ${bugs.length}`, pass: caught.length === bugs.length, note: `missed: ${bugs.map(([b]) => b).filter((b) => !caught.includes(b)).join(', ') || 'none'}` },
      { name: `${system}: scenarios per bug found`, value: perBug, unit: 'scenarios', target: '≤ 3', pass: perBug <= 3, note: `${executed} scenarios executed` },
      { name: `${system}: PASS-hardening when fixed`, value: hardening * 100, unit: '%', target: '≥ 90 %', pass: hardening >= 0.9, note: `${falseFails} FAIL on the fixed system` },
      { name: `${system}: traces → findings (bugs on)`, value: on.wallMs / 1000, unit: 's', target: '< 180 s', pass: on.wallMs < 180_000, note: `fixed: ${(off.wallMs / 1000).toFixed(0)} s` },
    );
  }
  return out;
}
