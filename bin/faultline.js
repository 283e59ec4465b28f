#!/usr/bin/env node
// Process entry for the `faultline` package bin. It runs the JavaScript that
// `npm run build` writes to dist/ (the `prepare` script builds it during
// `npm ci`), so a command starts without compiling TypeScript. Development
// and tests run the TypeScript directly through tsx and never come here.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  // `npm ci --ignore-scripts` skips the build, and so does a checkout that
  // never ran `npm ci`: say how to fix it rather than failing on an import.
  process.stderr.write('faultline: NOT_BUILT: dist/ is missing; run `npm run build` (or `npm ci`) in the faultline package first\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
