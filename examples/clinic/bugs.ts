/**
 * The clinic example's planted bugs. Each is a resilience flaw a real team
 * ships around a relational database, of a class none of the other example
 * systems has, switchable so one run shows a claim failing with the bug on
 * and holding with it off (README.md lists the claim each one breaks).
 */
import { fail } from '../../base/errors.js';

/** Every planted bug, by the name `CLINIC_BUGS` uses. */
export const CLINIC_BUGS = ['partial-write', 'insert-retry-dup', 'no-statement-timeout', 'out-of-order-apply', 'silent-fallback'] as const;

/** One planted bug. */
export type ClinicBug = (typeof CLINIC_BUGS)[number];

function isBug(name: string): name is ClinicBug {
  return (CLINIC_BUGS as readonly string[]).includes(name);
}

/**
 * The bugs a `CLINIC_BUGS` value switches on: absent, empty or `all` means
 * every bug, `none` means none, otherwise a comma list of bug names. An
 * unknown name is rejected, so a typo never turns a "bug on" run into a
 * "bug off" one.
 */
export function parseClinicBugs(value: string | readonly string[] | undefined): ClinicBug[] {
  if (value === undefined) return [...CLINIC_BUGS];
  const names = (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return [...CLINIC_BUGS];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !isBug(n));
  if (unknown.length > 0) {
    throw fail('BAD_INPUT', `unknown clinic bug ${unknown.map((u) => JSON.stringify(u)).join(', ')}; known: ${CLINIC_BUGS.join(', ')}, or all / none`, { unknown });
  }
  return CLINIC_BUGS.filter((b) => names.includes(b));
}

/** The `CLINIC_BUGS` value for a bug list (`none` when empty). */
export function formatClinicBugs(bugs: readonly ClinicBug[]): string {
  return bugs.length === 0 ? 'none' : bugs.join(',');
}
