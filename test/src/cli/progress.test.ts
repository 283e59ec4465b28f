import { describe, expect, it } from 'vitest';
import type { ProgressEvent, ScenarioStage } from '../../../runners/execute/executor.js';
import { progressLine } from '../../../src/cli/commands/run-report.js';
import { ProgressDisplay } from '../../../src/cli/progress.js';
import { clock, RunEta } from '../../../src/cli/progress-eta.js';
import { plan as fakePlan } from '../fakes.js';

const ESC = '\u001b';
const REDRAW = `${ESC}[1A${ESC}[2K`;

/** Two scenarios of 10 s planned phases each (3 + 4 + 3 s). */
function twoScenarioPlan() {
  const p = fakePlan([
    { id: 'a_under_latency', edge: 'x->y', claims: ['c1'] },
    { id: 'b_under_reset', edge: 'x->z', claims: ['c2'] },
  ]);
  for (const s of p.scenarios) s.phases = { baselineMs: 3000, faultMs: 4000, recoveryMs: 3000 };
  return p;
}

function event(scenarioId: string, index: number, stage: ScenarioStage, detail?: string): ProgressEvent {
  return { runId: 'run-1', scenarioId, stage, index, total: 2, at: '2026-01-01T00:00:00.000Z', ...(detail ? { detail } : {}) };
}

function sink(interactive: boolean, color = false) {
  const lines: string[] = [];
  return { lines, io: { err: (t: string) => void lines.push(t), interactive, terminal: { columns: 200, color } } };
}

describe('run progress', () => {
  it('prints one plain line per stage when stderr is not a terminal', () => {
    const { lines, io } = sink(false);
    const display = new ProgressDisplay(io, new RunEta(twoScenarioPlan()), { tickMs: 0 });
    const events = [event('a_under_latency', 0, 'queued'), event('a_under_latency', 0, 'fault', 'toxic t1'), event('a_under_latency', 0, 'done', 'PASS-hardening')];
    events.forEach(display.onEvent);
    display.stop();
    expect(lines).toEqual(events.map(progressLine));
    expect(lines.join('')).not.toContain(ESC);
  });

  it('prints plain lines with --json even on a terminal', () => {
    const { lines, io } = sink(true);
    const display = new ProgressDisplay(io, new RunEta(twoScenarioPlan()), { plain: true, tickMs: 0 });
    display.onEvent(event('a_under_latency', 0, 'baseline'));
    expect(lines).toEqual(['[1/2] a_under_latency  baseline']);
  });

  it('on a terminal redraws one status line with scenario, phase, elapsed and ETA, and leaves a line per verdict', () => {
    let now = 0;
    const { lines, io } = sink(true);
    const display = new ProgressDisplay(io, new RunEta(twoScenarioPlan()), { now: () => now, tickMs: 0 });
    display.onEvent(event('a_under_latency', 0, 'queued'));
    display.onEvent(event('b_under_reset', 1, 'queued'));
    expect(lines).toEqual([]);
    display.onEvent(event('a_under_latency', 0, 'baseline'));
    // Before any scenario finished the pace is a guess: 1.2 × 20 s planned = 24 s.
    expect(lines[0]).toBe('[1/2] a_under_latency  baseline  0:00 in scenario · about 0:24 left · 0:00 so far');
    now = 5000;
    display.onEvent(event('a_under_latency', 0, 'fault', 'toxic t1'));
    expect(lines[1]).toBe(`${REDRAW}[1/2] a_under_latency  fault  0:05 in scenario · about 0:19 left · 0:05 so far · toxic t1`);
    now = 20_000;
    display.onEvent(event('a_under_latency', 0, 'done', 'FAIL-reproducible'));
    expect(lines[2]).toBe(`${REDRAW}[1/2] a_under_latency  FAIL-reproducible  0:20`);
    // The first scenario took twice its plan (a same-seed re-run): the ETA learns that pace.
    display.onEvent(event('b_under_reset', 1, 'baseline'));
    expect(lines[3]).toBe('[2/2] b_under_reset  baseline  0:00 in scenario · about 0:20 left · 0:20 so far');
    display.stop();
    expect(lines[4]).toBe(`${REDRAW}${ESC}[1A`);
  });

  it('colours the verdict only when the terminal may have colour, and shows telemetry text without its escapes', () => {
    let now = 0;
    const { lines, io } = sink(true, true);
    const display = new ProgressDisplay(io, new RunEta(twoScenarioPlan()), { now: () => now, tickMs: 0 });
    display.onEvent(event(`a${ESC}]0;pwned\u0007_under_latency`, 0, 'baseline'));
    now = 1000;
    display.onEvent(event(`a${ESC}]0;pwned\u0007_under_latency`, 0, 'done', 'PASS-hardening'));
    expect(lines[0]).toContain('[1/2] a_under_latency  baseline');
    expect(lines[1]).toBe(`${REDRAW}[1/2] a_under_latency  ${ESC}[32mPASS-hardening${ESC}[0m  0:01`);
    expect(lines.join('')).not.toContain('pwned');
  });

  it("prints another's stderr line above the status line instead of erasing it, and gives stderr back on stop", () => {
    const { lines, io } = sink(true);
    const original = io.err;
    const display = new ProgressDisplay(io, new RunEta(twoScenarioPlan()), { now: () => 0, tickMs: 0 });
    display.onEvent(event('a_under_latency', 0, 'fault'));
    io.err('SIGTERM: stopping; removing the faults and writing the partial findings');
    expect(lines.slice(1)).toEqual([
      `${REDRAW}SIGTERM: stopping; removing the faults and writing the partial findings`,
      '[1/2] a_under_latency  fault  0:00 in scenario · about 0:24 left · 0:00 so far',
    ]);
    display.stop();
    expect(io.err).toBe(original);
    io.err('after');
    expect(lines.at(-1)).toBe('after');
  });

  it('keeps the status line inside the terminal width so redrawing one line up stays right', () => {
    const lines: string[] = [];
    const display = new ProgressDisplay({ err: (t) => void lines.push(t), interactive: true, terminal: { columns: 40, color: false } }, new RunEta(twoScenarioPlan()), { now: () => 0, tickMs: 0 });
    display.onEvent(event('a_under_latency', 0, 'fault', 'a long detail about the toxic that was added'));
    expect([...lines[0]].length).toBeLessThanOrEqual(39);
    expect(lines[0].endsWith('…')).toBe(true);
  });
});

describe('run ETA', () => {
  it('counts only the scenarios --only selected, scaled by --phase-scale', () => {
    const eta = new RunEta(twoScenarioPlan(), 0.5, ['b_under_reset']);
    expect(eta.planned('a_under_latency')).toBe(0);
    expect(eta.remainingMs(undefined)).toBe(5000 * 1.2);
  });

  it('never goes negative when a scenario overruns its plan', () => {
    const eta = new RunEta(twoScenarioPlan());
    eta.finish('a_under_latency', 10_000);
    expect(eta.remainingMs({ scenarioId: 'b_under_reset', elapsedMs: 60_000 })).toBe(0);
  });

  it('formats minutes and hours', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65_000)).toBe('1:05');
    expect(clock(3_723_000)).toBe('1:02:03');
  });
});
