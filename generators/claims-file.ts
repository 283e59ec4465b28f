/**
 * A claims file next to the manifest: YAML (a list, or `{claims: [...]}`) or
 * Markdown whose claims sit in YAML front matter or in fenced ```yaml blocks,
 * so a team can keep its promises in a readable document.
 */
import { parse as parseYaml } from 'yaml';
import { fail } from '../base/errors.js';

/**
 * How manifests and claims files are parsed. Merge keys (`<<: *defaults`)
 * are how teams share claim and proxy defaults, so they are on. The alias
 * limit stops an alias bomb (each alias expanding into more aliases) after a
 * few thousand resolutions, in milliseconds, while a real manifest with a
 * hundred or more plain aliases passes.
 */
export const YAML_PARSE_OPTIONS = { merge: true, maxAliasCount: 5000, logLevel: 'error' } as const;

/** The raw (unvalidated) claim list a claims file holds. */
export function extractClaims(text: string, fileName: string): unknown {
  const isMarkdown = /\.(md|markdown)$/i.test(fileName);
  const docs = isMarkdown ? markdownYamlBlocks(text) : [text];
  if (docs.length === 0) {
    throw fail('MANIFEST_INVALID', `claimsFile ${fileName}: no YAML front matter or fenced yaml block found`, { path: 'claimsFile', file: fileName });
  }
  const claims: unknown[] = [];
  for (const doc of docs) {
    let parsed: unknown;
    try {
      parsed = parseYaml(doc, YAML_PARSE_OPTIONS);
    } catch (err) {
      throw fail('MANIFEST_INVALID', `claimsFile ${fileName}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, { path: 'claimsFile', file: fileName });
    }
    const list = Array.isArray(parsed) ? parsed : isRecord(parsed) && 'claims' in parsed ? parsed.claims : undefined;
    if (!Array.isArray(list)) {
      throw fail('MANIFEST_INVALID', `claimsFile ${fileName}: expected a list of claims or a "claims:" list`, { path: 'claimsFile', file: fileName });
    }
    claims.push(...list);
  }
  return claims;
}

/** Front matter (`---` … `---` at the top) and every ```yaml / ```yml fenced block. */
function markdownYamlBlocks(text: string): string[] {
  const blocks: string[] = [];
  const normalised = text.replace(/\r\n?/g, '\n');
  const front = /^---\n([\s\S]*?)\n---(\n|$)/.exec(normalised);
  if (front) blocks.push(front[1]);
  const fence = /^```(?:yaml|yml)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(normalised); m; m = fence.exec(normalised)) blocks.push(m[1]);
  return blocks;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
