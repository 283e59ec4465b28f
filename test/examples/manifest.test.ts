import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { buildDemoManifest, DEMO_DIR } from '../../examples/demo/manifest.js';
import { DEMO_LINKS, demoEdges, throughProxy } from '../../examples/demo/topology.js';
import { loadManifest } from '../../generators/manifest-loader.js';

describe('demo manifest', () => {
  const proxies = DEMO_LINKS.map((l, i) => ({ name: l.proxy, listen: `127.0.0.1:${30001 + i}`, upstream: '127.0.0.1:1', edge: l.edge }));
  const manifest = buildDemoManifest({
    gatewayUrl: 'http://127.0.0.1:40000',
    serviceUrls: { orders: 'http://127.0.0.1:40001', payments: 'http://127.0.0.1:40002', inventory: 'http://127.0.0.1:40003', notifications: 'http://127.0.0.1:40004' },
    toxiproxyUrl: 'http://127.0.0.1:40005',
    proxies,
  });

  it('passes faultline\'s own manifest validation with the five claims from claims.yaml', () => {
    expect(manifest.claims.map((c) => c.id)).toEqual([
      'checkout_p99_under_1000ms_during_fault',
      'charge_at_most_once_per_checkout',
      'checkout_recovers_within_5s',
      'stock_reads_available_while_cache_degraded',
      'every_acknowledged_checkout_gets_an_email',
    ]);
    expect(manifest.claims.map((c) => c.check.type)).toEqual(['latency', 'at-most-once', 'recovery', 'availability', 'no-lost-ack']);
    expect(manifest.entrypoints.map((e) => e.name)).toEqual(['checkout', 'stock', 'order']);
    expect(manifest.entrypoints[0]).toMatchObject({ url: 'http://127.0.0.1:40000/checkout', idempotencyHeader: 'Idempotency-Key' });
    expect(manifest.probes.find((p) => p.name === 'charges')).toEqual({ name: 'charges', type: 'http', url: 'http://127.0.0.1:40002/debug/charges', service: 'payments' });
    expect(manifest.phases).toEqual({ baselineMs: 2000, faultMs: 4000, recoveryMs: 5000 });
    expect(manifest.hooks.beforeScenario).toEqual([{ method: 'POST', url: expect.stringMatching(/\/debug\/reset$/) }]);
    expect(manifest.toxiproxy.url).toBe('http://127.0.0.1:40005');
    expect(manifest.proxies).toHaveLength(7);
  });

  it('has a proxy for every real edge of the topology', () => {
    expect(manifest.proxies.map((p) => `${p.edge.from}->${p.edge.to}`).sort()).toEqual(demoEdges().map((e) => `${e.from}->${e.to}`).sort());
  });

  it('the static docker-compose manifest loads and names the same proxies, probes and claims', () => {
    const fromFile = loadManifest(join(DEMO_DIR, 'faultline.yaml'));
    expect(fromFile.proxies.map((p) => [p.name, p.edge])).toEqual(manifest.proxies.map((p) => [p.name, p.edge]));
    expect(fromFile.probes.map((p) => [p.name, p.service])).toEqual(manifest.probes.map((p) => [p.name, p.service]));
    expect(fromFile.entrypoints.map((e) => [e.name, e.traceEntrypoint])).toEqual(manifest.entrypoints.map((e) => [e.name, e.traceEntrypoint]));
    expect(fromFile.claims).toEqual(manifest.claims);
    expect(fromFile.toxiproxy.url).toBe('http://toxiproxy:8474');
  });

  it('routes a caller through its proxy keeping scheme, credentials and database', () => {
    expect(throughProxy('redis://:secret@10.0.0.5:6380/2', { host: '127.0.0.1', port: 31000 })).toBe('redis://:secret@127.0.0.1:31000/2');
    expect(throughProxy('http://127.0.0.1:4000', { host: '127.0.0.1', port: 31001 })).toBe('http://127.0.0.1:31001');
  });
});
