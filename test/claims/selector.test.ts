import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../base/errors.js';
import { evaluateSelector, parseSelector } from '../../claims/selector.js';

const doc = {
  orders: [
    { requestKey: 'k1', qty: 2 },
    { requestKey: 'k2', qty: 3 },
    { other: true },
  ],
  count: 7,
  'x-y': { z: 1 },
  nested: { a: { requestKey: 'deep' } },
};

describe('evaluateSelector', () => {
  it('selects a member path', () => {
    expect(evaluateSelector(doc, '$.count')).toEqual([7]);
  });
  it('maps a wildcard over an array and skips records without the member', () => {
    expect(evaluateSelector(doc, '$.orders[*].requestKey')).toEqual(['k1', 'k2']);
  });
  it('selects an array element by index', () => {
    expect(evaluateSelector(doc, '$.orders[1].qty')).toEqual([3]);
    expect(evaluateSelector(doc, '$.orders[9]')).toEqual([]);
  });
  it('selects a quoted member with a hyphen', () => {
    expect(evaluateSelector(doc, "$['x-y'].z")).toEqual([1]);
    expect(evaluateSelector(doc, '$["x-y"]["z"]')).toEqual([1]);
  });
  it('descends recursively with ..', () => {
    expect(evaluateSelector(doc, '$..requestKey')).toEqual(['k1', 'k2', 'deep']);
  });
  it('returns the document for $', () => {
    expect(evaluateSelector(doc, '$')).toEqual([doc]);
  });

  it.each(['orders', '$.', '$[', '$[*', "$['x", '$.orders[-1]', '$.orders[01]', '$..', '$ .a', '$.1a', '$[abc]'])(
    'rejects malformed selector %j with BAD_INPUT naming it',
    (sel) => {
      try {
        parseSelector(sel);
        expect.unreachable();
      } catch (err) {
        expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
        expect((err as Error).message).toContain(JSON.stringify(sel));
      }
    },
  );

  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/);
  const segment = fc.oneof(
    name.map((n) => ({ kind: 'member' as const, name: n })),
    fc.string({ maxLength: 6 }).map((n) => ({ kind: 'quoted' as const, name: n })),
    fc.nat(4).map((i) => ({ kind: 'index' as const, index: i })),
  );

  it('finds a value planted at any generated path (property)', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.integer(), (segs, leaf) => {
        // Build the document from the leaf up, and the selector text from the root down.
        let value: unknown = { leaf };
        for (const s of [...segs].reverse()) {
          if (s.kind === 'index') {
            const arr: unknown[] = new Array(s.index + 1).fill(null);
            arr[s.index] = value;
            value = arr;
          } else value = { [s.name]: value };
        }
        const text =
          '$' +
          segs
            .map((s) => (s.kind === 'member' ? `.${s.name}` : s.kind === 'index' ? `[${s.index}]` : `['${s.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`))
            .join('') +
          '.leaf';
        expect(evaluateSelector(value, text)).toEqual([leaf]);
      }),
    );
  });

  it('maps [*] over every record that has the member (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer(), { nil: undefined })), (vals) => {
        const d = { items: vals.map((v) => (v === undefined ? { other: 1 } : { v })) };
        expect(evaluateSelector(d, '$.items[*].v')).toEqual(vals.filter((v) => v !== undefined));
      }),
    );
  });

  it('either parses or throws BAD_INPUT for any string, never anything else (property)', () => {
    fc.assert(
      fc.property(fc.tuple(fc.boolean(), fc.string({ maxLength: 20 })).map(([root, s]) => (root ? `$${s}` : s)), (s) => {
        try {
          const segs = parseSelector(s);
          expect(Array.isArray(segs)).toBe(true);
        } catch (err) {
          expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
        }
      }),
    );
  });
});
