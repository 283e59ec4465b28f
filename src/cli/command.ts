/**
 * What every CLI command module receives. Commands write through `io`
 * (not console) so tests can run them in-process and read what a person
 * would see; `--json` output goes to `io.out` as one JSON document.
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';

/** Output sinks and the process environment, injected by src/cli.ts. */
export interface CliIO {
  /** Normal output (tables, JSON). */
  out(text: string): void;
  /** Progress and warnings, for people. */
  err(text: string): void;
  /** True when stderr is a TTY (progress may redraw lines). */
  readonly interactive: boolean;
  /**
   * What stdout is: its width when a terminal (tables fit it) and whether
   * verdicts may be coloured (a TTY and no NO_COLOR). Absent: a pipe, no
   * colour, no width limit.
   */
  readonly terminal?: { readonly columns?: number; readonly color: boolean };
  /** Reads and validates configuration once (env → frozen Config). */
  config(overrides?: { dataDir?: string }): Config;
  /** Working directory for relative paths. */
  readonly cwd: string;
}

/**
 * A command module registers its subcommand on the program. Errors thrown
 * from actions are FaultlineErrors; src/cli.ts prints their one-line reason
 * and exits non-zero.
 */
export type RegisterCommand = (program: Command, io: CliIO) => void;
