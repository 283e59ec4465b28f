/**
 * The ledger example's planted bugs. Each is a classic resilience flaw a
 * real team ships, of a different class from the demo shop's and the ride
 * system's, switchable so one run shows a claim failing with the bug on and
 * holding with it off (README.md lists the claim each one breaks).
 */
import { fail } from '../../base/errors.js';

/** Every planted bug, by the name `LEDGER_BUGS` uses. */
export const LEDGER_BUGS = ['no-compensation', 'replayed-posting', 'requeue-at-tail', 'retry-storm', 'stale-cache'] as const;

/** One planted bug. */
export type LedgerBug = (typeof LEDGER_BUGS)[number];

function isBug(name: string): name is LedgerBug {
  return (LEDGER_BUGS as readonly string[]).includes(name);
}

/**
 * The bugs a `LEDGER_BUGS` value switches on: absent, empty or `all` means
 * every bug, `none` means none, otherwise a comma list of bug names. An
 * unknown name is rejected, so a typo never turns a "bug on" run into a
 * "bug off" one.
 */
export function parseLedgerBugs(value: string | readonly string[] | undefined): LedgerBug[] {
  if (value === undefined) return [...LEDGER_BUGS];
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return [...LEDGER_BUGS];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !isBug(n));
  if (unknown.length > 0) {
    throw fail('BAD_INPUT', `unknown ledger bug ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${LEDGER_BUGS.join(', ')}, or all / none`, { unknown });
  }
  return LEDGER_BUGS.filter((b) => names.includes(b));
}

/** The `LEDGER_BUGS` value for a bug list (`none` when empty). */
export function formatLedgerBugs(bugs: readonly LedgerBug[]): string {
  return bugs.length === 0 ? 'none' : bugs.join(',');
}
