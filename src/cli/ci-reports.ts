/**
 * What `run` and `sweep` do for CI once findings exist, in one place so both
 * behave alike: write the JUnit report (`--junit`), append the GitHub
 * Actions job summary (GITHUB_STEP_SUMMARY), and decide the `--fail-on`
 * exit code (src/cli/exit-codes.ts).
 */
import type { Plan } from '../../generators/plan.js';
import type { Findings, Verdict } from '../../runners/record/result.js';
import type { CliIO } from './command.js';
import { EXIT } from './exit-codes.js';
import { failOnMatches } from './fail-on.js';
import { writeJUnitReport } from './junit.js';
import { appendStepSummary } from './step-summary.js';

/** Inputs of reportForCi. */
export interface CiReportInput {
  findings: Findings;
  plan?: Plan;
  /** The plan file a reproducer re-runs. */
  planPath: string;
  /** `--junit` file, relative to io.cwd. */
  junit?: string;
  /** Parsed `--fail-on` set. */
  failOn?: ReadonlySet<Verdict>;
  /** GITHUB_STEP_SUMMARY from the config. */
  stepSummary?: string;
}

/** Write the CI outputs; returns the exit code the command should end with (EXIT.OK or EXIT.FINDINGS). */
export async function reportForCi(input: CiReportInput, io: CliIO): Promise<number> {
  const { findings } = input;
  if (input.junit) io.err(`wrote ${await writeJUnitReport({ file: input.junit, cwd: io.cwd, findings, plan: input.plan, planPath: input.planPath })}`);
  if (input.stepSummary) await appendStepSummary(input.stepSummary, findings);
  const matched = input.failOn ? failOnMatches(findings, input.failOn) : [];
  if (matched.length === 0) return EXIT.OK;
  io.err(`--fail-on: ${matched.map((m) => `${m.scenarioId} ${m.verdict}`).join(', ')}`);
  return EXIT.FINDINGS;
}
