/**
 * `faultline init`: a commented manifest from traces that the validator
 * accepts once the owner fills the TODOs the traces could not answer, with
 * proxies from the graph, entrypoints from the traced HTTP routes and the
 * inferred claims commented out, valid once uncommented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { routeTemplate } from '../../../src/cli/commands/init.js';
import { validateManifestText } from '../../../src/cli/commands/validate.js';
import { traceFixture } from '../../support/fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-init-'));
  copyFileSync(traceFixture('tempo-trace-v1.kiali-responseTrace.json'), join(dir, 'bookinfo.json'));
  copyFileSync(traceFixture('jaeger-trace.tracegraph-testTrace.json'), join(dir, 'rpc.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false, cwd: dir, config: () => loadConfig({}) };
  return { io, out, err };
}

describe('faultline init', () => {
  it('writes a commented manifest whose only problems are the upstream TODOs, valid with them filled and its claims confirmed', async () => {
    expect(await main(['init', 'bookinfo.json', '--system', 'bookinfo'], cli().io)).toBe(0);
    const text = readFileSync(join(dir, 'faultline.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/faultline/schema/faultline.schema.json');
    for (const section of ['#traces', '#proxies', '#entrypoints', '#probes', '#claims']) expect(text).toContain(`docs/manifest.md${section}`);
    const problems = validateManifestText(text, dir).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /^proxies\[\d+\]\.upstream$/.test(p.path) && p.message.includes('TODO'))).toBe(true);

    const filled = text.replace(/TODO-port/g, '9080');
    const asWritten = validateManifestText(filled, dir);
    expect(asWritten.problems).toEqual([]);
    // Relative to the manifest, as the loader resolves it.
    expect(asWritten.manifest?.traces).toEqual({ type: 'files', paths: ['bookinfo.json'] });
    expect(asWritten.manifest?.entrypoints.map((e) => [e.method, e.url])).toEqual([['GET', 'http://istio-ingressgateway.istio-system/productpage']]);
    expect(asWritten.manifest?.proxies.map((p) => `${p.edge.from}->${p.edge.to}`)).toContain('productpage.bookinfo->details.bookinfo');
    expect(asWritten.manifest?.claims).toEqual([]);

    // What the owner does: drop `claims: []` and uncomment the block under `# claims:`.
    const [head, tail] = filled.replace('claims: []\n', '').split('# claims:\n');
    const confirmed = `${head}claims:\n${tail.replace(/^# {3}/gm, '  ')}`;
    const withClaims = validateManifestText(confirmed, dir);
    expect(withClaims.problems).toEqual([]);
    expect(withClaims.manifest?.claims.length).toBeGreaterThan(0);
  });

  it('leaves roots without an HTTP method as a comment rather than an entrypoint it cannot call', async () => {
    expect(await main(['init', 'rpc.json', '--out', 'rpc.yaml'], cli().io)).toBe(0);
    const text = readFileSync(join(dir, 'rpc.yaml'), 'utf8');
    expect(text).toContain('# not an HTTP route, describe how to call it if the workload should: service1 - op1');
    expect(validateManifestText(text.replace(/TODO-port/g, '9080'), dir).problems.filter((p) => p.path.startsWith('entrypoints'))).toEqual([]);
  });

  it('refuses to overwrite a manifest without --force', async () => {
    const { io, err } = cli();
    expect(await main(['init', 'bookinfo.json'], io)).toBe(1);
    expect(err.join('\n')).toContain('faultline.yaml exists: pass --force');
    expect(await main(['init', 'bookinfo.json', '--force'], cli().io)).toBe(0);
  });

  it('turns route parameters into id placeholders', () => {
    expect(routeTemplate('/orders/{id}/items/:item')).toBe('/orders/{{int 1 1000}}/items/{{int 1 1000}}');
    expect(routeTemplate('/healthz')).toBe('/healthz');
  });
});
