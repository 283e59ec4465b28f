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
import type { RegisterCommand } from './cli/command.js';

/**
 * Every command, loaded only when it is the one invoked: each command module
 * pulls in its own stages and libraries (Fastify, BullMQ, the OpenAI SDK,
 * graphology…), and loading all of them made `faultline --version` cost
 * seconds. Help and unknown commands load them all, so the listing and the
 * suggestions stay complete.
 */
const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  demo: async () => (await import('./cli/commands/demo.js')).registerDemo,
  collect: async () => (await import('./cli/commands/collect.js')).registerCollect,
  graph: async () => (await import('./cli/commands/graph.js')).registerGraph,
  plan: async () => (await import('./cli/commands/plan.js')).registerPlan,
  proxies: async () => (await import('./cli/commands/proxies.js')).registerProxies,
  run: async () => (await import('./cli/commands/run.js')).registerRun,
  worker: async () => (await import('./cli/commands/worker.js')).registerWorker,
  proxy: async () => (await import('./cli/commands/proxy.js')).registerProxy,
  sweep: async () => (await import('./cli/commands/sweep.js')).registerSweep,
  serve: async () => (await import('./cli/commands/serve.js')).registerServe,
  validate: async () => (await import('./cli/commands/validate.js')).registerValidate,
  init: async () => (await import('./cli/commands/init.js')).registerInit,
  export: async () => (await import('./cli/commands/export.js')).registerExport,
};

/** The commands `argv` needs: the invoked one; none for a bare --version; all otherwise. */
async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [await COMMANDS[first]()];
  if (argv.length > 0 && argv.every((a) => a === '--version' || a === '-V')) return [];
  return Promise.all(Object.values(COMMANDS).map((load) => load()));
}

/** Build the program with the commands `argv` needs registered (every command when `argv` is omitted). */
export async function buildProgram(io: CliIO, argv: readonly string[] = []): Promise<Command> {
  const commands = await commandsFor(argv);
  const program = new Command('faultline')
    .description('Trace-driven resilience testing: ingest traces, rank risky call paths, plan claim-driven faults, run them, write verdicts.')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();
  for (const register of commands) register(program, io);
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
  const program = await buildProgram(io, argv);
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
