import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/fixtures.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  license: string;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Source files that ship or run outside the test suite (not test/, bench/). */
function shippedSources(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : /\.(ts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : []);
  return ['base', 'ingest', 'graph', 'claims', 'generators', 'runners', 'examples', 'src', 'console', 'bin'].flatMap((d) => walk(join(repoRoot, d)));
}

describe('packaging', () => {
  it('ships the full Apache-2.0 text package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
    expect(text).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).toContain('END OF TERMS AND CONDITIONS');
    expect(text).toContain('APPENDIX: How to apply the Apache License to your work.');
  });

  it('says in the README which Node versions engines accepts', () => {
    // engines is the intersection of every locked package's engines (npm ci warns EBADENGINE outside it).
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.13.0 || >=24.0.0');
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain('Node.js 20.19 or newer on 20, 22.13 or newer on 22, or 24 and later');
  });

  it('keeps in dependencies only packages that shipped code uses', () => {
    const code = shippedSources().map((f) => readFileSync(f, 'utf8')).join('\n');
    // graphology-types: graphology's peer dependency (its types), imported by none of our files.
    const unused = Object.keys(pkg.dependencies).filter((name) => name !== 'graphology-types' && !new RegExp(`['"]${name.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`).test(code));
    expect(unused).toEqual([]);
  });
});
