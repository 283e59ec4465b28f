/**
 * docs/manifest.md documents every manifest key the validator accepts —
 * top level, traces, entrypoints, probes of every type, claims and every
 * claim check — and every environment variable src/config.ts reads. A key
 * added to the schema or a variable added to the config without a line in
 * the reference fails here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { manifestSchema, entrypointSchema, probeSchema, traces, haltingSchema, hookSchema, quiescenceSchema } from '../../generators/manifest-schema.js';
import { claimCheckSchema, claimSchema } from '../../generators/claim-schema.js';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(fileURLToPath(new URL('docs/manifest.md', root)), 'utf8');

type Obj = { properties?: Record<string, Obj>; oneOf?: Obj[] };
const keysOf = (s: Obj): string[] => [...Object.keys(s.properties ?? {}), ...(s.oneOf ?? []).flatMap(keysOf)];
// `key`, `key?` (optional in a list of keys) or `block.key` (a nested key named with its block).
const documented = (key: string) => new RegExp(`\`(?:[A-Za-z]+\\.)?${key}\\??\``).test(doc);

describe('manifest reference (docs/manifest.md)', () => {
  const groups: [string, Obj][] = [
    ['top level', manifestSchema as Obj],
    ['traces', traces as Obj],
    ['entrypoints', entrypointSchema as Obj],
    ['probes', probeSchema as Obj],
    ['claims', claimSchema({ sourceRequired: false }) as Obj],
    ['claim checks', claimCheckSchema as Obj],
    ['halting', haltingSchema as Obj],
    ['hooks', hookSchema as Obj],
    ['quiescence', quiescenceSchema as Obj],
  ];
  for (const [name, schema] of groups) {
    it(`documents every ${name} key`, () => {
      const keys = [...new Set(keysOf(schema))];
      expect(keys.length).toBeGreaterThan(1);
      expect(keys.filter((k) => !documented(k))).toEqual([]);
    });
  }

  it('documents every claim check type and probe type', () => {
    const types = [...(claimCheckSchema as Obj).oneOf!, ...(probeSchema as Obj).oneOf!, ...(traces as Obj).oneOf!].map((b) => (b.properties!.type as { const: string }).const);
    expect(types.filter((t) => !doc.includes(`| \`${t}\` |`))).toEqual([]);
  });

  it('documents every environment variable src/config.ts reads', () => {
    const config = readFileSync(fileURLToPath(new URL('src/config.ts', root)), 'utf8');
    const vars = [...new Set([...config.matchAll(/env(?:\.|, '|\[')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]))];
    expect(vars.length).toBeGreaterThan(10);
    expect(vars.filter((v) => !doc.includes(`\`${v}\``))).toEqual([]);
  });

  it('documents the template language', () => {
    for (const t of ['{{key}}', '{{int a b}}', '{{pick a b c}}', '{{uuid}}']) expect(doc).toContain(t);
  });
});
