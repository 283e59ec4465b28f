/**
 * `faultline validate`: a manifest is checked the way every command loads
 * it, and each problem is reported at file:line:column — the offending
 * value, the unknown key itself, or the mapping a required key is missing
 * from — so an editor or a CI annotation can jump to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { pathSegments, validateManifestText } from '../../../src/cli/commands/validate.js';

const GOOD = `version: 1
system: { name: shop }
traces: { type: files, paths: [traces.json] }
entrypoints:
  - name: checkout
    method: POST
    url: http://gateway:8080/checkout
probes:
  - { name: charges, type: http, url: http://payments:8082/debug/charges }
claims:
  - id: charge_at_most_once
    text: A checkout is charged at most once.
    category: idempotency
    check: { type: at-most-once, probe: charges, selector: "$.charges[*].orderKey", entrypoint: checkout }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-validate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({}) };
  return { io, out, err };
}

const at = (text: string) => validateManifestText(text, dir).problems.map((p) => `${p.line}:${p.column} ${p.message}`);

describe('faultline validate', () => {
  it('accepts a valid manifest with exit 0 and a summary', async () => {
    writeFileSync(join(dir, 'good.yaml'), GOOD);
    const { io, out } = cli();
    expect(await main(['validate', 'good.yaml'], io)).toBe(0);
    expect(out.join('\n')).toContain('good.yaml: valid — system shop');
  });

  it('points at the offending value, the unknown key, and the mapping a required key is missing from', () => {
    const text = GOOD
      .replace('    method: POST\n', '    method: POST\n    timeoutMs: soon\n')
      .replace('system: { name: shop }', 'system: { name: shop, owner: me }')
      .replace('  - { name: charges, type: http, url: http://payments:8082/debug/charges }', '  - { name: charges, type: http }');
    expect(at(text)).toEqual([
      '2:23 unknown key "owner" at system',
      '7:16 entrypoints[0].timeoutMs: must be an integer',
      '10:5 probes[0].url: is required',
    ]);
  });

  it('points a reference to something undefined at the reference', () => {
    expect(at(GOOD.replace('probe: charges,', 'probe: ledger,'))).toEqual(['14:41 claims[0].check.probe: probe "ledger" is not defined in probes']);
  });

  it('reports YAML syntax errors at their line and column', () => {
    const [problem] = at(GOOD.replace('  - name: checkout\n', '  - name: [checkout\n'));
    expect(problem).toMatch(/^\d+:\d+ not valid YAML: /);
  });

  it('moves every position down by the lines put before it', () => {
    const text = GOOD.replace('system: { name: shop }', 'system: { name: shop, owner: me }');
    const [base] = validateManifestText(text, dir).problems;
    fc.assert(fc.property(fc.array(fc.constantFrom('# a comment', '', '   # indented comment'), { maxLength: 8 }), (lines) => {
      const [moved] = validateManifestText(lines.map((l) => `${l}\n`).join('') + text, dir).problems;
      expect([moved.line, moved.column]).toEqual([base.line + lines.length, base.column]);
    }), { numRuns: 50 });
  });

  it('prints file:line:column problems and exits 1', async () => {
    writeFileSync(join(dir, 'bad.yaml'), GOOD.replace('version: 1', 'version: 2'));
    const { io, err } = cli();
    expect(await main(['validate', 'bad.yaml'], io)).toBe(1);
    expect(err[0]).toBe('bad.yaml:1:10: version: must be 1');
    expect(err.at(-1)).toBe('faultline: MANIFEST_INVALID: bad.yaml: 1 problem');
  });

  it('prints the problems as JSON with --json', async () => {
    writeFileSync(join(dir, 'bad-json.yaml'), GOOD.replace('version: 1', 'version: 2'));
    const { io, out } = cli();
    expect(await main(['validate', 'bad-json.yaml', '--json'], io)).toBe(1);
    expect(JSON.parse(out.join('\n'))).toEqual({ file: 'bad-json.yaml', valid: false, problems: [{ line: 1, column: 10, path: 'version', message: 'version: must be 1' }] });
  });

  it('splits key paths the way manifest errors write them', () => {
    expect(pathSegments('proxies[2].edge.to')).toEqual(['proxies', 2, 'edge', 'to']);
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('claimsFile(claims.md)[0].id')).toEqual(['claimsFile']);
  });

  it('warns about a secret the manifest names that this environment does not set, and never prints a value', async () => {
    const tempo = GOOD.replace('traces: { type: files, paths: [traces.json] }', 'traces: { type: tempo, url: http://tempo:3200, auth: { bearerTokenEnv: TEMPO_TOKEN, basic: { username: me, passwordEnv: TEMPO_PW } } }');
    writeFileSync(join(dir, 'tempo.yaml'), tempo);
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({ TEMPO_PW: 'pw-s3cret' }) };
    expect(await main(['validate', 'tempo.yaml'], io)).toBe(0);
    expect(err).toEqual(['warning: traces.auth names TEMPO_TOKEN, which is not set in this environment']);
    expect([...out, ...err].join('\n')).not.toContain('pw-s3cret');
  });
});
