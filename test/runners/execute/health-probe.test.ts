import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeEntrypoint } from '../../../runners/execute/scenario/precheck.js';
import { seededRng } from '../../../runners/execute/workload/rng.js';
import type { ManifestEntrypoint } from '../../../generators/manifest.js';

/**
 * An idempotent service that broke: it still answers a request key it
 * confirmed before from its records, and fails every new one.
 */
let server: Server;
let broken = false;
const confirmed = new Set<string>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    const seen = confirmed.has(key);
    if (!broken) confirmed.add(key);
    res.writeHead(seen || !broken ? 200 : 503, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('health probe', () => {
  it('sends keys never sent before, so a broken idempotent system cannot answer from its records', async () => {
    const ep: ManifestEntrypoint = { name: 'checkout', method: 'POST', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`, body: { qty: '{{int 1 3}}' }, idempotencyHeader: 'Idempotency-Key' };
    expect((await probeEntrypoint(ep, seededRng(42), fetch)).ok).toBe(3);
    broken = true;
    // The same seed, as a same-seed re-run of the scenario would use.
    expect(await probeEntrypoint(ep, seededRng(42), fetch)).toMatchObject({ ok: 0 });
  });
});
