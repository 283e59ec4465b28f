import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRng, pickWeighted } from '../../../runners/execute/workload/rng.js';
import { checkTemplate, parseExpr, renderString, renderTemplate, renderUrl } from '../../../runners/execute/workload/template.js';
import { isFaultlineError } from '../../../base/errors.js';

describe('seeded RNG', () => {
  it('yields the same sequence for the same seed and a different one for another seed', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const c = seededRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it('makes version-4 shaped uuids', () => {
    const u = seededRng(1).uuid();
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps int() inside its inclusive bounds for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, lo, span) => {
        const v = seededRng(seed).int(lo, lo + span);
        return Number.isInteger(v) && v >= lo && v <= lo + span;
      }),
    );
  });

  it('never picks a zero-weight entrypoint when another has weight', () => {
    const rng = seededRng(7);
    const picks = Array.from({ length: 200 }, () => pickWeighted(rng, [{ name: 'a', weight: 0 }, { name: 'b', weight: 1 }]).name);
    expect(new Set(picks)).toEqual(new Set(['b']));
  });
});

describe('request templates', () => {
  const ctx = (seed = 1) => ({ rng: seededRng(seed), key: 'k-1' });

  it('renders key, int, pick and uuid inside a JSON body', () => {
    const body = renderTemplate({ orderKey: '{{key}}', qty: '{{int 1 3}}', sku: '{{pick a b}}', note: 'id={{uuid}}', n: 5 }, ctx()) as Record<string, unknown>;
    expect(body.orderKey).toBe('k-1');
    expect([1, 2, 3]).toContain(body.qty);
    expect(['a', 'b']).toContain(body.sku);
    expect(body.note).toMatch(/^id=[0-9a-f-]{36}$/);
    expect(body.n).toBe(5);
  });

  it('replays recorded resource choices in order while uuids and the key stay fresh', () => {
    const t = { seat: '{{int 1 1000000}}', row: '{{pick a b c d e f g h}}', id: '{{uuid}}', key: '{{key}}' };
    const first = { drawn: [] as (string | number)[] };
    const a = renderTemplate(t, { rng: seededRng(1), key: 'k-1', choices: first }) as Record<string, unknown>;
    expect(first.drawn).toEqual([a.seat, a.row]);
    const again = { drawn: [] as (string | number)[], replay: first.drawn };
    const b = renderTemplate(t, { rng: seededRng(2), key: 'k-2', choices: again }) as Record<string, unknown>;
    expect([b.seat, b.row]).toEqual([a.seat, a.row]);
    expect(b.id).not.toBe(a.id);
    expect(b.key).toBe('k-2');
    expect(again.drawn).toEqual(first.drawn);
  });

  it('renders the same output for the same seed', () => {
    const t = { a: ['{{uuid}}', '{{int 0 1000000}}'], b: 'x{{pick p q r}}y' };
    expect(renderTemplate(t, ctx(9))).toEqual(renderTemplate(t, ctx(9)));
  });

  it('rejects an unknown expression naming it and its path', () => {
    try {
      checkTemplate({ a: { b: 'x {{nope 1}}' } });
      expect.unreachable();
    } catch (err) {
      expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
      expect((err as Error).message).toContain('$.a.b');
      expect((err as Error).message).toContain('{{nope 1}}');
    }
  });

  it('rejects int with min above max', () => {
    expect(() => parseExpr('int 5 1')).toThrow(/int a b/);
  });

  it('leaves strings without expressions unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes('{{')), (s) => renderString(s, ctx()) === s),
    );
  });

  it('renders any well-formed int expression to an integer in range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.nat(1e6), fc.integer(), (lo, span, seed) => {
        const v = renderString(`{{ int ${lo} ${lo + span} }}`, ctx(seed));
        return typeof v === 'number' && v >= lo && v <= lo + span;
      }),
    );
  });

  it('either renders or throws BAD_INPUT for arbitrary expression text, never anything else (property)', () => {
    fc.assert(
      fc.property(fc.string(), (inner) => {
        try {
          renderString(`pre {{${inner.replace(/[{}]/g, '')}}} post`, ctx());
          return true;
        } catch (err) {
          return isFaultlineError(err, 'BAD_INPUT');
        }
      }),
    );
  });
});

describe('URL templates', () => {
  it('renders placeholders in a URL and percent-encodes each value', () => {
    const ctx = { rng: seededRng(3), key: 'k 1/2' };
    const url = renderUrl('http://h/stock/{{pick sku-1 sku-2}}?k={{key}}', ctx);
    expect(url).toMatch(/^http:\/\/h\/stock\/sku-[12]\?k=k%201%2F2$/);
  });
  it('hands back the values it substituted, unencoded and in order: the resource the request addresses', () => {
    const drawn: string[] = [];
    const url = renderUrl('http://h/accounts/acc-{{int 7 7}}/items/{{pick a/b}}', { rng: seededRng(3), key: 'k' }, drawn);
    expect(drawn).toEqual(['7', 'a/b']);
    expect(url).toBe('http://h/accounts/acc-7/items/a%2Fb');
  });
});
