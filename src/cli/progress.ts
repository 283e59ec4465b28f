/**
 * The progress of `faultline run` and `demo`. On a terminal: one status
 * line, redrawn every second, with the scenario, its phase, the time spent
 * and the estimated time left, and one lasting line per finished scenario
 * with its verdict. Not on a terminal, or with `--json`: the plain line per
 * stage of {@link progressLine}, which logs and CI keep well.
 *
 * Its own small renderer rather than listr2 or cli-progress: the display is
 * one line that goes through the CLI's `io.err` (so tests read it), and
 * neither library's task list or bar fits "phase, elapsed, ETA" better than
 * these few lines do.
 *
 * While the status line is live the display owns stderr: it routes the
 * io's `err` through itself, so a line anyone else prints meanwhile (the
 * "SIGTERM: stopping" of the signal handler, a wiring note) lands above the
 * status line instead of being erased by the next redraw. `stop()` gives
 * `err` back.
 */
import type { ProgressEvent } from '../../runners/execute/executor.js';
import { printable } from '../../base/text.js';
import type { CliIO } from './command.js';
import { progressLine } from './commands/run-report.js';
import { clock, RunEta } from './progress-eta.js';
import { colourVerdict } from './table.js';
import { truncate } from './table-cell.js';

/** Cursor one line up and clear it: the status line is always the last line written. */
const REDRAW = '\u001b[1A\u001b[2K';
/** Status line width when the terminal does not say. */
const DEFAULT_COLUMNS = 80;

/** Options of a progress display. */
export interface ProgressOptions {
  /** Plain lines even on a terminal (`--json`). */
  plain?: boolean;
  /** Milliseconds clock (tests pass a fake). */
  now?: () => number;
  /** Redraw interval in ms; 0 = only on events (tests). */
  tickMs?: number;
}

/** Shows run progress; feed it the executor's events, stop it when the run ends. */
export class ProgressDisplay {
  private readonly now: () => number;
  private readonly live: boolean;
  private readonly started: number;
  private current?: { e: ProgressEvent; since: number };
  private drawn = false;
  private timer?: NodeJS.Timeout;
  /** The io's own `err`, which only the display calls while it is live. */
  private readonly write: (text: string) => void;
  private readonly restore?: () => void;

  constructor(
    private readonly io: Pick<CliIO, 'err' | 'interactive' | 'terminal'>,
    private readonly eta: RunEta,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.live = io.interactive && !options.plain;
    this.started = this.now();
    const original = io.err;
    this.write = (text) => original.call(io, text);
    if (this.live) {
      io.err = (text) => this.above(text);
      this.restore = () => {
        io.err = original;
      };
    }
    const tick = options.tickMs ?? 1000;
    if (this.live && tick > 0) {
      this.timer = setInterval(() => this.draw(), tick);
      // The display never keeps the process alive on its own.
      this.timer.unref();
    }
  }

  /** The executor's progress callback. */
  readonly onEvent = (e: ProgressEvent): void => {
    if (!this.live) {
      this.write(printable(progressLine(e)));
      return;
    }
    if (e.stage === 'queued') return;
    if (e.stage === 'done') {
      const since = this.current?.e.scenarioId === e.scenarioId ? this.current.since : this.now();
      const took = this.now() - since;
      this.eta.finish(e.scenarioId, took);
      this.current = undefined;
      const verdict = e.detail ? printable(e.detail) : 'done';
      this.print(`[${e.index + 1}/${e.total}] ${printable(e.scenarioId)}  ${this.io.terminal?.color ? colourVerdict(verdict) : verdict}  ${clock(took)}`);
      return;
    }
    if (this.current?.e.scenarioId !== e.scenarioId) this.current = { e, since: this.now() };
    else this.current.e = e;
    this.draw();
  };

  /** Clear the status line and stop redrawing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live && this.drawn) this.write(`${REDRAW}\u001b[1A`);
    this.drawn = false;
    this.restore?.();
  }

  /** Someone else's line: printed where the status line was, the status line drawn again under it. */
  private above(text: string): void {
    const wasDrawn = this.drawn;
    this.print(text);
    if (wasDrawn) this.draw();
  }

  /** The status line as it reads now. */
  statusLine(): string | undefined {
    const c = this.current;
    if (!c) return undefined;
    const t = this.now();
    const left = this.eta.remainingMs({ scenarioId: c.e.scenarioId, elapsedMs: t - c.since });
    // The time left comes before the detail: a narrow terminal cuts the end of the line, and the ETA matters more.
    const detail = c.e.detail ? ` · ${printable(c.e.detail)}` : '';
    return `[${c.e.index + 1}/${c.e.total}] ${printable(c.e.scenarioId)}  ${c.e.stage}  ${clock(t - c.since)} in scenario · about ${clock(left)} left · ${clock(t - this.started)} so far${detail}`;
  }

  private draw(): void {
    const line = this.statusLine();
    if (line === undefined) return;
    // A status line wider than the terminal wraps, and one line up would no longer be the whole of it.
    const fitted = truncate(line, (this.io.terminal?.columns || DEFAULT_COLUMNS) - 1);
    this.write(`${this.drawn ? REDRAW : ''}${fitted}`);
    this.drawn = true;
  }

  /** A lasting line above the status line. */
  private print(line: string): void {
    this.write(`${this.drawn ? REDRAW : ''}${line}`);
    this.drawn = false;
  }
}
