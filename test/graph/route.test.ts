import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collapsePath, isIdSegment } from '../../graph/route.js';
import { RouteCardinality } from '../../graph/route-cardinality.js';
import { GraphBuilder } from '../../graph/builder.js';
import { span } from './span-factory.js';

/** Words real routes are made of: never an id, whatever else is around them. */
const WORDS = ['orders', 'stock', 'api', 'v1', 'v2', 'users', 'checkout', 'healthz', 'readyz', 'metrics', 'items', 'search', 'me', 'oauth2', 'v1beta1', 'login'];

const segment = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.integer({ min: 0, max: 1e9 }).map(String),
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f]{12,24}$/),
  fc.stringMatching(/^[a-z]{1,4}-[0-9]{1,6}$/),
  fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
  fc.constantFrom('{id}', ':id', '{orderId}'),
);
const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((xs) => `/${xs.join('/')}`);

describe('collapsePath', () => {
  it('collapses numeric, uuid and hex segments to {id} and keeps words', () => {
    expect(collapsePath('http://shop:8080/orders/12345/items/9f86d081884c7d65?x=1#top')).toBe('/orders/{id}/items/{id}');
    expect(collapsePath('/users/3f2b8c9e-1d2a-4b7c-9e8f-0a1b2c3d4e5f/profile')).toBe('/users/{id}/profile');
    expect(collapsePath('stock/v1')).toBe('/stock/v1');
    expect(collapsePath('https://api.example.org')).toBe('/');
  });

  it('collapses prefixed ids, ULIDs, emails and dates but keeps versions and words with a small number', () => {
    expect(collapsePath('/users/u-007')).toBe('/users/{id}');
    expect(collapsePath('/orders/ord-12/items/SKU_4411')).toBe('/orders/{id}/items/{id}');
    expect(collapsePath('/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('/jobs/{id}');
    expect(collapsePath('/accounts/alice@example.com/settings')).toBe('/accounts/{id}/settings');
    expect(collapsePath('/accounts/alice%40example.com')).toBe('/accounts/{id}');
    expect(collapsePath('/reports/2024-05-01')).toBe('/reports/{id}');
    expect(collapsePath('/api/v1/healthz')).toBe('/api/v1/healthz');
    expect(collapsePath('/api/v2.1/oauth2/token')).toBe('/api/v2.1/oauth2/token');
    expect(collapsePath('/apis/apps/v1beta1/deployments')).toBe('/apis/apps/v1beta1/deployments');
  });

  it('is idempotent, starts with a slash, keeps the segment count and leaves no digit-only segment', () => {
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

  it('never templates a segment made only of route words', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), (words) => {
        for (const w of words) expect(isIdSegment(w)).toBe(false);
        expect(collapsePath(`/${words.join('/')}`)).toBe(`/${words.join('/')}`);
      }),
    );
  });
});

describe('RouteCardinality', () => {
  function counts(routes: [string, number][]): Map<string, number> {
    return new Map(routes);
  }

  it('templates a position under one parent when its values are many and mostly unique', () => {
    const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj'];
    const routes = counts([...names.map((n): [string, number] => [`/users/${n}`, 1]), ...names.map((n): [string, number] => [`/users/${n}/orders`, 1]), ['/users', 40]]);
    const mapping = new RouteCardinality().fold('shop GET', routes);
    expect(mapping.get('/users/alice')).toBe('/users/{id}');
    expect(mapping.get('/users/niaj/orders')).toBe('/users/{id}/orders');
    expect(mapping.has('/users')).toBe(false);
  });

  it('keeps few or frequently repeated siblings, and never templates the first segment', () => {
    const collections = ['users', 'orders', 'stock', 'carts', 'payments', 'refunds', 'invoices', 'shipments', 'returns', 'reviews', 'coupons', 'wishlists'];
    const routes = counts([
      ...collections.map((c): [string, number] => [`/api/v1/${c}`, 30]),
      ...collections.map((c): [string, number] => [`/${c}`, 1]),
      ['/healthz', 1],
      ['/users/alice', 1], ['/users/bob', 1], ['/users/me', 5],
    ]);
    expect(new RouteCardinality().fold('shop GET', routes).size).toBe(0);
  });

  it('remembers a templated position for routes that arrive later, per scope', () => {
    const rc = new RouteCardinality();
    const names = Array.from({ length: 12 }, (_, i) => `/tags/${'abcdefghijklmnop'[i]}name`);
    rc.fold('shop GET', counts(names.map((n) => [n, 1])));
    expect(rc.fold('shop GET', counts([['/tags/zeta', 3]])).get('/tags/zeta')).toBe('/tags/{id}');
    expect(rc.fold('shop POST', counts([['/tags/zeta', 3]])).size).toBe(0);
  });
});

describe('entrypoints of traffic without http.route', () => {
  function request(traceId: string, url: string, method = 'GET') {
    return span({ traceId, service: 'web', kind: 'server', operation: method, attributes: { httpMethod: method, urlPath: url } });
  }

  it('groups one endpoint hit with 65 prefixed ids into one entrypoint', () => {
    const b = new GraphBuilder();
    for (let i = 0; i < 65; i++) b.add([request(`t${i}`, `http://web:8080/users/u-${String(i).padStart(3, '0')}`)]);
    const snap = b.snapshot();
    expect(snap.entrypoints.map((e) => [e.id, e.calls])).toEqual([['web GET /users/{id}', 65]]);
  });

  it('groups slugs by observed cardinality, merging their statistics and crossings', () => {
    const b = new GraphBuilder();
    const slugs = ['red-shoe', 'blue-hat', 'green-scarf', 'black-coat', 'white-sock', 'grey-belt', 'pink-tie', 'tan-boot', 'navy-cap', 'gold-ring', 'teal-bag', 'rose-pin'];
    slugs.forEach((s, i) => {
      const r = request(`p${i}`, `/products/${s}`);
      const c = span({ traceId: `p${i}`, service: 'web', kind: 'client', parentSpanId: r.spanId, attributes: { dbSystem: 'postgresql', dbName: 'shop' } });
      b.add([r, c]);
    });
    b.add([request('h1', '/healthz'), request('h2', '/healthz')]);
    const snap = b.snapshot();
    expect(snap.entrypoints.map((e) => [e.id, e.calls, e.latency.count])).toEqual([['web GET /products/{id}', 12, 12], ['web GET /healthz', 2, 2]]);
    expect(snap.crossings['web->postgresql:shop']).toEqual({ 'web GET /products/{id}': 12 });
  });
});
