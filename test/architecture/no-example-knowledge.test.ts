import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/fixtures.js';
import { exampleNames, filesUnder, hitsIn, segments, type ExampleName } from './example-names.js';

/** Everything below src/: the stages and their base (issue 16: none of it may know an example). */
const CORE = ['base', 'ingest', 'graph', 'claims', 'generators', 'runners'];

/**
 * Technology names an example may give a service or a dependency, which the
 * core knows on its own account (Redis as a cache, the word "gateway" in
 * graph types); 6379 and 5432 are Redis' and PostgreSQL's standard ports,
 * which a user's manifest names as often as the core does. Keep this list short: a
 * product name of an example belongs in the example only.
 */
const TECHNOLOGY = new Set(['redis', 'postgres', 'postgresql', 'http', 'https', 'api', 'gateway', 'worker', '6379', '5432']);

const examplesDir = join(repoRoot, 'examples');
const examples = readdirSync(examplesDir).filter((name) => statSync(join(examplesDir, name)).isDirectory());

function namesOf(example: string): ExampleName[] {
  const all = exampleNames(repoRoot, join(examplesDir, example));
  const seen = new Set<string>();
  return all.filter((n) => {
    const key = n.name.toLowerCase();
    if (TECHNOLOGY.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const coreFiles = CORE.flatMap((dir) => filesUnder(join(repoRoot, dir)))
  .filter((f) => /\.(ts|js|md|json|ya?ml)$/.test(f))
  .map((f) => ({ file: relative(repoRoot, f), text: readFileSync(f, 'utf8') }));

describe('the core knows no example (issue 16)', () => {
  it('finds the examples and the core to compare', () => {
    expect(examples).toContain('demo');
    expect(coreFiles.length).toBeGreaterThan(50);
  });

  it.each(examples)('finds the services, proxies, bugs and ports of examples/%s from its files', (example) => {
    const names = exampleNames(repoRoot, join(examplesDir, example)).map((n) => n.name);
    // An example whose names cannot be found would pass the check below unseen:
    // give it a faultline.yaml (and its planted bugs a bugs.ts).
    expect(names.length, `examples/${example} has no faultline.yaml or bugs.ts to read its names from`).toBeGreaterThan(0);
  });

  it.each(examples)('no core file names anything of examples/%s', (example) => {
    const names = namesOf(example);
    const hits = coreFiles.flatMap(({ file, text }) => hitsIn(file, text, names));
    expect(hits.map((h) => `${h.file}:${h.line}: "${h.name}" (${h.source})`)).toEqual([]);
  });
});

describe('reading an example\'s names', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('reads any example folder: manifest, claims file and bugs.ts', () => {
    const root = mkdtempSync(join(tmpdir(), 'faultline-example-'));
    dirs.push(root);
    const dir = join(root, 'examples', 'ferry');
    mkdirSync(join(dir, 'services'), { recursive: true });
    writeFileSync(join(dir, 'faultline.yaml'), [
      'version: 1',
      'system: { name: ferry-line }',
      'proxies:',
      '  - { name: booking-tickets, listen: "0.0.0.0:23001", upstream: "tickets:9201", edge: { from: booking, to: tickets } }',
      'entrypoints:',
      '  - { name: book, method: POST, url: "http://booking:9200/book/{{int 1 9}}" }',
      'probes:',
      '  - { name: seats, type: http, url: "http://tickets:9201/debug/seats", service: tickets }',
      'claimsFile: claims.yaml',
    ].join('\n'));
    writeFileSync(join(dir, 'claims.yaml'), 'claims:\n  - { id: seat_sold_once, text: x }\n');
    writeFileSync(join(dir, 'services', 'bugs.ts'), "export const FERRY_BUGS = ['oversell', 'late-refund'] as const;\n");
    const names = exampleNames(root, dir).map((n) => n.name);
    expect(new Set(names)).toEqual(new Set([
      'ferry-line', 'booking-tickets', '23001', 'tickets', '9201', 'booking', '9200', 'seat_sold_once', 'oversell', 'late-refund',
    ]));
  });

  it('counts a compound name anywhere and a plain word only in code', () => {
    const names: ExampleName[] = [{ name: 'orders-queue', source: 's' }, { name: 'orders', source: 's' }, { name: '21001', source: 's' }];
    const text = [
      '// the orders-queue proxy, and orders in general',
      "const port = 21001; const q = 'orders';",
      'const ordersQueue = 1; // a word inside an identifier is not the word',
      "const re = /\\/\\/ orders/; const url = 'http://x//orders';",
    ].join('\n');
    const hits = hitsIn('graph/x.ts', text, names).map((h) => `${h.line} ${h.name}`).sort();
    expect(hits).toEqual(['1 orders-queue', '2 21001', '2 orders', '4 orders']);
  });

  it('keeps comments and code apart the way the parser does', () => {
    const segs = segments('a.ts', "const a = '// not a comment'; /* one */\n// two\nconst b = `${a} /* not one */`;\n");
    expect(segs.filter((s) => s.prose).map((s) => s.text.trim())).toEqual(['/* one */', '// two']);
  });
});
