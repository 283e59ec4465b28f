import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';

/** Exit code and output of `node args…` in `cwd`. */
function node(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  bin: Record<string, string>; files: string[]; scripts: Record<string, string>; dependencies: Record<string, string>;
};
const buildConfig = ts.readConfigFile(join(repoRoot, 'tsconfig.build.json'), ts.sys.readFile).config as { include: string[] };

/**
 * A copy of the package as `npm ci` leaves it, built into a temporary folder:
 * bin/ and the build of the working tree, dependencies linked. The same
 * commands as `npm run build`, with the output folder moved.
 */
describe('the shipped package (bin/faultline.js running dist/)', () => {
  const made: string[] = [];
  let pkgDir = '';
  beforeAll(async () => {
    pkgDir = mkdtempSync(join(tmpdir(), 'faultline-pkg-'));
    made.push(pkgDir);
    mkdirSync(join(pkgDir, 'bin'));
    cpSync(join(repoRoot, 'bin', 'faultline.js'), join(pkgDir, 'bin', 'faultline.js'));
    cpSync(join(repoRoot, 'package.json'), join(pkgDir, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(pkgDir, 'node_modules'), 'dir');
    const dist = join(pkgDir, 'dist');
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    // Type errors fail `npm run build` (and `npm test`); here only what tsc emits matters.
    await node([tsc, '-p', 'tsconfig.build.json', '--outDir', dist, '--tsBuildInfoFile', join(dist, '.tsbuildinfo')], repoRoot);
    const copied = await node([join(repoRoot, 'bin', 'copy-assets.js'), dist], repoRoot);
    expect(copied.code, copied.err).toBe(0);
  }, 600_000);
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it('answers --version and --help from the build', async () => {
    const version = await node([join(pkgDir, 'bin', 'faultline.js'), '--version'], pkgDir);
    expect(version.err).toBe('');
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await node([join(pkgDir, 'bin', 'faultline.js'), 'graph', '--help'], pkgDir);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: faultline graph/);
  });

  it('loads no TypeScript at run time: the build has the CLI, the demo and its services as JavaScript', () => {
    expect(existsSync(join(pkgDir, 'dist', 'src', 'cli.js'))).toBe(true);
    expect(existsSync(join(pkgDir, 'dist', 'examples', 'demo', 'index.js'))).toBe(true);
    expect(existsSync(join(pkgDir, 'dist', 'examples', 'demo', 'services', 'gateway.js'))).toBe(true);
    const bin = readFileSync(join(repoRoot, 'bin', 'faultline.js'), 'utf8');
    // No TypeScript loader and no .ts module: `tsx` may only appear in its comments.
    expect(bin).not.toMatch(/['"]tsx[/'"]|\.ts['"]/);
  });

  it('carries the data files the compiled modules read beside themselves', () => {
    // examples/demo/manifest.ts resolves its claims file next to its own module.
    expect(readFileSync(join(pkgDir, 'dist', 'examples', 'demo', 'claims.yaml'), 'utf8'))
      .toBe(readFileSync(join(repoRoot, 'examples', 'demo', 'claims.yaml'), 'utf8'));
  });

  it('says how to build when dist/ is missing, instead of failing on an import', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'faultline-unbuilt-'));
    made.push(bare);
    mkdirSync(join(bare, 'bin'));
    cpSync(join(repoRoot, 'bin', 'faultline.js'), join(bare, 'bin', 'faultline.js'));
    const r = await node([join(bare, 'bin', 'faultline.js'), '--version'], bare);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^faultline: NOT_BUILT: .*npm run build/);
  });
});

describe('the package description', () => {
  it('builds on install and ships bin/ and dist/', () => {
    expect(pkg.bin.faultline).toBe('bin/faultline.js');
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.build).toMatch(/tsc -p tsconfig\.build\.json/);
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/faultline.js', 'dist']));
  });

  it('compiles every folder the CLI can load, and no tests or benchmarks', () => {
    // src/ reaches all floors and, for `faultline demo`, examples/.
    expect([...buildConfig.include].sort()).toEqual(['base', 'claims', 'examples', 'generators', 'graph', 'ingest', 'runners', 'src']);
  });

  it('ignores the build in git and in the Docker context', () => {
    expect(readFileSync(join(repoRoot, '.gitignore'), 'utf8')).toMatch(/^dist\/?$/m);
    expect(readFileSync(join(repoRoot, '.dockerignore'), 'utf8')).toMatch(/^dist\/?$/m);
  });
});
