/**
 * `--fail-on`: which verdicts make `faultline run` (and `sweep`) exit with
 * EXIT.FINDINGS, so a CI job goes red on what the team decided matters. A
 * comma-separated list of exact verdicts (`INCONCLUSIVE-env`) and verdict
 * families (`FAIL` = both FAIL verdicts, `INCONCLUSIVE`, `PARTIAL`), e.g.
 * `FAIL,INCONCLUSIVE-env`. Matching is exact and case-sensitive, like the
 * verdicts in findings.json, so a typo is a usage error, never a silent pass.
 */
import { fail } from '../../base/errors.js';
import { VERDICTS, type Findings, type Verdict } from '../../runners/record/result.js';

/** Families a `--fail-on` entry may name instead of one verdict. */
export const VERDICT_FAMILIES = ['FAIL', 'INCONCLUSIVE', 'PARTIAL'] as const;

/** Every value `--fail-on` accepts, for `--help` and errors. */
export const FAIL_ON_VALUES: readonly string[] = [...VERDICT_FAMILIES, ...VERDICTS];

/** `--fail-on`'s help text, listing the accepted values. */
export const FAIL_ON_HELP = `exit 3 when any scenario's verdict is in this comma-separated list of verdict families (${VERDICT_FAMILIES.join(', ')}) and exact verdicts (${VERDICTS.join(', ')}), e.g. FAIL,INCONCLUSIVE-env`;

/** Parse a `--fail-on` list into the set of verdicts it names; BAD_INPUT (a usage error) on an unknown entry. */
export function parseFailOn(raw: string): ReadonlySet<Verdict> {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw fail('BAD_INPUT', `--fail-on needs at least one of ${FAIL_ON_VALUES.join(', ')}`, { flag: '--fail-on' });
  const out = new Set<Verdict>();
  for (const e of entries) {
    if ((VERDICTS as readonly string[]).includes(e)) {
      out.add(e as Verdict);
    } else if ((VERDICT_FAMILIES as readonly string[]).includes(e)) {
      for (const v of VERDICTS) if (v.startsWith(`${e}-`)) out.add(v);
    } else {
      throw fail('BAD_INPUT', `--fail-on: unknown verdict ${JSON.stringify(e)}; accepted: ${FAIL_ON_VALUES.join(', ')}`, { flag: '--fail-on', value: e });
    }
  }
  return out;
}

/** Scenarios whose verdict is in the `--fail-on` set (empty: the run passes the gate). */
export function failOnMatches(findings: Pick<Findings, 'results'>, failOn: ReadonlySet<Verdict>): { scenarioId: string; verdict: Verdict }[] {
  return findings.results.filter((r) => failOn.has(r.verdict)).map((r) => ({ scenarioId: r.scenarioId, verdict: r.verdict }));
}
