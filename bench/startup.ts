/**
 * Start-up cost of the `faultline` bin: `node bin/faultline.js --version`
 * against `node -e 0` (Node's own start-up) in the same run, interleaved so
 * machine noise hits both alike. Target: the bin's median under 3× Node's.
 * It measures what a user waits for before any command does work: loading
 * the compiled CLI from dist/ (`npm run build` first; the bench builds
 * nothing itself, so a missing dist/ is reported, not measured).
 *
 *   npm run bench -- startup           (or: node --import tsx bench/startup.ts)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './result.js';

const RUNS = 15;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'bin', 'faultline.js');

/** Wall time of one process from spawn to exit, in ms. */
function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited ${code}: ${err.trim()}`));
      else resolve(ms);
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Peak RSS of `node bin/faultline.js --version`, reported by the process itself on exit (a parent cannot read a child's). */
async function peakRssMb(): Promise<number> {
  const code = `process.on('exit', () => process.stderr.write('RSS ' + process.resourceUsage().maxRSS + '\\n'));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(code)}`, BIN, '--version'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    child.once('error', reject);
    child.once('exit', () => {
      const m = /RSS (\d+)/.exec(err);
      if (m) resolve(Number(m[1]) / 1024);
      else reject(new Error(`no RSS figure: ${err.trim()}`));
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) {
    return [{ name: 'faultline --version vs node -e 0', value: Number.NaN, unit: 'ms', note: 'dist/ missing: run `npm run build` first' }];
  }
  // One of each first: the file system cache, not start-up, would dominate.
  await timeProcess([BIN, '--version']);
  await timeProcess(['-e', '0']);
  const bin: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bin.push(await timeProcess([BIN, '--version']));
    bare.push(await timeProcess(['-e', '0']));
  }
  const value = median(bin);
  const baseline = median(bare);
  const ratio = value / baseline;
  return [
    {
      name: 'node bin/faultline.js --version vs node -e 0 (median)',
      value,
      unit: 'ms',
      baseline,
      ratio,
      target: '< 3×',
      pass: ratio < 3,
      note: `${RUNS} interleaved runs; bin ${Math.round(Math.min(...bin))}–${Math.round(Math.max(...bin))} ms, node ${Math.round(Math.min(...bare))}–${Math.round(Math.max(...bare))} ms`,
    },
    { name: 'node bin/faultline.js --version peak RSS', value: await peakRssMb(), unit: 'MB' },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) process.stdout.write(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.ratio === undefined ? '' : ` (${r.ratio.toFixed(2)}× ${r.baseline?.toFixed(1)} ms)`}${r.note ? `; ${r.note}` : ''}\n`);
}
