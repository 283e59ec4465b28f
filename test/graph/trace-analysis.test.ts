import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseTrace } from '../../graph/trace-analysis.js';
import type { Span } from '../../ingest/span.js';
import { hop, root } from './span-factory.js';

/** A chain entry → s0 → s1 → … → s(hops-1): one root plus a client/server pair per hop. */
function chain(traceId: string, hops: number): Span[] {
  const spans: Span[] = [root(traceId, 'entry', '/go', 'GET')];
  let parent = spans[0].spanId;
  let from = 'entry';
  for (let i = 0; i < hops; i++) {
    const [c, s] = hop(traceId, from, `s${i}`, { parent });
    spans.push(c, s);
    parent = s.spanId;
    from = `s${i}`;
  }
  return spans;
}

describe('analyseTrace', () => {
  it('pairs every hop of a chain, in any span order, for traces below and above the id-scan limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1000 }), fc.boolean(), (hops, seed, duplicate) => {
        const spans = chain('t-prop', hops);
        // Deterministic shuffle from the seed: analysis must not depend on arrival order.
        const order = spans.map((s, i) => ({ s, k: (i * 7919 + seed * 104729) % 1000003 })).sort((a, b) => a.k - b.k).map((x) => x.s);
        if (duplicate) order.push({ ...order[seed % order.length] });
        const facts = analyseTrace(order);
        const pairs = facts.calls.map((c) => `${c.source}->${c.target}`).sort();
        const expected = Array.from({ length: hops }, (_, i) => `${i === 0 ? 'entry' : `s${i - 1}`}->s${i}`).sort();
        expect(pairs).toEqual(expected);
        expect(facts.entrypoints.map((e) => e.id)).toEqual(['entry GET /go']);
        expect(facts.calls.every((c) => c.entrypoint === 'entry GET /go')).toBe(true);
        expect([...facts.warnings]).toEqual(duplicate ? [['duplicate span id in trace: later copy ignored', 1]] : []);
      }),
      { numRuns: 120 },
    );
  });

  it('gives a call dialling host and port the address "host:port", the same string for repeated calls', () => {
    const spans = chain('t-addr', 3);
    for (const s of spans) if (s.kind === 'client') s.attributes = { ...s.attributes, serverAddress: 'orders', serverPort: 8080 };
    const a = analyseTrace(spans).calls.map((c) => c.serverAddress);
    expect(a).toEqual(['orders:8080', 'orders:8080', 'orders:8080']);
  });
});
