/**
 * Lasting damage: at the end of every scenario, whatever claim it targeted,
 * the entrypoints and probes that were healthy in its baseline must be
 * healthy again. A service that died under the fault (an unhandled client
 * error on a reset connection) or a pool the fault leaked (503 for good) is
 * the most serious finding there is; left undetected it passes as "probe
 * missing" and turns every later scenario into an environment problem.
 * Failing subjects get a bounded grace period and are re-checked a few
 * times before they count. Besides fresh requests, an entrypoint is asked
 * again the requests that failed during the fault and still failed when
 * last re-asked: damage that sticks to what the fault touched (a lock a
 * failed request never released) leaves fresh requests healthy.
 */
import { isRefusal, type History, type Op } from '../../../claims/history.js';
import type { Scenario } from '../../../generators/plan.js';
import type { LastingDamage } from '../../record/result.js';
import type { ProbeDumpResult } from '../probes.js';
import type { FetchLike } from '../workload/request.js';
import { seededRng } from '../workload/rng.js';
import { isHealthy, probeEntrypoint } from './precheck.js';
import type { ScenarioPlanContext } from './context.js';
import { sleep } from './sleep.js';

/** Grace after the recovery phase for a failing subject to come back (default). */
export const DEFAULT_DAMAGE_GRACE_MS = 10_000;
const RECHECK_MS = 1000;

/**
 * Entrypoints the scenario drove that were healthy in its baseline: at most
 * half of the ops answered before the fault failed. Ops still in flight
 * when the fault began are not baseline evidence (a crash fails them), and
 * an entrypoint with no answer yet was vouched for by the precheck.
 */
export function healthyInBaseline(history: History, entrypoints: readonly string[]): string[] {
  const faultStart = history.phases.fault.startMs;
  return entrypoints.filter((name) => {
    const ops = history.ops.filter((o) => o.type === name && o.epoch === 'baseline' && o.completeMs <= faultStart);
    return ops.filter((o) => o.ok).length >= ops.length / 2;
  });
}

/**
 * When an entrypoint's final run of failures began, on the history's clock
 * (undefined: its last op succeeded): the first failure answered among the
 * ops after its last success — a request sent before the crash fails when
 * the crash happens, not when it was sent.
 */
export function failingSinceMs(ops: readonly Op[], entrypoint: string): number | undefined {
  const own = ops.filter((o) => o.type === entrypoint).sort((a, b) => a.invokeMs - b.invokeMs);
  let since: number | undefined;
  for (const o of own) since = o.ok ? undefined : Math.min(since ?? Infinity, o.completeMs);
  return since;
}

/** Re-asked requests per entrypoint kept for the damage check (HEALTH_REQUESTS cycles through them). */
const REASKED = 3;

/**
 * Per entrypoint, the resource choices of requests that failed during the
 * fault and were still failing when last re-asked in the recovery phase
 * (a server error, transport error or timeout; a 4xx is an answer), most
 * recent first. Damage that sticks to what the fault touched (a lock never
 * released) leaves fresh requests healthy: only these show it.
 */
export function stillFailingRevisits(history: History, entrypoints: readonly string[]): Map<string, (string | number)[][]> {
  const out = new Map<string, (string | number)[][]>();
  for (const name of entrypoints) {
    const last = new Map<string, Op>();
    for (const o of history.ops) {
      if (o.type !== name || o.revisitOf === undefined || !o.choices || o.completeMs === 0) continue;
      const id = JSON.stringify(o.choices);
      const prev = last.get(id);
      if (!prev || prev.invokeMs < o.invokeMs) last.set(id, o);
    }
    const failing = [...last.values()].filter((o) => !o.ok && !isRefusal(o)).sort((a, b) => b.invokeMs - a.invokeMs);
    if (failing.length > 0) out.set(name, failing.slice(0, REASKED).map((o) => o.choices!));
  }
  return out;
}

/** The subject of a re-asked entrypoint's damage. */
const REASKED_SUBJECT = ' (re-asking requests that failed during the fault)';

/** What the damage check needs from the attempt. */
export interface DamageCheckInput {
  scenario: Scenario;
  plan: ScenarioPlanContext;
  history: History;
  /** Dumps every probe (ProbeReader.dump). */
  dump: () => Promise<ProbeDumpResult>;
  /** The after-dump already read: probes it could not read are the first suspects. */
  after: ProbeDumpResult;
  fetch: FetchLike;
  graceMs?: number;
  signal?: AbortSignal;
}

/** Check every subject healthy in the baseline; returns the ones still failing after the grace period. */
export async function checkLastingDamage(input: DamageCheckInput): Promise<LastingDamage[]> {
  const { history, plan, scenario } = input;
  const graceMs = input.graceMs ?? DEFAULT_DAMAGE_GRACE_MS;
  const wall = (ms: number) => new Date(history.startedAtUnixMs + ms).toISOString();
  const rng = seededRng(scenario.workload.seed ^ 0x6d2b79f5);
  const failing = new Map<string, string>();
  const entrypoints = healthyInBaseline(history, scenario.workload.entrypoints.map((e) => e.name));
  const reask = stillFailingRevisits(history, entrypoints);
  const probes = Object.keys(history.probes.before);
  const start = Date.now();
  let checks = 0;
  let probeErrors = input.after.errors;
  for (;;) {
    checks++;
    failing.clear();
    for (const name of entrypoints) {
      const ep = plan.entrypoints.find((e) => e.name === name);
      if (!ep) continue;
      const health = await probeEntrypoint(ep, rng, input.fetch);
      if (!isHealthy(health)) {
        failing.set(`entrypoint ${name}`, health.last || 'failed');
        continue;
      }
      const broken = reask.get(name);
      if (!broken) continue;
      const again = await probeEntrypoint(ep, rng, input.fetch, broken);
      if (!isHealthy(again)) failing.set(`entrypoint ${name}${REASKED_SUBJECT}`, again.last || 'failed');
    }
    for (const name of probes) {
      const err = probeErrors.find((e) => e.startsWith(`probe ${name} `));
      if (err) failing.set(`probe ${name}`, err.replace(/^probe \S+ \([^)]*\): /, ''));
    }
    if (failing.size === 0 || Date.now() - start >= graceMs) break;
    await sleep(Math.min(RECHECK_MS, graceMs - (Date.now() - start)), input.signal);
    probeErrors = probes.length > 0 ? (await input.dump()).errors : [];
  }
  const checkedFor = `${checks} check${checks === 1 ? '' : 's'} over ${Math.round((Date.now() - start) / 100) / 10} s after the recovery phase`;
  const endMs = history.phases.recovery.endMs;
  return [...failing].map(([subject, error]) => {
    const ep = subject.startsWith('entrypoint ') ? subject.slice('entrypoint '.length).replace(REASKED_SUBJECT, '') : undefined;
    const sinceMs = ep === undefined ? undefined : failingSinceMs(history.ops, ep);
    const since = sinceMs !== undefined ? `${wall(sinceMs)} (${phaseAt(history, sinceMs)})` : `${wall(endMs)} (end of the recovery phase, when it was first checked)`;
    return { subject, error, since, checked: checkedFor };
  });
}

function phaseAt(history: History, ms: number): string {
  const { baseline, fault } = history.phases;
  if (ms < baseline.endMs) return 'during the baseline';
  if (ms < fault.endMs) return `${Math.round(ms - fault.startMs)} ms into the fault`;
  return `${Math.round(ms - fault.endMs)} ms after the fault ended`;
}
