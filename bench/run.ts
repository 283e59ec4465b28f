/**
 * `npm run bench [-- name…]`: run the benchmark modules (bench/<name>.ts,
 * each exporting `run(): Promise<BenchResult[]>`) one after another and
 * print one table. Names given on the command line filter the list
 * (substring match). Run with `node --expose-gc` so modules can collect
 * garbage between measurements. Never part of the test suite.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderTable } from '../src/cli/table.js';
import type { BenchModule, BenchResult } from './result.js';

/** Known benchmark modules, in run order; missing ones are skipped with a note. */
const BENCHES = ['ingest', 'proxy', 'proxy-scale', 'linearizability', 'startup', 'sweep', 'console'];

async function main(filters: string[]): Promise<number> {
  const here = dirname(fileURLToPath(import.meta.url));
  const chosen = BENCHES.filter((b) => filters.length === 0 || filters.some((f) => b.includes(f)));
  if (chosen.length === 0) {
    process.stderr.write(`no benchmark matches ${filters.join(', ')}; known: ${BENCHES.join(', ')}\n`);
    return 2;
  }
  const results: BenchResult[] = [];
  for (const name of chosen) {
    const file = join(here, `${name}.ts`);
    if (!existsSync(file)) {
      process.stderr.write(`skipping ${name}: bench/${name}.ts not present\n`);
      continue;
    }
    process.stderr.write(`running ${name}…\n`);
    const mod = (await import(pathToFileURL(file).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`skipping ${name}: it exports no run()\n`);
      continue;
    }
    for (const r of await mod.run()) results.push({ ...r, bench: r.bench ?? name });
  }
  const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
  const rows = results.map((r) => [
    r.bench ?? '', r.name, fmt(r.value), r.unit, r.baseline === undefined ? '' : fmt(r.baseline), r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.target ?? '', r.pass === undefined ? '' : r.pass ? 'ok' : 'MISS', r.note ?? '',
  ]);
  process.stdout.write(`${renderTable(['bench', 'measure', 'value', 'unit', 'baseline', 'ratio', 'target', 'met', 'note'], rows)}\n`);
  return results.some((r) => r.pass === false) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
