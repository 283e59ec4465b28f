import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadManifest, parseManifest, validateManifest } from '../../generators/manifest-loader.js';
import { FaultlineError, isFaultlineError } from '../../base/errors.js';
import { manifestYaml } from './sample-system.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function invalid(text: string, opts = { baseDir: dir }): FaultlineError {
  try {
    parseManifest(text, opts);
  } catch (err) {
    if (isFaultlineError(err, 'MANIFEST_INVALID')) return err;
    throw err;
  }
  throw new Error('manifest was accepted');
}

const minimal = 'version: 1\nsystem: { name: tiny }\ntraces: { type: otlp }\n';

describe('manifest loading', () => {
  it('loads a good manifest with every section and applies defaults', () => {
    const m = parseManifest(manifestYaml, { baseDir: dir });
    expect(m.system.name).toBe('shop');
    expect(m.proxies.map((p) => p.name)).toEqual(['orders_to_payments', 'orders_to_postgresql', 'orders_to_queue']);
    expect(m.entrypoints[0]).toMatchObject({ name: 'checkout', method: 'POST', idempotencyHeader: 'Idempotency-Key', weight: 2 });
    expect(m.claims.map((c) => [c.id, c.source])).toEqual([['checkout_p99_under_800ms', 'user'], ['checkout_at_most_once', 'user']]);
    expect(m.workload).toEqual({ ratePerSec: 20, seed: 1 });
    expect(m.phases).toEqual({ baselineMs: 5_000, faultMs: 10_000, recoveryMs: 15_000 });
    expect(m.halting).toEqual([{ maxErrorRate: 0.9, windowMs: 5000 }]);
    expect(m.toxiproxy).toEqual({});
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.proxies[0].edge)).toBe(true);
  });

  it('fills every default for a minimal manifest', () => {
    const m = parseManifest(minimal, { baseDir: dir });
    expect(m).toMatchObject({ proxies: [], entrypoints: [], probes: [], claims: [], toxiproxy: {}, workload: { ratePerSec: 20, seed: 1 } });
  });

  it('leaves ${ENV} references unexpanded', () => {
    const m = parseManifest(`${minimal}slack: { webhookUrl: "\${SLACK_WEBHOOK_URL}" }\n`, { baseDir: dir });
    expect(m.slack?.webhookUrl).toBe('${SLACK_WEBHOOK_URL}');
  });

  it('names an unknown top-level key', () => {
    const err = invalid(manifestYaml.replace('entrypoints:', 'entrypionts:'));
    expect(err.message).toMatch(/^unknown key "entrypionts" at \//);
    expect(err.details?.path).toBe('/');
  });

  it('names a wrong type deep in a list by its key path', () => {
    const doc = parseManifest(manifestYaml, { baseDir: dir });
    const bad = structuredClone(doc) as unknown as { proxies: { edge: { to: unknown } }[] };
    bad.proxies[2].edge.to = 42;
    const err = invalid(stringify(bad));
    expect(err.message).toMatch(/^proxies\[2\]\.edge\.to: must be a string/);
    expect(err.details?.path).toBe('proxies[2].edge.to');
  });

  it('names a missing required key and an out-of-range value', () => {
    expect(invalid('version: 1\nsystem: {}\ntraces: { type: otlp }\n').message).toMatch(/^system\.name: is required/);
    expect(invalid(`${minimal}workload: { ratePerSec: -3 }\n`).details?.path).toBe('workload.ratePerSec');
  });

  it('names an unknown trace source type and an unknown check type', () => {
    expect(invalid('version: 1\nsystem: { name: x }\ntraces: { type: zipkin }\n').message).toMatch(/^traces\.type: unknown value "zipkin"/);
    const err = invalid(manifestYaml.replace('type: latency,', 'type: latenc,'));
    expect(err.details?.path).toBe('claims[0].check.type');
  });

  it('rejects a claim that references an entrypoint or probe that does not exist', () => {
    const ep = invalid(manifestYaml.replace('entrypoint: checkout, percentile', 'entrypoint: chekout, percentile'));
    expect(ep.message).toBe('claims[0].check.entrypoint: entrypoint "chekout" is not defined in entrypoints');
    const probe = invalid(manifestYaml.replace('probe: orders,', 'probe: ordrs,'));
    expect(probe.message).toBe('claims[1].check.probe: probe "ordrs" is not defined in probes');
  });

  it('rejects duplicate proxy names', () => {
    const err = invalid(manifestYaml.replace('name: orders_to_postgresql', 'name: orders_to_payments'));
    expect(err.message).toMatch(/^proxies\[1\]: duplicate name "orders_to_payments"/);
  });

  it('reads quiescence conditions, global and per probe, and leaves them out when absent (the default applies)', () => {
    expect(parseManifest(minimal, { baseDir: dir }).quiescence).toBeUndefined();
    const m = parseManifest(
      `${minimal}probes:\n  - { name: queue, type: http, url: "http://sut/queue", quiescence: { selector: "$.pending", equals: 0, timeoutMs: 8000 } }\nquiescence: { stableForMs: 1000, timeoutMs: 5000 }\n`,
      { baseDir: dir },
    );
    expect(m.quiescence).toEqual({ stableForMs: 1000, timeoutMs: 5000 });
    expect(m.probes[0].quiescence).toEqual({ selector: '$.pending', equals: 0, timeoutMs: 8000 });
  });

  it('rejects a quiescence condition that waits for nothing, names no probe for its selector, or cannot be parsed', () => {
    expect(invalid(`${minimal}quiescence: { timeoutMs: 5000 }\n`).details?.path).toBe('quiescence.selector');
    const probes = 'probes:\n  - { name: queue, type: http, url: "http://sut/queue" }\n';
    expect(invalid(`${minimal}${probes}quiescence: { selector: "$.pending", equals: 0 }\n`).message).toBe('quiescence.probe: a quiescence selector needs the probe it reads');
    expect(invalid(`${minimal}${probes}quiescence: { probe: qeue, selector: "$.pending" }\n`).message).toBe('quiescence.probe: probe "qeue" is not defined in probes');
    expect(invalid(`${minimal}${probes}quiescence: { probe: queue, selector: "$.[" }\n`).details?.path).toBe('quiescence.selector');
  });

  it('accepts a halting stop condition that applies always, and rejects an unknown scope', () => {
    expect(parseManifest(`${minimal}halting: [{ maxErrorRate: 0.99, windowMs: 2000, scope: always }]\n`, { baseDir: dir }).halting[0].scope).toBe('always');
    expect(invalid(`${minimal}halting: [{ maxErrorRate: 0.99, windowMs: 2000, scope: never }]\n`).details?.path).toBe('halting[0].scope');
  });

  it('reports invalid YAML and a non-mapping document as MANIFEST_INVALID', () => {
    expect(invalid('version: [1\n').message).toMatch(/not valid YAML/);
    expect(invalid('- 1\n- 2\n').details?.path).toBe('/');
  });

  it('merges claims from a YAML claims file after inline claims', () => {
    writeFileSync(join(dir, 'claims.yaml'), stringify({ claims: [{ id: 'stock_available', text: 'stock reads stay available', category: 'availability', check: { type: 'availability', entrypoint: 'stock', maxErrorRate: 0.01, phase: 'fault' } }] }));
    const m = parseManifest(`${manifestYaml}claimsFile: claims.yaml\n`, { baseDir: dir });
    expect(m.claims.map((c) => c.id)).toEqual(['checkout_p99_under_800ms', 'checkout_at_most_once', 'stock_available']);
    expect(m.claims[2].source).toBe('user');
    expect('claimsFile' in m).toBe(false);
  });

  it('reads claims from Markdown front matter and fenced yaml blocks', () => {
    const md = [
      '---',
      'claims:',
      '  - { id: checkout_recovers, text: back within 5 s, category: recovery, check: { type: recovery, entrypoint: checkout, withinMs: 5000 } }',
      '---',
      '# Our promises',
      'Stock reads:',
      '```yaml',
      '- id: stock_fast',
      '  text: stock p95 under 100 ms',
      '  category: performance-slo',
      '  check: { type: latency, entrypoint: stock, percentile: 95, thresholdMs: 100, phase: fault }',
      '```',
    ].join('\n');
    writeFileSync(join(dir, 'claims.md'), md);
    const m = loadManifest(writeManifest('with-md.yaml', `${manifestYaml}claimsFile: claims.md\n`));
    expect(m.claims.map((c) => c.id)).toEqual(['checkout_p99_under_800ms', 'checkout_at_most_once', 'checkout_recovers', 'stock_fast']);
  });

  it('names the claims file and key of a bad claim in it', () => {
    writeFileSync(join(dir, 'bad-claims.yaml'), stringify([{ id: 'x', text: 't', category: 'availability', check: { type: 'availability', entrypoint: 'stock', maxErrorRate: 3, phase: 'fault' } }]));
    const err = invalid(`${manifestYaml}claimsFile: bad-claims.yaml\n`);
    expect(err.details?.path).toBe('claimsFile(bad-claims.yaml)[0].check.maxErrorRate');
  });

  it('rejects a claims file claim whose entrypoint does not exist', () => {
    writeFileSync(join(dir, 'ghost.yaml'), stringify([{ id: 'ghost', text: 't', category: 'recovery', check: { type: 'recovery', entrypoint: 'ghost', withinMs: 100 } }]));
    expect(invalid(`${manifestYaml}claimsFile: ghost.yaml\n`).message).toMatch(/claims\[2\]\.check\.entrypoint: entrypoint "ghost" is not defined/);
  });

  it('never crashes on random documents: a Manifest or MANIFEST_INVALID', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('any'), { maxKeys: 4 })),
    })).any;
    const keys = fc.constantFrom('version', 'system', 'traces', 'proxies', 'entrypoints', 'probes', 'claims', 'workload', 'phases', 'halting', 'quiescence', 'llm', 'toxiproxy', 'claimsFile', 'schedule');
    const doc = fc.dictionary(keys, value, { maxKeys: 8 });
    fc.assert(fc.property(doc, (d) => {
      try {
        const m = validateManifest({ version: 1, system: { name: 's' }, traces: { type: 'otlp' }, ...d }, { baseDir: dir, readFile: () => 'claims: []' });
        expect(m.version).toBe(1);
      } catch (err) {
        expect(isFaultlineError(err, 'MANIFEST_INVALID')).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it('never crashes on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      try {
        parseManifest(text, { baseDir: dir });
      } catch (err) {
        expect(isFaultlineError(err, 'MANIFEST_INVALID')).toBe(true);
      }
    }), { numRuns: 300 });
  });
});

function writeManifest(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
