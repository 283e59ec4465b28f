/**
 * The process exit codes of `faultline`, one table for every command so a
 * CI script can tell them apart (README, "Exit codes"). A falsified claim
 * is a finding, not an error: it changes the exit code only through
 * `--fail-on`.
 */

/** Exit codes. */
export const EXIT = {
  /** The command did its job (findings may still contain FAILs). */
  OK: 0,
  /** faultline could not do its job: an unreadable plan, an unreachable backend, an invalid manifest, an internal error. */
  ERROR: 1,
  /** The command line was wrong: unknown command or option, a missing argument, a bad flag value. */
  USAGE: 2,
  /** The run finished and a scenario's verdict is in the `--fail-on` list. */
  FINDINGS: 3,
} as const;
// A run stopped by a signal exits 128 + the signal's number (src/shutdown.ts), as shells expect.

