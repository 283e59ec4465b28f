/**
 * A scenario's timeline across baseline, fault and recovery, drawn with
 * uPlot: one chart of latency percentiles and one of error rate and
 * throughput, the fault window shaded, each phase named, the recovery point
 * marked. Every chart has an aria-label and a table with the same numbers.
 * The values are the per-second series of the findings (`timeline`) when the
 * run recorded one, else the per-phase metrics held as steps over each
 * phase's planned length.
 */
import uPlot from 'uplot';
import { duration, h, percent, table } from './dom.js';

/** Per-phase metrics of one scenario (findings' PhaseMetrics). */
export interface PhaseMetricsDoc { phase: string; ops: number; throughputPerSec: number; errorRate: number; timeouts: number; p50Ms: number; p95Ms: number; p99Ms: number }
/** Per-second series of one scenario (findings' `timeline`; times in ms from the baseline's start). */
export interface SeriesDoc {
  stepMs: number; faultStartMs: number; faultEndMs: number; endMs: number;
  ops: number[]; errorRate: (number | null)[]; throughput: number[];
  p50Ms: (number | null)[]; p95Ms: (number | null)[]; p99Ms: (number | null)[];
}
/** What one timeline needs. */
export interface TimelineInput {
  scenarioId: string;
  /** Phase lengths in ms as run (plan × phase scale). */
  phases: { baselineMs: number; faultMs: number; recoveryMs: number };
  metrics: PhaseMetricsDoc[];
  /** The per-second series, when the run recorded one. */
  series?: SeriesDoc;
  /** Ms after the fault ended when the entrypoint was back in its band; null = did not recover. */
  recoveredAfterMs?: number | null;
}

const PHASES = ['baseline', 'fault', 'recovery'] as const;

/** Phase boundaries in seconds: [0, end of baseline, end of fault, end of recovery]; measured ones when there is a series. */
function bounds(input: TimelineInput): number[] {
  if (input.series) return [0, input.series.faultStartMs / 1000, input.series.faultEndMs / 1000, input.series.endMs / 1000];
  const p = input.phases;
  const b = p.baselineMs / 1000;
  const f = b + p.faultMs / 1000;
  return [0, b, f, f + p.recoveryMs / 1000];
}

function phasePlugin(input: TimelineInput): uPlot.Plugin {
  const [, faultStart, faultEnd, end] = bounds(input);
  const recoveredAt = input.recoveredAfterMs == null ? undefined : faultEnd + input.recoveredAfterMs / 1000;
  return {
    hooks: {
      drawAxes: [(u) => {
        const { ctx } = u;
        const top = u.bbox.top;
        const height = u.bbox.height;
        const x = (s: number) => u.valToPos(s, 'x', true);
        ctx.save();
        ctx.fillStyle = 'rgba(215, 48, 39, 0.10)';
        ctx.fillRect(x(faultStart), top, x(faultEnd) - x(faultStart), height);
        ctx.fillStyle = '#5f6b7a';
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        const [a, b, c, d] = bounds(input);
        ctx.textAlign = 'center';
        // Phase names centred in their span, clear of the y axis's tick labels.
        for (const [name, from, to] of [['baseline', a, b], ['fault', b, c], ['recovery', c, d]] as const) {
          ctx.fillText(name, (x(from) + x(to)) / 2, top + 12 * devicePixelRatio, Math.max(0, x(to) - x(from) - 8));
        }
        ctx.textAlign = 'left';
        if (recoveredAt !== undefined && recoveredAt <= end) {
          ctx.strokeStyle = '#1b7f3b';
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.setLineDash([6, 4]);
          ctx.beginPath();
          ctx.moveTo(x(recoveredAt), top);
          ctx.lineTo(x(recoveredAt), top + height);
          ctx.stroke();
          ctx.fillStyle = '#1b7f3b';
          ctx.fillText('recovered', x(recoveredAt) + 4 * devicePixelRatio, top + 26 * devicePixelRatio);
        }
        ctx.restore();
      }],
    },
  };
}

/** Value axes start at zero so a small wobble does not look like a collapse. */
const zeroBased: uPlot.Range.Function = (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1];

/** The x values and one y array per pick: the series' buckets, or each phase's value held over its length. */
function columns(input: TimelineInput, picks: [(m: PhaseMetricsDoc) => number, (s: SeriesDoc) => (number | null)[]][]): uPlot.AlignedData {
  const { series } = input;
  // Each bucket at its middle, so the series spans the whole scenario and a jump sits across the boundary it crossed.
  if (series) return [series.ops.map((_, i) => ((i + 0.5) * series.stepMs) / 1000), ...picks.map(([, fromSeries]) => fromSeries(series))];
  const steps = (pick: (m: PhaseMetricsDoc) => number) => {
    const v = PHASES.map((p) => {
      const m = input.metrics.find((x) => x.phase === p);
      return m ? pick(m) : null;
    });
    return [...v, v[2]];
  };
  return [bounds(input), ...picks.map(([fromPhase]) => steps(fromPhase))];
}

function chart(input: TimelineInput, title: string, series: uPlot.Series[], data: uPlot.AlignedData, axes: uPlot.Axis[], label: string, width: number): HTMLElement {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': label, 'data-phases': PHASES.join(' ') });
  // Per-phase values are steps; a per-second series is drawn as it was measured.
  const paths = input.series ? uPlot.paths.linear!() : uPlot.paths.stepped!({ align: 1 });
  const opts: uPlot.Options = {
    title, width, height: 220,
    scales: { x: { time: false, range: (): uPlot.Range.MinMax => [0, bounds(input)[3]] }, y: { range: zeroBased }, pct: { range: zeroBased }, ops: { range: zeroBased } },
    series: [{ label: 'second' }, ...series.map((s) => ({ paths, width: 2, ...s }))],
    axes: [{ label: 'seconds since the scenario started' }, ...axes],
    plugins: [phasePlugin(input)],
    legend: { show: true },
    cursor: { show: true },
  };
  // uPlot draws on a canvas; the aria-label and the table carry the same numbers for screen readers.
  new uPlot(opts, data, box);
  return box;
}

/** Both charts and their text alternative. */
export function timeline(input: TimelineInput, width = 640): HTMLElement {
  const x = bounds(input);
  const span = PHASES.map((p, i) => `${p} ${duration((x[i + 1] - x[i]) * 1000)}`).join(', ');
  const rec = input.recoveredAfterMs === undefined ? '' : input.recoveredAfterMs === null ? '; did not recover within the window' : `; recovered ${duration(input.recoveredAfterMs)} after the fault`;
  const what = input.series ? `per ${duration(input.series.stepMs)}` : 'per phase';
  const latency = chart(input, 'Latency (ms)', [
    { label: 'p50', stroke: '#4575b4' }, { label: 'p95', stroke: '#fc8d59' }, { label: 'p99', stroke: '#d73027' },
  ], columns(input, [[(m) => m.p50Ms, (s) => s.p50Ms], [(m) => m.p95Ms, (s) => s.p95Ms], [(m) => m.p99Ms, (s) => s.p99Ms]]), [{ label: 'ms' }],
  `Latency p50, p95 and p99 of ${input.scenarioId} ${what} across ${span}; fault window shaded${rec}. The table below has the values.`, width);
  const errors = chart(input, 'Error rate and throughput', [
    { label: 'error rate %', stroke: '#d73027', scale: 'pct' }, { label: 'throughput /s', stroke: '#2f4b7c', scale: 'ops' },
  ], columns(input, [[(m) => m.errorRate * 100, (s) => s.errorRate.map((e) => (e === null ? null : e * 100))], [(m) => m.throughputPerSec, (s) => s.throughput]]),
  [{ label: '%', scale: 'pct' }, { label: 'ops/s', scale: 'ops', side: 1, grid: { show: false } }],
  `Error rate and throughput of ${input.scenarioId} ${what} across ${span}; fault window shaded${rec}. The table below has the values.`, width);
  const rows = PHASES.map((p) => {
    const m = input.metrics.find((x) => x.phase === p);
    return m ? [p, m.ops, m.p50Ms, m.p95Ms, m.p99Ms, percent(m.errorRate), m.throughputPerSec.toFixed(1), m.timeouts] : [p, '—', '—', '—', '—', '—', '—', '—'];
  });
  return h('div', { class: 'timeline' }, latency, errors,
    h('details', {}, h('summary', {}, 'Timeline as a table'),
      table(`Per-phase metrics of ${input.scenarioId}`, ['phase', 'ops', 'p50 ms', 'p95 ms', 'p99 ms', 'error rate', 'ops/s', 'timeouts'], rows, [1, 2, 3, 4, 5, 6, 7])));
}
