import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collapsePath } from '../../graph/route.js';

const segment = fc.oneof(
  fc.constantFrom('orders', 'stock', 'api', 'v1', 'users', 'checkout'),
  fc.integer({ min: 0, max: 1e9 }).map(String),
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f]{12,24}$/),
);
const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((xs) => `/${xs.join('/')}`);

describe('collapsePath', () => {
  it('collapses numeric, uuid and hex segments to {id} and keeps words', () => {
    expect(collapsePath('http://shop:8080/orders/12345/items/9f86d081884c7d65?x=1#top')).toBe('/orders/{id}/items/{id}');
    expect(collapsePath('/users/3f2b8c9e-1d2a-4b7c-9e8f-0a1b2c3d4e5f/profile')).toBe('/users/{id}/profile');
    expect(collapsePath('stock/v1')).toBe('/stock/v1');
    expect(collapsePath('https://api.example.org')).toBe('/');
  });

  it('is idempotent, starts with a slash and leaves no digit-only segment', () => {
    fc.assert(
      fc.property(path, fc.constantFrom('', 'http://h:1', 'https://x.example'), fc.constantFrom('', '?q=1', '#f'), (p, origin, tail) => {
        const once = collapsePath(`${origin}${p}${tail}`);
        expect(once.startsWith('/')).toBe(true);
        expect(collapsePath(once)).toBe(once);
        for (const seg of once.split('/')) expect(/^\d+$/.test(seg)).toBe(false);
        expect(once.split('/').length).toBe(p.split('/').length);
      }),
    );
  });
});
