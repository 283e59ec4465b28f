/**
 * The ride-hailing example's planted bugs. Each is a classic resilience flaw
 * of a different class from the demo shop's, switchable so one run shows a
 * claim failing with the bug on and holding with it off (README.md lists
 * the claim each one breaks).
 */
import { fail } from '../../base/errors.js';

/** Every planted bug, by the name `RIDES_BUGS` uses. */
export const RIDES_BUGS = ['duplicate-hold', 'dropped-dispatch', 'crash-on-reset', 'no-reconnect', 'pool-leak'] as const;

/** One planted bug. */
export type RidesBug = (typeof RIDES_BUGS)[number];

function isBug(name: string): name is RidesBug {
  return (RIDES_BUGS as readonly string[]).includes(name);
}

/**
 * The bugs a `RIDES_BUGS` value switches on: absent, empty or `all` means
 * every bug, `none` means none, otherwise a comma list of bug names. An
 * unknown name is rejected, so a typo never turns a "bug on" run into a
 * "bug off" one.
 */
export function parseRidesBugs(value: string | readonly string[] | undefined): RidesBug[] {
  if (value === undefined) return [...RIDES_BUGS];
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return [...RIDES_BUGS];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !isBug(n));
  if (unknown.length > 0) {
    throw fail('BAD_INPUT', `unknown rides bug ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${RIDES_BUGS.join(', ')}, or all / none`, { unknown });
  }
  return RIDES_BUGS.filter((b) => names.includes(b));
}

/** The `RIDES_BUGS` value for a bug list (`none` when empty). */
export function formatRidesBugs(bugs: readonly RidesBug[]): string {
  return bugs.length === 0 ? 'none' : bugs.join(',');
}
