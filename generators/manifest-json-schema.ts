/**
 * The manifest's JSON Schema as published for editors
 * (schema/faultline.schema.json, read by yaml-language-server through a
 * `# yaml-language-server: $schema=…` line, and by any JSON Schema tool).
 * Derived from the one schema the loader validates with
 * (generators/manifest-schema.ts), so the two cannot drift: `npm run schema`
 * writes the file and a test asserts it equals what this returns.
 *
 * Only what a plain draft-07 reader would misread is changed: ajv's
 * `discriminator` (an OpenAPI keyword ajv uses for sharper errors) is
 * dropped; the `oneOf` beside it already says the same thing.
 */
import { manifestSchema } from './manifest-schema.js';

/** Draft-07, which editors and ajv's default both read. */
const DRAFT = 'http://json-schema.org/draft-07/schema#';

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    // `properties` maps names to schemas: a property called `discriminator` would be data, not a keyword.
    if (k === 'discriminator') continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, strip(s)])) : strip(v);
  }
  return out;
}

/** The published schema document. */
export function publishedManifestSchema(): Record<string, unknown> {
  return {
    $schema: DRAFT,
    title: 'faultline manifest (faultline.yaml)',
    description: 'The system under test for faultline: where traces come from, proxies, entrypoints, probes, claims and run settings. Reference: docs/manifest.md.',
    ...(strip(manifestSchema) as Record<string, unknown>),
  };
}

/** The file's exact text: two-space JSON and a final newline. */
export function publishedManifestSchemaText(): string {
  return `${JSON.stringify(publishedManifestSchema(), null, 2)}\n`;
}
