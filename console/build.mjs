#!/usr/bin/env node
// `npm run build:console`: bundle the web console (console/src, sigma,
// graphology, uPlot) with esbuild into dist/console beside the shell
// (index.html, console.css) and uPlot's stylesheet, so `faultline serve`
// answers every file itself and the page needs no CDN. An argument names
// another output folder.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', 'dist', 'console');
const require = createRequire(import.meta.url);

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  sourcemap: 'linked',
  outfile: join(outDir, 'app.js'),
  logLevel: 'warning',
  legalComments: 'eof',
});
copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'));
copyFileSync(join(here, 'console.css'), join(outDir, 'console.css'));
copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), join(outDir, 'uplot.css'));
process.stdout.write(`console bundle written to ${outDir}\n`);
