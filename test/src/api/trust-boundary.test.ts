/**
 * A manifest uploaded through POST /v1/plans runs with the caller's rights,
 * not the server's: it cannot redirect the server's LLM key, and it names
 * only regular, size-capped files under FAULTLINE_FILE_ROOTS. The real
 * pipeline (manifest loader, file trace source, plan generators) is used.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { realPipeline } from '../../../src/real-pipeline.js';
import { traceFixture } from '../../support/fixtures.js';
import { auth, harness, TOKEN, type Harness } from '../harness.js';

const SECRET = 'TOP-SECRET-CONTENT-7f3a';
const KEY = 'sk-server-secret-key';

let dir: string;
let allowed: string;
let outside: string;
let llm: Server;
let llmUrl: string;
const llmRequests: { url?: string; authorization?: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-trust-'));
  allowed = join(dir, 'allowed');
  outside = join(dir, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  copyFileSync(traceFixture('otlp-json.otel-proto-example-trace.json'), join(allowed, 'traces.json'));
  writeFileSync(join(allowed, 'claims.yaml'), '- { id: allowed_claim, text: "A claim from an allowed file.", category: availability, check: { type: availability, entrypoint: none, maxErrorRate: 0.5, phase: fault } }\n');
  writeFileSync(join(outside, 'claims.yaml'), `- { id: leaked, text: "${SECRET}", category: availability, check: { type: availability, entrypoint: none, maxErrorRate: 0.5, phase: fault } }\n`);
  writeFileSync(join(outside, 'traces.json'), SECRET);
  writeFileSync(join(allowed, 'big.json'), ' '.repeat(20_000));
  symlinkSync(join(outside, 'claims.yaml'), join(allowed, 'link.yaml'));
  execFileSync('mkfifo', [join(allowed, 'fifo.json')]);
  llm = createServer((req, res) => {
    llmRequests.push({ url: req.url, authorization: req.headers.authorization });
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => llm.listen(0, '127.0.0.1', () => r()));
  llmUrl = `http://127.0.0.1:${(llm.address() as { port: number }).port}/v1`;
});
afterAll(async () => {
  await new Promise((r) => llm.close(r));
});

/** An app over the real pipeline, configured with `env` (the server's key always set). */
async function app(env: Record<string, string>): Promise<Harness> {
  const full = { FAULTLINE_API_TOKENS: TOKEN, OPENAI_API_KEY: KEY, ...env };
  const config = loadConfig(full);
  return harness(full, { pipeline: realPipeline({ openai: config.openai }), baseDir: allowed });
}

const manifest = (extra: string) => `version: 1
system: { name: shop }
entrypoints: [{ name: none, method: GET, url: "http://127.0.0.1:1/" }]
${extra.includes('traces:') ? '' : 'traces: { type: files, paths: [traces.json] }'}
${extra}
`;

async function upload(h: Harness, yaml: string) {
  return h.app.inject({ method: 'POST', url: '/v1/plans', headers: { ...auth, 'content-type': 'application/yaml' }, payload: yaml });
}

describe('a manifest uploaded over the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await app({ FAULTLINE_FILE_ROOTS: allowed, FAULTLINE_MAX_FILE_BYTES: '10000' });
  });
  afterAll(async () => h.app.close());

  it('reads trace and claims files under the configured roots', async () => {
    const res = await upload(h, manifest('claimsFile: claims.yaml'));
    expect(res.statusCode, res.body).toBe(201);
    const plan = (await h.app.inject({ method: 'GET', url: `/v1/plans/${res.json().id}` })).json();
    expect(plan.claims.map((c: { id: string }) => c.id)).toContain('allowed_claim');
  });

  it('refuses trace files outside the roots, naming the field and never quoting the file', async () => {
    for (const path of [join(outside, 'traces.json'), '../outside/traces.json', '/etc/shadow', '/dev/zero']) {
      const res = await upload(h, manifest(`traces: { type: files, paths: [${JSON.stringify(path)}] }`));
      expect(res.statusCode, path).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'traces.paths[0]' } });
      expect(res.json().detail).toContain('FAULTLINE_FILE_ROOTS');
      expect(res.body).not.toContain(SECRET);
    }
  });

  it('refuses a FIFO and an over-size file under the roots, at once', async () => {
    const started = Date.now();
    const fifo = await upload(h, manifest('traces: { type: files, paths: [fifo.json] }'));
    expect(fifo.statusCode).toBe(400);
    expect(fifo.json().detail).toBe('traces.paths[0]: not a regular file');
    expect(Date.now() - started).toBeLessThan(2000);
    const big = await upload(h, manifest('traces: { type: files, paths: [big.json] }'));
    expect(big.statusCode).toBe(400);
    expect(big.json().detail).toContain('larger than 10000 bytes');
  }, 10_000);

  it('refuses a claimsFile outside the roots, also through a symlink, and stores no plan', async () => {
    const before = (await h.app.inject({ method: 'GET', url: '/v1/plans' })).json().plans.length;
    for (const file of [join(outside, 'claims.yaml'), 'link.yaml']) {
      const res = await upload(h, manifest(`claimsFile: ${JSON.stringify(file)}`));
      expect(res.statusCode, file).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'claimsFile' } });
      expect(res.json().detail).toContain('outside the folders the server allows');
      expect(res.body).not.toContain(SECRET);
    }
    const after = await h.app.inject({ method: 'GET', url: '/v1/plans' });
    expect(after.json().plans.length).toBe(before);
    expect(after.body).not.toContain(SECRET);
  });

  it('refuses llm.baseUrl: the endpoint and key come from the server configuration only', async () => {
    const res = await upload(h, manifest(`llm: { model: m, baseUrl: ${JSON.stringify(llmUrl)} }`));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'llm.baseUrl' } });
    expect(res.json().detail).toContain('OPENAI_BASE_URL');
    expect(llmRequests).toEqual([]);
  });
});

describe('backend credentials in an uploaded manifest', () => {
  it('refuses naming a server environment variable, whose value would go to a URL the caller chose', async () => {
    const h = await app({ FAULTLINE_FILE_ROOTS: allowed });
    try {
      const res = await upload(h, manifest(`traces: { type: jaeger, url: ${JSON.stringify(llmUrl)}, auth: { bearerTokenEnv: OPENAI_API_KEY } }`));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'traces.auth.bearerTokenEnv' } });
      const ca = await upload(h, manifest(`traces: { type: tempo, url: ${JSON.stringify(llmUrl)}, auth: { caFile: ${JSON.stringify(join(outside, 'claims.yaml'))} } }`));
      expect(ca.statusCode).toBe(400);
      expect(ca.json()).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'traces.auth.caFile' } });
      expect(ca.body).not.toContain(SECRET);
      expect(llmRequests.filter((r) => r.authorization?.includes(KEY))).toEqual([]);
    } finally {
      await h.app.close();
    }
  });
});

describe('without FAULTLINE_FILE_ROOTS', () => {
  it('names no server file at all over the API', async () => {
    const h = await app({});
    try {
      for (const extra of ['traces: { type: files, paths: [traces.json] }', 'traces: { type: jaeger, url: "http://127.0.0.1:1" }\nclaimsFile: claims.yaml']) {
        const res = await upload(h, manifest(extra));
        expect(res.statusCode, extra).toBe(400);
        expect(res.json().detail).toContain('no FAULTLINE_FILE_ROOTS configured');
      }
    } finally {
      await h.app.close();
    }
  });
});
