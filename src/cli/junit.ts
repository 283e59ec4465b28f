/**
 * `--junit <file>` for `run` and `sweep`: findings as a JUnit XML report
 * (runners/record/junit.ts has the verdict mapping), with each failure's
 * reproducer naming the plan file this machine can re-run it from.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Plan } from '../../generators/plan.js';
import { renderJUnit } from '../../runners/record/junit.js';
import type { Findings } from '../../runners/record/result.js';

/** A path as a person types it from `cwd`: relative when inside it. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Quote a shell word only when it needs it. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Write the JUnit report of one run to `file` (relative to `cwd`); returns the absolute path. */
export async function writeJUnitReport(opts: { file: string; cwd: string; findings: Findings; plan?: Plan; planPath: string }): Promise<string> {
  const out = resolve(opts.cwd, opts.file);
  const planArg = shellWord(shown(opts.cwd, opts.planPath));
  const xml = renderJUnit([{
    findings: opts.findings,
    options: {
      plan: opts.plan,
      hostname: hostname(),
      reproducer: (r) => `faultline run ${planArg} --only ${shellWord(r.scenarioId)} --seed ${r.seed}`,
    },
  }]);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, xml);
  return out;
}
