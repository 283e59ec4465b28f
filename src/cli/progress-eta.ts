/**
 * How long a run has left. Each scenario's planned time is its three
 * phases (scaled); the run's real pace (prechecks, quiescence waits,
 * same-seed re-runs) is learned from the scenarios already done, so the
 * estimate corrects itself as the run goes.
 */
import type { Plan } from '../../generators/plan.js';

/** Overhead assumed before any scenario finished: prechecks, probes and checks add about a fifth. */
const FIRST_GUESS_PACE = 1.2;

/** Estimates the time left from the plan and what has finished. */
export class RunEta {
  private readonly plannedMs = new Map<string, number>();
  private readonly finished = new Set<string>();
  private donePlannedMs = 0;
  private doneActualMs = 0;

  constructor(plan: Pick<Plan, 'scenarios'>, phaseScale = 1, only?: readonly string[]) {
    for (const s of plan.scenarios) {
      if (only && only.length > 0 && !only.includes(s.id)) continue;
      const p = s.phases;
      this.plannedMs.set(s.id, (p.baselineMs + p.faultMs + p.recoveryMs) * phaseScale);
    }
  }

  /** Planned phase time of one scenario (0 when unknown). */
  planned(scenarioId: string): number {
    return this.plannedMs.get(scenarioId) ?? 0;
  }

  /** Record a finished scenario and how long it really took. */
  finish(scenarioId: string, actualMs: number): void {
    if (this.finished.has(scenarioId)) return;
    this.finished.add(scenarioId);
    this.donePlannedMs += this.planned(scenarioId);
    this.doneActualMs += actualMs;
  }

  /** Real ms per planned ms so far. */
  pace(): number {
    return this.donePlannedMs > 0 ? this.doneActualMs / this.donePlannedMs : FIRST_GUESS_PACE;
  }

  /** Ms left: the current scenario's remainder plus every scenario not started, at the observed pace. */
  remainingMs(current: { scenarioId: string; elapsedMs: number } | undefined): number {
    const pace = this.pace();
    let left = 0;
    for (const [id, ms] of this.plannedMs) {
      if (this.finished.has(id) || id === current?.scenarioId) continue;
      left += ms * pace;
    }
    // A scenario running longer than expected (a re-run) has at least a little left, never a negative amount.
    if (current && !this.finished.has(current.scenarioId)) left += Math.max(0, this.planned(current.scenarioId) * pace - current.elapsedMs);
    return left;
  }
}

/** `1:05`, `12:00`, `1:02:03`. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
