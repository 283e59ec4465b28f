/**
 * YAML as teams write it, uploaded over the API through the real manifest
 * loader: merge keys and many plain aliases work, in the manifest and in
 * its claims file; an alias bomb is still refused, fast.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config.js';
import { realPipeline } from '../../../src/real-pipeline.js';
import { traceFixture } from '../../support/fixtures.js';
import { auth, harness, TOKEN, type Harness } from '../harness.js';

let dir: string;
let h: Harness;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-yaml-'));
  copyFileSync(traceFixture('otlp-json.otel-proto-example-trace.json'), join(dir, 'traces.json'));
  const env = { FAULTLINE_API_TOKENS: TOKEN, FAULTLINE_FILE_ROOTS: dir };
  h = await harness(env, { pipeline: realPipeline({ openai: loadConfig(env).openai }), baseDir: dir });
});
afterAll(async () => h.app.close());

const upload = (yaml: string) => h.app.inject({ method: 'POST', url: '/v1/plans', headers: { ...auth, 'content-type': 'application/yaml' }, payload: yaml });
const head = 'version: 1\nsystem: { name: shop }\ntraces: { type: files, paths: [traces.json] }\nentrypoints: [{ name: checkout, method: GET, url: "http://127.0.0.1:9/" }]\n';
const claim = (id: string, ref = '*check') => `  - { id: ${id}, text: "Checkout is available.", category: availability, check: ${ref} }`;

describe('manifest YAML', () => {
  it('takes merge keys in a claims file', async () => {
    writeFileSync(join(dir, 'claims.yaml'), 'defaults: &base { type: availability, entrypoint: checkout, phase: fault }\nclaims:\n  - id: merged\n    text: "Checkout is available."\n    category: availability\n    check:\n      <<: *base\n      maxErrorRate: 0.1\n');
    const res = await upload(`${head}claimsFile: claims.yaml\n`);
    expect(res.statusCode, res.body).toBe(201);
    const plan = (await h.app.inject({ method: 'GET', url: `/v1/plans/${res.json().id}` })).json();
    expect(plan.claims.find((c: { id: string }) => c.id === 'merged').check).toMatchObject({ type: 'availability', maxErrorRate: 0.1 });
  });

  it('takes 150 plain aliases in a claims file', async () => {
    const claims = Array.from({ length: 150 }, (_, i) => claim(`claim_${i}`)).join('\n');
    writeFileSync(join(dir, 'many.yaml'), `check: &check { type: availability, entrypoint: checkout, maxErrorRate: 0.1, phase: fault }\nclaims:\n${claims}\n`);
    const res = await upload(`${head}claimsFile: many.yaml\n`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().claims).toBeGreaterThanOrEqual(150);
  });

  it('refuses an alias bomb in a claims file quickly, naming the file', async () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [n, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) rows.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    writeFileSync(join(dir, 'bomb.yaml'), `${rows.join('\n')}\nclaims: []\n`);
    const started = Date.now();
    const res = await upload(`${head}claimsFile: bomb.yaml\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MANIFEST_INVALID' });
    expect(res.json().detail).toContain('claimsFile bomb.yaml');
  });

  it('takes merge keys and 150 plain aliases in the manifest itself', async () => {
    const first = '  - { id: inline_0, text: "Checkout is available.", category: availability, check: &check { type: availability, entrypoint: checkout, maxErrorRate: 0.1, phase: fault } }';
    const claims = [first, ...Array.from({ length: 149 }, (_, i) => claim(`inline_${i + 1}`))].join('\n');
    const proxies = 'proxies:\n  - &proxy { name: one, listen: "127.0.0.1:21011", upstream: "127.0.0.1:9", edge: { from: a, to: b } }\n  - { <<: *proxy, name: two, listen: "127.0.0.1:21012" }\n';
    const res = await upload(`${head}${proxies}claims:\n${claims}\n`);
    expect(res.statusCode, res.body).toBe(201);
    const plan = (await h.app.inject({ method: 'GET', url: `/v1/plans/${res.json().id}` })).json();
    expect(plan.claims.filter((c: { id: string }) => c.id.startsWith('inline_'))).toHaveLength(150);
    expect(plan.proxies.map((p: { name: string; upstream: string }) => [p.name, p.upstream])).toEqual([['one', '127.0.0.1:9'], ['two', '127.0.0.1:9']]);
  });

  it('refuses an alias bomb in the manifest quickly', async () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [n, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) rows.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const started = Date.now();
    const res = await upload(`${head}${rows.join('\n')}\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MANIFEST_INVALID' });
  });
});
