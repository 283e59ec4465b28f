import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseHexId, normaliseId } from '../../ingest/ids.js';
import type { Span } from '../../ingest/span.js';
import { DuplicateGuard, ORPHAN_SPAN, rootOrphans } from '../../ingest/trace-repair.js';
import { IngestWarnings } from '../../ingest/warnings.js';

// Few distinct ids, so sequences repeat pairs and share span ids across traces.
const traceArb = fc.constantFrom('t1', 't2', 't3');
const spanArb = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `s${i}`));

const span = (traceId: string, spanId: string, parentSpanId?: string): Span => ({
  traceId, spanId, parentSpanId, service: 'svc', operation: 'op', kind: 'internal', startUs: 1, durationUs: 1, status: 'unset', attributes: {},
});

describe('duplicate guard', () => {
  it('flags exactly the repeated (trace, span) pairs, in short documents and long ones', () => {
    fc.assert(fc.property(fc.array(fc.tuple(traceArb, spanArb), { maxLength: 120 }), (pairs) => {
      const guard = new DuplicateGuard();
      const seen = new Set<string>();
      for (const [t, s] of pairs) {
        const key = `${t}/${s}`;
        expect(guard.seen(t, s)).toBe(seen.has(key));
        seen.add(key);
      }
    }), { numRuns: 300 });
  });
});

describe('orphan repair', () => {
  it('roots exactly the spans whose parent is not in their trace, in small traces and large ones', () => {
    const spansArb = fc.array(fc.tuple(traceArb, spanArb, fc.option(spanArb, { nil: undefined })), { maxLength: 80 });
    fc.assert(fc.property(spansArb, (rows) => {
      const spans = rows.map(([t, s, p]) => span(t, s, p));
      const present = new Set(rows.map(([t, s]) => `${t}/${s}`));
      const expected = rows.map(([t, , p]) => (p !== undefined && present.has(`${t}/${p}`) ? p : undefined));
      const orphans = rows.filter(([t, , p]) => p !== undefined && !present.has(`${t}/${p}`)).length;
      const w = new IngestWarnings();
      rootOrphans(spans, w);
      expect(spans.map((s) => s.parentSpanId)).toEqual(expected);
      expect(w.toJSON()[ORPHAN_SPAN] ?? 0).toBe(orphans);
    }), { numRuns: 300 });
  });
});

describe('id normalisation', () => {
  const idChars = fc.constantFrom(...'0123456789abcdefABCDEFxyz-+/=İ'.split(''));
  const idArb = fc.array(idChars, { minLength: 1, maxLength: 34 }).map((cs) => cs.join(''));

  it('lower-cases hex ids, decodes 12- and 24-character base64 ones, and keeps anything else as it is', () => {
    fc.assert(fc.property(idArb, (raw) => {
      const hex = /^[0-9a-fA-F]+$/.test(raw);
      const base64 = !hex && (raw.length === 12 || raw.length === 24) && /^[A-Za-z0-9+/]+={0,2}$/.test(raw);
      const want = hex ? raw.toLowerCase() : base64 ? Buffer.from(raw, 'base64').toString('hex') : raw;
      expect(normaliseId(raw)).toBe(want);
      expect(normaliseHexId(raw)).toBe(hex ? raw.toLowerCase() : raw);
    }), { numRuns: 500 });
  });
});
