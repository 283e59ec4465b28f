/**
 * The published manifest schema (schema/faultline.schema.json): exactly
 * what the validator's schema generates (one source; `npm run schema`
 * rewrites it), readable by a plain draft-07 validator as editors use it,
 * and named by every example manifest's yaml-language-server line.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { publishedManifestSchemaText } from '../../generators/manifest-json-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schemaPath = resolve(root, 'schema/faultline.schema.json');
const examples = ['examples/demo/faultline.yaml', 'examples/rides/faultline.yaml'].map((p) => resolve(root, p));

describe('published manifest schema', () => {
  it('is exactly what the validator schema generates (run `npm run schema` after changing it)', () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(publishedManifestSchemaText());
  });

  it('is in the package files', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema/faultline.schema.json');
  });

  it('accepts the example manifests and rejects a typo, read by a plain draft-07 validator', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    for (const file of examples) {
      const ok = validate(parse(readFileSync(file, 'utf8')));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok).toBe(true);
    }
    const doc = parse(readFileSync(examples[0], 'utf8')) as Record<string, unknown>;
    expect(validate({ ...doc, workload: { ...(doc.workload as object), ratePerSecond: 5 } })).toBe(false);
    expect(validate.errors?.map((e) => e.params)).toContainEqual({ additionalProperty: 'ratePerSecond' });
  });

  it('is named by each example manifest for yaml-language-server', () => {
    for (const file of examples) {
      const first = readFileSync(file, 'utf8').split('\n')[0];
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, file).not.toBeNull();
      const target = resolve(dirname(file), m![1]);
      expect(target).toBe(schemaPath);
      expect(existsSync(target)).toBe(true);
    }
  });
});
