/**
 * Runs the repository's own dependency-cruiser check (the command `npm test`
 * runs) on a directory, so the floor rules can be proven on small fixture
 * trees as well as on the repository itself.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';

export const CONFIG = join(repoRoot, '.dependency-cruiser.cjs');
const BIN = join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** One broken rule, as dependency-cruiser reports it (`to` is empty for a cycle, which it prints on the lines after). */
export interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** What a check reported: its exit code and the violations it found. */
export interface CruiseOutcome {
  exitCode: number;
  violations: Violation[];
  output: string;
}

/** Run the check in `cwd` over `.`, exactly as `npm test` does (the `err` report, which sets the exit code). */
export async function cruise(cwd: string, extraArgs: string[] = []): Promise<CruiseOutcome> {
  const child = spawn(process.execPath, [BIN, '--config', CONFIG, ...extraArgs, '.'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => out.push(c));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
  const output = Buffer.concat(out).toString('utf8');
  const violations: Violation[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*error ([\w-]+): (\S+) →\s*(\S*)\s*$/.exec(line);
    if (m) violations.push({ rule: m[1], from: m[2], to: m[3] });
  }
  return { exitCode, violations, output };
}

/**
 * A throwaway source tree: each entry is a module path and the modules it
 * imports (`type:` before a path makes the import type-only). Specifiers are
 * written the NodeNext way, `../graph/x.js` for graph/x.ts, as in the project.
 */
export function fixtureTree(modules: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-floors-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }\n');
  for (const [file, imports] of Object.entries(modules)) {
    const lines = imports.map((target, i) => {
      const typeOnly = target.startsWith('type:');
      const spec = specifier(file, typeOnly ? target.slice('type:'.length) : target);
      return typeOnly ? `import type { T as T${i} } from '${spec}';` : `import '${spec}';`;
    });
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), `${lines.join('\n')}\nexport type T = string;\nexport const value = 1;\n`);
  }
  return dir;
}

/** `../generators/p.js` for an import of generators/p.ts from graph/g.ts. */
function specifier(from: string, to: string): string {
  const up = from.split('/').length - 1;
  return `${up === 0 ? './' : '../'.repeat(up)}${to.replace(/\.ts$/, '.js')}`;
}
