/**
 * `faultline export --chaostoolkit plan.json`: write faultline's scenarios
 * in another tool's format, so teams on that tool can run or archive them
 * with their own tooling. Chaos Toolkit is the one format so far: one
 * experiment per scenario, and with `--findings findings.json --journal`
 * one journal per scenario result (docs/chaostoolkit.md). The converters
 * are pure (src/export/chaostoolkit/); this file reads and writes files.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../../base/errors.js';
import { planExperiments } from '../../export/chaostoolkit/experiment.js';
import { findingsJournals } from '../../export/chaostoolkit/journal.js';
import { findingsFromJson } from '../../export/findings-doc.js';
import { realPipeline } from '../../real-pipeline.js';
import type { CliIO, RegisterCommand } from '../command.js';

interface ExportFlags {
  chaostoolkit?: string;
  out: string;
  findings?: string;
  journal?: boolean;
  toxiproxyUrl?: string;
  json?: boolean;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw fail('NOT_FOUND', `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { path });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail('BAD_INPUT', `${what} ${path} is not JSON: ${(err as Error).message}`, { path });
  }
}

/** Flag combinations that cannot work, as usage errors (details.flag makes the exit code 2). */
function checkFlags(flags: ExportFlags): asserts flags is ExportFlags & { chaostoolkit: string } {
  if (flags.chaostoolkit === undefined) throw fail('BAD_INPUT', 'name a format to export to: --chaostoolkit <plan.json>', { flag: '--chaostoolkit' });
  if (flags.journal && flags.findings === undefined) throw fail('BAD_INPUT', '--journal needs --findings <findings.json>: the journals record that run', { flag: '--journal' });
  if (flags.findings !== undefined && !flags.journal) throw fail('BAD_INPUT', '--findings is read only to write journals: add --journal', { flag: '--findings' });
  if (flags.toxiproxyUrl !== undefined && !/^https?:\/\/[^/]/.test(flags.toxiproxyUrl)) {
    throw fail('BAD_INPUT', `--toxiproxy-url must be an http(s) URL, got ${JSON.stringify(flags.toxiproxyUrl)}`, { flag: '--toxiproxy-url' });
  }
}

async function exportChaosToolkit(flags: ExportFlags, io: CliIO): Promise<void> {
  checkFlags(flags);
  const plan = await realPipeline().loadPlan(resolve(io.cwd, flags.chaostoolkit));
  if (plan.scenarios.length === 0) throw fail('EMPTY', `plan ${plan.id} has no scenarios to export`, { planId: plan.id });
  // The reproducer names the plan as the user did, never an absolute path of this machine.
  const options = { planFile: basename(flags.chaostoolkit), ...(flags.toxiproxyUrl ? { toxiproxyUrl: flags.toxiproxyUrl } : {}) };
  const outDir = resolve(io.cwd, flags.out);
  await mkdir(outDir, { recursive: true });
  const written = { experiments: [] as string[], journals: [] as string[] };
  for (const { scenarioId, experiment } of planExperiments(plan, options)) {
    const file = join(flags.out, `${scenarioId}.experiment.json`);
    await writeFile(join(outDir, `${scenarioId}.experiment.json`), `${JSON.stringify(experiment, null, 2)}\n`);
    written.experiments.push(file);
  }
  if (flags.journal && flags.findings !== undefined) {
    const findings = findingsFromJson(await readJson(resolve(io.cwd, flags.findings), 'findings'));
    for (const { scenarioId, journal } of findingsJournals(plan, findings, options)) {
      const file = join(flags.out, `${scenarioId}.journal.json`);
      await writeFile(join(outDir, `${scenarioId}.journal.json`), `${JSON.stringify(journal, null, 2)}\n`);
      written.journals.push(file);
    }
  }
  if (flags.json) {
    io.out(JSON.stringify({ format: 'chaostoolkit', planId: plan.id, ...written }, null, 2));
    return;
  }
  const journals = written.journals.length ? ` and ${written.journals.length} journal${written.journals.length === 1 ? '' : 's'}` : '';
  io.out(`wrote ${written.experiments.length} Chaos Toolkit experiment${written.experiments.length === 1 ? '' : 's'}${journals} to ${flags.out}`);
  io.out('run one with: pip install chaostoolkit chaostoolkit-toxiproxy && chaos run <file>.experiment.json');
}

/** Register `faultline export`. */
export const registerExport: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('export')
    .description('Write a plan in another tool\'s format: one Chaos Toolkit experiment per scenario (and journals from findings)')
    .option('--chaostoolkit <plan>', 'plan.json to export as Chaos Toolkit experiments')
    .option('--out <dir>', 'folder the files are written to', 'chaostoolkit')
    .option('--findings <file>', 'findings.json of a run of that plan (with --journal)')
    .option('--journal', 'also write one Chaos Toolkit journal per scenario result of --findings')
    .option('--toxiproxy-url <url>', 'default Toxiproxy API of the experiments (else the plan\'s toxiproxy.url; TOXIPROXY_URL overrides either when the experiment runs)')
    .option('--json', 'print {format, planId, experiments[], journals[]} as JSON')
    .action((flags: ExportFlags) => exportChaosToolkit(flags, io));
};
