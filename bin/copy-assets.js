#!/usr/bin/env node
// Second half of `npm run build`: tsc writes dist/ from the TypeScript, and
// this copies the data files that the compiled code reads beside itself at
// run time (the demo's claims.yaml next to its manifest module, any JSON or
// YAML a module resolves from its own URL), so dist/ runs without the sources.
// An argument names another output folder (tests build into a temporary one).
import { cpSync, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The folders tsconfig.build.json compiles (its `include`), read as tsc reads it.
const { config, error } = ts.readConfigFile(join(root, 'tsconfig.build.json'), ts.sys.readFile);
if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
const FOLDERS = config.include;
const DATA = new Set(['.json', '.yaml', '.yml', '.proto', '.txt']);
const outDir = process.argv[2] ?? join(root, 'dist');

let copied = 0;
for (const folder of FOLDERS) {
  const from = join(root, folder);
  if (!existsSync(from)) continue;
  cpSync(from, join(outDir, folder), {
    recursive: true,
    filter: (path) => {
      if (statSync(path).isDirectory()) return true;
      if (!DATA.has(extname(path))) return false;
      copied += 1;
      return true;
    },
  });
}
process.stdout.write(`copied ${copied} data file(s) into ${relative(root, outDir) || '.'}\n`);
