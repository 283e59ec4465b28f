import { describe, expect, it } from 'vitest';
import { inferClaims, roundUpNice } from '../../generators/claim-inference.js';
import { matchEntrypoints } from '../../generators/entrypoint-match.js';
import { parseManifest } from '../../generators/manifest-loader.js';
import { manifestYaml, sampleRanking, sampleSnapshot } from './sample-system.js';

const manifest = parseManifest(manifestYaml, { baseDir: '.' });

describe('claim inference', () => {
  it('maps manifest entrypoints to traced ones by method and route pattern, or traceEntrypoint', () => {
    const map = matchEntrypoints(
      [...manifest.entrypoints, { name: 'pinned', method: 'GET', url: 'http://x/anything', traceEntrypoint: 'api POST /checkout' }, { name: 'absent', method: 'DELETE', url: 'http://x/checkout' }],
      sampleSnapshot().entrypoints,
    );
    expect(map.get('checkout')).toEqual(['api POST /checkout']);
    expect(map.get('stock')).toEqual(['api GET /stock/{id}']);
    expect(map.get('pinned')).toEqual(['api POST /checkout']);
    expect(map.get('absent')).toEqual([]);
  });

  it('gives a system with no claims inferred latency and availability claims with evidence', () => {
    const { claims } = inferClaims(sampleSnapshot(), sampleRanking(), [], manifest.entrypoints, { probes: manifest.probes });
    const checkoutLatency = claims.find((c) => c.id === 'checkout_p99_under_850ms');
    expect(checkoutLatency).toMatchObject({
      source: 'inferred',
      category: 'performance-slo',
      check: { type: 'latency', entrypoint: 'checkout', percentile: 99, thresholdMs: 850, phase: 'fault' },
    });
    expect(checkoutLatency?.evidence).toContain('observed p99 412 ms over 1,000 calls');
    expect(claims.find((c) => c.id === 'checkout_errors_under_4pct')?.check).toEqual({ type: 'availability', entrypoint: 'checkout', maxErrorRate: 0.04, phase: 'fault' });
    expect(claims.find((c) => c.id === 'stock_p99_under_20ms')?.check).toMatchObject({ thresholdMs: 20 });
    expect(claims.every((c) => c.source === 'inferred' && (c.evidence ?? '').length > 0)).toBe(true);
  });

  it('suggests an at-most-once claim for a retried POST edge only when a probe exists for the callee', () => {
    const withoutProbe = inferClaims(sampleSnapshot(), sampleRanking(), [], manifest.entrypoints, { probes: manifest.probes });
    expect(withoutProbe.claims.some((c) => c.check.type === 'at-most-once')).toBe(false);
    expect(withoutProbe.missing.find((m) => m.subject === 'orders->payments' && m.suggestedCategory === 'idempotency')?.observation).toContain('100 extra attempts');

    const probes = [...manifest.probes, { name: 'charges', type: 'http' as const, url: 'http://127.0.0.1:9002/debug/charges', service: 'payments' }];
    const withProbe = inferClaims(sampleSnapshot(), sampleRanking(), [], manifest.entrypoints, { probes });
    expect(withProbe.claims.find((c) => c.id === 'charges_at_most_once')).toMatchObject({
      source: 'inferred',
      check: { type: 'at-most-once', probe: 'charges', selector: '$.charges[*].requestKey', entrypoint: 'checkout' },
    });
  });

  it('suggests no-lost-ack for an async edge as a missing claim when nothing can check it', () => {
    const { missing } = inferClaims(sampleSnapshot(), sampleRanking(), [], manifest.entrypoints, { probes: manifest.probes });
    expect(missing.find((m) => m.subject === 'orders->kafka:order-events')).toMatchObject({ suggestedCategory: 'durability' });
  });

  it('lists each risky edge no user claim covers, and not the ones a claim covers', () => {
    const none = inferClaims(sampleSnapshot(), sampleRanking(), [], manifest.entrypoints, { probes: manifest.probes });
    const uncovered = none.missing.filter((m) => m.observation.startsWith('risky edge')).map((m) => m.subject);
    expect(uncovered).toEqual(['orders->payments', 'api->orders', 'orders->kafka:order-events', 'orders->postgresql', 'api->redis']);
    const some = inferClaims(sampleSnapshot(), sampleRanking(), manifest.claims, manifest.entrypoints, { probes: manifest.probes });
    expect(some.missing.filter((m) => m.observation.startsWith('risky edge')).map((m) => m.subject)).toEqual(['api->redis']);
  });

  it('does not infer a claim of a type the user already wrote for that entrypoint', () => {
    const { claims } = inferClaims(sampleSnapshot(), sampleRanking(), manifest.claims, manifest.entrypoints, { probes: manifest.probes });
    expect(claims.some((c) => c.check.type === 'latency' && 'entrypoint' in c.check && c.check.entrypoint === 'checkout')).toBe(false);
  });

  it('rounds candidate thresholds up to numbers a person would write', () => {
    expect([roundUpNice(14), roundUpNice(824), roundUpNice(1234), roundUpNice(12_001)]).toEqual([20, 850, 1300, 13_000]);
  });
});
