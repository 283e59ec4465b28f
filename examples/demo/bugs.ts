/**
 * The demo's planted bugs. Each one is a different kind of resilience flaw
 * real systems have, switchable so a run can show a claim failing with the
 * bug on and holding with it off (README.md lists the claim each breaks).
 */
import { fail } from '../../base/errors.js';

/** Every planted bug, by the name `DEMO_BUGS` uses. */
export const BUGS = ['no-timeout', 'double-charge', 'breaker-stuck', 'cache-fails-closed', 'lost-email'] as const;

/** One planted bug. */
export type Bug = (typeof BUGS)[number];

function isBug(name: string): name is Bug {
  return (BUGS as readonly string[]).includes(name);
}

/**
 * The bugs a `DEMO_BUGS` value switches on: absent, empty or `all` means
 * every bug, `none` means none, otherwise a comma list of bug names.
 * An unknown name is rejected (BAD_INPUT) rather than silently ignored, so a
 * typo never turns a "bug on" run into a "bug off" one.
 */
export function parseBugs(value: string | readonly string[] | undefined): Bug[] {
  if (value === undefined) return [...BUGS];
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return [...BUGS];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !isBug(n));
  if (unknown.length > 0) {
    throw fail('BAD_INPUT', `unknown demo bug ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${BUGS.join(', ')}, or all / none`, { unknown });
  }
  return BUGS.filter((b) => names.includes(b));
}

/** The `DEMO_BUGS` value for a bug list (`none` when empty). */
export function formatBugs(bugs: readonly Bug[]): string {
  return bugs.length === 0 ? 'none' : bugs.join(',');
}
