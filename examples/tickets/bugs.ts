/**
 * The tickets example's planted bugs. Each is a classic resilience flaw a
 * real team ships, of a different class from those of the other example
 * systems, switchable so one run shows a claim failing with the bug on and
 * holding with it off (README.md lists the claim each one breaks).
 */
import { fail } from '../../base/errors.js';

/** Every planted bug, by the name `TICKETS_BUGS` uses. */
export const TICKETS_BUGS = ['lock-expiry', 'lost-update', 'ack-before-issue', 'cache-stampede', 'shared-pool'] as const;

/** One planted bug. */
export type TicketsBug = (typeof TICKETS_BUGS)[number];

function isBug(name: string): name is TicketsBug {
  return (TICKETS_BUGS as readonly string[]).includes(name);
}

/**
 * The bugs a `TICKETS_BUGS` value switches on: absent, empty or `all` means
 * every bug, `none` means none, otherwise a comma list of bug names. An
 * unknown name is rejected, so a typo never turns a "bug on" run into a
 * "bug off" one.
 */
export function parseTicketsBugs(value: string | readonly string[] | undefined): TicketsBug[] {
  if (value === undefined) return [...TICKETS_BUGS];
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return [...TICKETS_BUGS];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !isBug(n));
  if (unknown.length > 0) {
    throw fail('BAD_INPUT', `unknown tickets bug ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${TICKETS_BUGS.join(', ')}, or all / none`, { unknown });
  }
  return TICKETS_BUGS.filter((b) => names.includes(b));
}

/** The `TICKETS_BUGS` value for a bug list (`none` when empty). */
export function formatTicketsBugs(bugs: readonly TicketsBug[]): string {
  return bugs.length === 0 ? 'none' : bugs.join(',');
}
