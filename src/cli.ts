/**
 * Process entry for the `faultline` CLI (bin/faultline.js imports this).
 * Each command lives in src/cli/commands/<name>.ts and registers itself; this
 * file only wires them, reads configuration once, and turns a thrown
 * FaultlineError into a one-line reason and a non-zero exit code.
 */
import { Command, CommanderError } from 'commander';
import type { CliIO } from './cli/command.js';
import { terminalOf } from './cli/table.js';
import { loadConfig, type Config } from './config.js';
import { isFaultlineError, oneLine } from '../base/errors.js';
import { EXIT } from './cli/exit-codes.js';
import { registerGraph } from './cli/commands/graph.js';
import { registerPlan } from './cli/commands/plan.js';
import { registerProxies } from './cli/commands/proxies.js';
import { registerRun } from './cli/commands/run.js';
import { registerWorker } from './cli/commands/worker.js';
import { registerProxy } from './cli/commands/proxy.js';
import { registerSweep } from './cli/commands/sweep.js';
import { registerServe } from './cli/commands/serve.js';
import { registerDemo } from './cli/commands/demo.js';
import { registerCollect } from './cli/commands/collect.js';
import { registerValidate } from './cli/commands/validate.js';
import { registerInit } from './cli/commands/init.js';

const COMMANDS = [
  registerDemo,
  registerCollect,
  registerGraph,
  registerPlan,
  registerProxies,
  registerRun,
  registerWorker,
  registerProxy,
  registerSweep,
  registerServe,
  registerValidate,
  registerInit,
];

/** Build the program with every command registered (exported for tests). */
export function buildProgram(io: CliIO): Command {
  const program = new Command('faultline')
    .description('Trace-driven resilience testing: ingest traces, rank risky call paths, plan claim-driven faults, run them, write verdicts.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();
  for (const register of COMMANDS) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  return program;
}

/** The real process IO: stdout/stderr, env read once into a frozen Config. */
export function processIO(env: NodeJS.ProcessEnv = process.env): CliIO {
  let cached: Config | undefined;
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
    terminal: terminalOf(process.stdout, env),
    cwd: process.cwd(),
    config(overrides) {
      if (overrides?.dataDir) return loadConfig(env, overrides);
      cached ??= loadConfig(env);
      return cached;
    },
  };
}

/** Run the CLI; resolves to the process exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
    }
    io.err(`faultline: ${oneLine(err)}`);
    // A bad flag value is a usage error like an unknown option (src/cli/exit-codes.ts).
    return isFaultlineError(err) && typeof err.details?.flag === 'string' ? EXIT.USAGE : EXIT.ERROR;
  }
}
