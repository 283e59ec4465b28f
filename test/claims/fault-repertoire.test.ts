import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { faultOf } from '../../base/faults.js';
import type { GraphEdge } from '../../graph/model.js';
import type { ClaimCheck } from '../../claims/claim.js';
import { CLAIM_FORMS, CLAIM_TYPES } from '../../claims/forms/index.js';
import { edgeTraits, FAULT_FAMILIES, FAULT_REPERTOIRE, rankFamilies, renderRepertoire, repertoireRow, type EdgeTraits } from '../../claims/fault-repertoire.js';
import type { SizingInput } from '../../claims/fault-sizing.js';

function edge(over: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: 'orders->payments', source: 'orders', target: 'payments', mode: 'sync', protocol: 'http', calls: 1000, errors: 0, errorRate: 0,
    latency: { count: 1000, p50: 20, p95: 60, p99: 120, max: 300 }, operations: [], serverAddresses: [],
    retries: { retriedParents: 0, extraAttempts: 0, amplification: 1 }, timeout: { evidence: 'none' }, ...over,
  };
}

const CHECKS: Record<ClaimCheck['type'], ClaimCheck> = {
  latency: { type: 'latency', entrypoint: 'checkout', percentile: 99, thresholdMs: 1000, phase: 'fault' },
  availability: { type: 'availability', entrypoint: 'checkout', maxErrorRate: 0.01, phase: 'fault' },
  recovery: { type: 'recovery', entrypoint: 'checkout', withinMs: 5000 },
  'at-most-once': { type: 'at-most-once', probe: 'charges', selector: '$.charges[*].key' },
  'exactly-once': { type: 'exactly-once', probe: 'charges', selector: '$.charges[*].key' },
  'no-lost-ack': { type: 'no-lost-ack', probe: 'emails', selector: '$.emails[*].key' },
  conservation: { type: 'conservation', probe: 'stock', selector: '$.stock[*].qty' },
  'queue-order': { type: 'queue-order', probe: 'emails', selector: '$.emails[*].key' },
  linearizable: { type: 'linearizable', model: 'register', readEntrypoint: 'get', writeEntrypoint: 'put' },
};

const top = (check: ClaimCheck, traits: EdgeTraits) => rankFamilies(check, traits)[0].row.family;
const http: EdgeTraits = { mode: 'sync', callee: 'http', timeoutEvidence: false, retries: false };

describe('fault repertoire', () => {
  it('gives every claim form at least two families, and every family at least one form', () => {
    for (const t of CLAIM_TYPES) expect(CLAIM_FORMS[t].families.length, t).toBeGreaterThanOrEqual(2);
    for (const r of FAULT_REPERTOIRE) expect(Object.keys(r.falsifies).length, r.family).toBeGreaterThan(0);
    expect(new Set(FAULT_FAMILIES)).toEqual(new Set(['slow-beyond-timeout', 'slow-under-timeout', 'response-lost', 'connection-reset', 'black-hole', 'outage', 'flapping']));
  });

  it('ranks the caller timing out on a slow callee first for at-most-once and exactly-once when the edge shows a timeout', () => {
    const seen = { ...http, timeoutEvidence: true, retries: true };
    expect(top(CHECKS['at-most-once'], seen)).toBe('slow-beyond-timeout');
    expect(top(CHECKS['exactly-once'], seen)).toBe('slow-beyond-timeout');
    // Without a deadline in the traces, losing the answer is the surer way to make it re-send.
    expect(top(CHECKS['at-most-once'], http)).toBe('response-lost');
  });

  it('ranks outages first for recovery and for availability scoped to a degraded cache, and slow answers for latency', () => {
    expect(top(CHECKS.recovery, http)).toBe('outage');
    const cache: EdgeTraits = { mode: 'sync', callee: 'cache', timeoutEvidence: false, retries: false };
    expect(top({ ...CHECKS.availability, degraded: 'cache' } as ClaimCheck, cache)).toBe('outage');
    expect(top(CHECKS.latency, http)).toBe('slow-under-timeout');
    expect(top(CHECKS['no-lost-ack'], { mode: 'async', callee: 'queue', timeoutEvidence: false, retries: false })).toMatch(/^(connection-reset|outage)$/);
    expect(top(CHECKS.conservation, { ...http, callee: 'db' })).toBe('connection-reset');
  });

  it('holds calls to the deadline, not merely slows them, when the claim\'s traffic does not cross the edge', () => {
    const latency = { ...CHECKS.latency, degraded: 'fx' } as ClaimCheck;
    // On the claim's path a delay inside the deadline is what moves its percentile ...
    expect(top(latency, http)).toBe('slow-under-timeout');
    // ... off it, only what the entrypoint shares with the caller carries the fault: calls held longest starve that.
    const off = rankFamilies(latency, { ...http, offPath: true });
    expect(off[0].row.family).toBe('black-hole');
    expect(off[0].because).toContain('off the path ×1.5');
    expect(off.map((r) => r.row.family).indexOf('slow-under-timeout')).toBeGreaterThan(off.map((r) => r.row.family).indexOf('slow-beyond-timeout'));
    // Effect claims do not care whose traffic crosses the edge.
    expect(rankFamilies(CHECKS['at-most-once'], { ...http, offPath: true })).toEqual(rankFamilies(CHECKS['at-most-once'], http));
  });

  it('tries a step that times out though it was applied, and one whose answer is lost, for conservation between services', () => {
    const ranked = rankFamilies(CHECKS.conservation, http).map((r) => r.row.family);
    expect(ranked.slice(0, 2).sort()).toEqual(['connection-reset', 'slow-beyond-timeout']);
    expect(ranked).toContain('response-lost');
    expect(top(CHECKS.conservation, { ...http, timeoutEvidence: true })).toBe('slow-beyond-timeout');
  });

  it('flaps a cache in front of a linearizable register, and resets a database under one', () => {
    expect(top(CHECKS.linearizable, { mode: 'sync', callee: 'cache', timeoutEvidence: false, retries: false })).toBe('flapping');
    expect(top(CHECKS.linearizable, { mode: 'sync', callee: 'db', timeoutEvidence: false, retries: false })).not.toBe('flapping');
  });

  it('reads traits from the graph: a cache node, a messaging hop, timeout evidence and retries', () => {
    expect(edgeTraits(edge({ protocol: 'db' }), 'cache')).toEqual({ mode: 'sync', callee: 'cache', timeoutEvidence: false, retries: false });
    expect(edgeTraits(edge({ mode: 'async', protocol: 'messaging' }), 'service').callee).toBe('queue');
    expect(edgeTraits(edge({ timeout: { evidence: 'observed', cutoffMs: 300, hits: 9 }, retries: { retriedParents: 3, extraAttempts: 4, amplification: 1.004 } }))).toMatchObject({ timeoutEvidence: true, retries: true });
  });

  it('renders every row with its forms, traits and sizing rule for the LLM prompt', () => {
    const text = renderRepertoire();
    for (const r of FAULT_REPERTOIRE) expect(text).toContain(`- ${r.family} [${r.mode}]`);
    expect(text).toContain('at-most-once×3');
    expect(text).toContain('Toxicity: 1 on database, cache, queue');
  });

  const sizingInput = fc.record({
    p50: fc.integer({ min: 0, max: 5000 }),
    spread: fc.integer({ min: 0, max: 60_000 }),
    cutoff: fc.option(fc.integer({ min: 1, max: 120_000 }), { nil: undefined }),
    retried: fc.integer({ min: 0, max: 500 }),
    extra: fc.integer({ min: 0, max: 2000 }),
    callee: fc.constantFrom('http', 'rpc', 'db', 'cache', 'queue', 'other') as fc.Arbitrary<EdgeTraits['callee']>,
    mode: fc.constantFrom('sync', 'async') as fc.Arbitrary<'sync' | 'async'>,
    form: fc.constantFrom(...CLAIM_TYPES),
    threshold: fc.integer({ min: 1, max: 3_600_000 }),
    epP50: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
    epTimeout: fc.option(fc.integer({ min: 1, max: 600_000 }), { nil: undefined }),
    faultMs: fc.integer({ min: 0, max: 600_000 }),
  });

  it('sizes every family within the fault table\'s bounds, with toxicity 1 off pooled HTTP/RPC edges and a sizing sentence', () => {
    fc.assert(fc.property(sizingInput, (x) => {
      const e = edge({
        mode: x.mode,
        latency: { count: 100, p50: x.p50, p95: x.p50 + x.spread / 2, p99: x.p50 + x.spread, max: x.p50 + x.spread },
        timeout: x.cutoff === undefined ? { evidence: 'none' } : { evidence: 'observed', cutoffMs: x.cutoff, hits: 5 },
        retries: { retriedParents: x.retried, extraAttempts: x.retried > 0 ? x.extra : 0, amplification: 1 },
      });
      const check = x.form === 'latency' ? { ...CHECKS.latency, thresholdMs: x.threshold } as ClaimCheck : CHECKS[x.form];
      const input: SizingInput = {
        edge: e, traits: { ...edgeTraits(e), callee: x.callee }, check,
        ...(x.epP50 !== undefined ? { entrypoint: { p50: x.epP50, p99: x.epP50 * 2 } } : {}),
        ...(x.epTimeout !== undefined ? { entrypointTimeoutMs: x.epTimeout } : {}),
        phases: { baselineMs: 1000, faultMs: x.faultMs, recoveryMs: 1000 },
      };
      for (const family of FAULT_FAMILIES) {
        const f = repertoireRow(family).size(input);
        const def = faultOf(f.toxic);
        for (const [name, v] of Object.entries(f.attributes)) {
          const a = def.attributes[name];
          expect(a, `${family} ${name}`).toBeDefined();
          expect(Number.isInteger(v) && v >= a.min && v <= a.max, `${family} ${name}=${v}`).toBe(true);
        }
        expect(f.toxicity).toBeGreaterThan(0);
        expect(f.toxicity).toBeLessThanOrEqual(1);
        if (x.callee !== 'http' && x.callee !== 'rpc') expect(f.toxicity, family).toBe(1);
        if (f.minFaultMs !== undefined) expect(f.minFaultMs).toBeGreaterThanOrEqual(x.faultMs === 0 ? 0 : Math.min(x.faultMs, 600_000));
        expect(f.sizing).toMatch(/\d/);
      }
    }), { numRuns: 300 });
  });
});
