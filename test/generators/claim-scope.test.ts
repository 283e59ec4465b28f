import { describe, expect, it } from 'vitest';
import type { Claim, ClaimCheck } from '../../claims/claim.js';
import { claimReach } from '../../generators/claim-reach.js';
import { matchEntrypoints } from '../../generators/entrypoint-match.js';
import { parseManifest } from '../../generators/manifest-loader.js';
import type { ManifestProbe } from '../../generators/manifest.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import { isFaultlineError } from '../../base/errors.js';
import { manifestYaml, sampleSnapshot } from './sample-system.js';
import { sampleInput, withClaims } from './plan-input.js';

const manifest = parseManifest(manifestYaml, { baseDir: '.' });

function claim(check: ClaimCheck): Claim {
  return { id: 'c', text: 't', category: 'availability', check, source: 'user' };
}

/** Edge ids that can affect the check, in snapshot order. */
function reach(check: ClaimCheck, probes: readonly ManifestProbe[] = manifest.probes, snapshot = sampleSnapshot()): string[] {
  const epMap = matchEntrypoints(manifest.entrypoints, snapshot.entrypoints);
  return [...claimReach(claim(check), snapshot, epMap, probes).edges.keys()];
}

describe('claim scope', () => {
  it('scopes a claim with degraded: cache to edges into cache nodes only', () => {
    // Checkout traffic also reads the cache here, so it crosses every edge of the sample.
    const snapshot = sampleSnapshot();
    snapshot.crossings['api->redis'] = { ...snapshot.crossings['api->redis'], 'api POST /checkout': 900 };
    const availability = { type: 'availability', entrypoint: 'checkout', maxErrorRate: 0.01, phase: 'fault' } as const;
    expect(reach(availability, manifest.probes, snapshot)).toEqual(['api->orders', 'orders->payments', 'orders->postgresql', 'orders->kafka:order-events', 'api->redis']);
    expect(reach({ ...availability, degraded: 'cache' }, manifest.probes, snapshot)).toEqual(['api->redis']);
    expect(reach({ ...availability, degraded: 'redis' }, manifest.probes, snapshot)).toEqual(['api->redis']);
    expect(reach({ type: 'latency', entrypoint: 'checkout', percentile: 99, thresholdMs: 800, phase: 'fault', degraded: 'database' }, manifest.probes, snapshot)).toEqual(['orders->postgresql']);
    expect(reach({ type: 'recovery', entrypoint: 'checkout', withinMs: 5000, degraded: 'payments' }, manifest.probes, snapshot)).toEqual(['orders->payments']);
    // A dependency the claim's traffic never calls still shares the services it passes through.
    expect(reach({ ...availability, degraded: 'cache' })).toEqual(['api->redis']);
    // A scope the graph has no node for keeps nothing.
    expect(reach({ ...availability, degraded: 'elasticsearch' })).toEqual([]);
  });

  it('plans a degraded claim only on edges into its dependency, even one its traffic never calls, and says so when the graph has none', async () => {
    const text = withClaims(manifestYaml, { id: 'checkout_p99_while_db_degraded', text: 'p99 of POST /checkout under 800 ms while the database is degraded', category: 'performance-slo', check: '{ type: latency, entrypoint: checkout, percentile: 99, thresholdMs: 800, phase: fault, degraded: database }' });
    const plan = await new RulePlanGenerator().generate(sampleInput(text));
    expect(new Set(plan.scenarios.filter((s) => s.claims.includes('checkout_p99_while_db_degraded')).map((s) => s.target.edge))).toEqual(new Set(['orders->postgresql']));
    // Checkout never calls the cache, but its front service does (a cache that holds the api's sockets
    // can slow checkout): the claim is tied to api->redis, which has no proxy in the sample.
    const cache = withClaims(manifestYaml, { id: 'checkout_p99_while_cache_degraded', text: 'p99 of POST /checkout under 800 ms while the cache is degraded', category: 'performance-slo', check: '{ type: latency, entrypoint: checkout, percentile: 99, thresholdMs: 800, phase: fault, degraded: cache }' });
    const shared = await new RulePlanGenerator().generate(sampleInput(cache));
    expect(shared.coverage.find((r) => r.claimId === 'checkout_p99_while_cache_degraded')).toMatchObject({ covered: false, note: 'edges affecting it have no proxy: api->redis' });
    const search = withClaims(manifestYaml, { id: 'checkout_p99_while_search_degraded', text: 'p99 of POST /checkout under 800 ms while search is degraded', category: 'performance-slo', check: '{ type: latency, entrypoint: checkout, percentile: 99, thresholdMs: 800, phase: fault, degraded: elasticsearch }' });
    const unreached = await new RulePlanGenerator().generate(sampleInput(search));
    expect(unreached.coverage.find((r) => r.claimId === 'checkout_p99_while_search_degraded')).toMatchObject({
      scenarios: [], covered: false, note: 'no traced edge of checkout leads into elasticsearch (the dependency it is degraded on)',
    });
  });

  it('holds the calls of a dependency the claim\'s traffic never calls to the caller\'s deadline, sized from that deadline', async () => {
    const redisProxy = '  - name: api_to_redis\n    listen: 127.0.0.1:21005\n    upstream: 127.0.0.1:6379\n    edge: { from: api, to: redis }\n';
    const text = withClaims(manifestYaml.replace('proxies:\n', `proxies:\n${redisProxy}`), { id: 'checkout_p99_while_cache_degraded', text: 'p99 of POST /checkout under 800 ms while the cache is degraded', category: 'performance-slo', check: '{ type: latency, entrypoint: checkout, percentile: 99, thresholdMs: 800, phase: fault, degraded: cache }' });
    const plan = await new RulePlanGenerator().generate(sampleInput(text));
    const mine = plan.scenarios.filter((s) => s.claims.includes('checkout_p99_while_cache_degraded'));
    expect(mine.map((s) => s.target.edge)).toContain('api->redis');
    const first = mine.find((s) => s.target.edge === 'api->redis')!;
    // Checkout shares only the api with the cache: a delay inside the deadline would not reach it.
    expect(first.fault.family).toBe('black-hole');
    expect(first.fault.sizing).toContain('off the path ×1.5');
    expect(mine.some((s) => s.fault.family === 'slow-under-timeout')).toBe(false);
  });

  it("ties an at-most-once claim to the edges into its probe's service and that service's own store", () => {
    const orders = { type: 'at-most-once', probe: 'orders', selector: '$.orders[*].requestKey', entrypoint: 'checkout' } as const;
    // Not orders->payments (another service) nor the async producer edge to kafka.
    expect(reach(orders)).toEqual(['api->orders', 'orders->postgresql']);
    const charges: ManifestProbe = { name: 'charges', type: 'http', url: 'http://127.0.0.1:9002/debug/charges', service: 'payments' };
    expect(reach({ type: 'exactly-once', probe: 'charges', selector: '$.charges[*].requestKey' }, [charges])).toEqual(['orders->payments']);
    // A service no edge leads into keeps every edge the traffic crosses.
    const front: ManifestProbe = { name: 'front', type: 'http', url: 'http://127.0.0.1:9000/debug', service: 'api' };
    expect(reach({ type: 'no-lost-ack', probe: 'front', selector: '$.x[*].k', entrypoint: 'checkout' }, [front]))
      .toEqual(['api->orders', 'orders->payments', 'orders->postgresql', 'orders->kafka:order-events', 'api->redis']);
    // A conservation claim is not an effect claim: it keeps the edges around its service.
    expect(reach({ type: 'conservation', probe: 'orders', selector: '$.orders[*].total' })).toEqual(['api->orders', 'orders->payments', 'orders->postgresql', 'orders->kafka:order-events']);
  });
});

describe('degraded in the manifest', () => {
  function rejection(check: string): { path: unknown; message: string } {
    try {
      parseManifest(withClaims(manifestYaml, { id: 'scoped', text: 't', category: 'availability', check }), { baseDir: '.' });
    } catch (err) {
      if (isFaultlineError(err, 'MANIFEST_INVALID')) return { path: err.details?.path, message: err.message };
      throw err;
    }
    throw new Error('manifest was accepted');
  }

  it('accepts degraded on latency, availability and recovery checks and rejects it on other check types, naming the key path', () => {
    const scoped = [
      '{ type: latency, entrypoint: stock, percentile: 99, thresholdMs: 50, phase: fault, degraded: cache }',
      '{ type: availability, entrypoint: stock, maxErrorRate: 0.01, phase: fault, degraded: redis }',
      '{ type: recovery, entrypoint: stock, withinMs: 5000, degraded: database }',
    ].map((check) => parseManifest(withClaims(manifestYaml, { id: 'scoped', text: 't', category: 'availability', check }), { baseDir: '.' }).claims[2].check);
    expect(scoped.map((c) => ('degraded' in c ? c.degraded : undefined))).toEqual(['cache', 'redis', 'database']);

    const atMostOnce = rejection('{ type: at-most-once, probe: orders, selector: "$.orders[*].requestKey", degraded: cache }');
    expect(atMostOnce.path).toBe('claims[2].check');
    expect(atMostOnce.message).toBe('unknown key "degraded" at claims[2].check');
    expect(rejection('{ type: conservation, probe: orders, selector: "$.orders[*].total", degraded: cache }').message).toMatch(/unknown key "degraded"/);
    expect(rejection('{ type: latency, entrypoint: stock, percentile: 99, thresholdMs: 50, phase: fault, degraded: "" }').path).toBe('claims[2].check.degraded');
  });
});
