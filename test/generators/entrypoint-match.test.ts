import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { explainUnmatched, hostResolver, matchEntrypoints } from '../../generators/entrypoint-match.js';
import type { GraphEntrypoint } from '../../graph/model.js';
import type { ManifestEntrypoint } from '../../generators/manifest.js';
import type { Claim } from '../../claims/claim.js';
import { claimReach } from '../../generators/claim-reach.js';
import { planContext } from '../../generators/plan-context.js';
import { renderPlanMarkdown } from '../../generators/plan-render.js';
import { validatePlan } from '../../generators/plan-schema.js';
import { RulePlanGenerator } from '../../generators/rule-generator.js';
import { sampleInput } from './plan-input.js';
import { manifestYaml } from './sample-system.js';

function traced(method: string, route: string, service = 'api'): GraphEntrypoint {
  return { id: `${service} ${method} ${route}`, service, method, route, calls: 10, errors: 0, latency: { count: 10, p50: 1, p95: 2, p99: 3, max: 4 } };
}

function ep(name: string, method: string, url: string): ManifestEntrypoint {
  return { name, method, url };
}

const TRACED = [
  traced('GET', '/users/:id'),
  traced('GET', '/users/{id}/orders'),
  traced('POST', '/orders'),
  traced('GET', '/files/{name}.json'),
  traced('GET', '/api/v1/healthz'),
];

describe('matchEntrypoints', () => {
  it('ties an entrypoint to the service its URL host names when several services serve the route', () => {
    const both = [traced('GET', '/health', 'api'), traced('GET', '/health', 'billing')];
    const nodes = [
      { id: 'api', type: 'service' as const },
      { id: 'billing', type: 'service' as const, aliases: ['billing-svc', 'billing-svc:9000'] },
    ];
    const edges = [{ target: 'billing', serverAddresses: ['billing-svc:9000'] }];
    const resolve = hostResolver({ nodes, edges } as never);
    const map = matchEntrypoints([
      ep('api_health', 'GET', 'http://api:8080/health'),
      ep('billing_health', 'GET', 'http://user:pw@billing-svc:9000/health'),
      ep('anywhere', 'GET', 'http://10.1.2.3:80/health'),
    ], both, resolve);
    expect(map.get('api_health')).toEqual(['api GET /health']);
    expect(map.get('billing_health')).toEqual(['billing GET /health']);
    // A host the traces do not know narrows nothing.
    expect(map.get('anywhere')).toEqual(['api GET /health', 'billing GET /health']);
  });

  it('matches a placeholder inside a path segment to a route parameter', () => {
    const map = matchEntrypoints([ep('user', 'GET', 'http://api:8080/users/u-{{int 10 99}}'), ep('orders', 'GET', 'http://api/users/{{pick a b}}/orders?x=1')], TRACED);
    expect(map.get('user')).toEqual(['api GET /users/:id']);
    expect(map.get('orders')).toEqual(['api GET /users/{id}/orders']);
  });

  it('matches literal segments exactly and literal values to route parameters', () => {
    const map = matchEntrypoints([
      ep('health', 'GET', 'http://api/api/v1/healthz'),
      ep('user7', 'get', 'http://api/users/7'),
      ep('file', 'GET', 'http://api/files/report.json'),
      ep('wrong-method', 'PUT', 'http://api/orders'),
      ep('other-literal', 'GET', 'http://api/api/v2/healthz'),
    ], TRACED);
    expect(map.get('health')).toEqual(['api GET /api/v1/healthz']);
    expect(map.get('user7')).toEqual(['api GET /users/:id']);
    expect(map.get('file')).toEqual(['api GET /files/{name}.json']);
    expect(map.get('wrong-method')).toEqual([]);
    expect(map.get('other-literal')).toEqual([]);
  });

  it('does not let a placeholder segment stand in for a literal route segment', () => {
    // `/users/{{int 1 9}}` must not tie to a traced `/users/me`: the placeholder stands for a parameter.
    const eps = [ep('x', 'GET', 'http://api/{{pick api web}}/v1/healthz'), ep('y', 'GET', 'http://api/api/v1/health{{pick z x}}'), ep('z', 'GET', 'http://api/files/{{pick a b}}.csv')];
    const map = matchEntrypoints(eps, [...TRACED, traced('GET', '/users/me')]);
    expect(map.get('x')).toEqual([]);
    expect(map.get('y')).toEqual([]);
    expect(map.get('z')).toEqual([]);
    expect(matchEntrypoints([ep('u', 'GET', 'http://api/users/{{int 1 9}}')], [...TRACED, traced('GET', '/users/me')]).get('u')).toEqual(['api GET /users/:id']);
  });

  it('matches every URL built from a route by filling its parameters', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom('users', 'orders', 'v1'), fc.constant(':id'), fc.constant('{sku}')), { minLength: 1, maxLength: 5 }), fc.stringMatching(/^[a-z0-9-]{1,8}$/), (segs, value) => {
      const route = `/${segs.join('/')}`;
      const url = `http://h${route.replace(/:id|\{sku\}/g, value)}`;
      const templ = `http://h${route.replace(/:id|\{sku\}/g, `x-{{int 1 9}}`)}`;
      const map = matchEntrypoints([ep('a', 'GET', url), ep('b', 'GET', templ)], [traced('GET', route)]);
      expect(map.get('a')).toEqual([`api GET ${route}`]);
      expect(map.get('b')).toEqual([`api GET ${route}`]);
    }));
  });
});

describe('explainUnmatched', () => {
  it('names the closest traced routes and the first differing segment of each unmatched entrypoint', () => {
    const eps = [ep('user', 'GET', 'http://api/users/u-{{int 1 9}}'), ep('v2', 'GET', 'http://api/api/v2/healthz'), ep('put', 'PUT', 'http://api/orders')];
    const why = explainUnmatched(eps, TRACED, matchEntrypoints(eps, TRACED));
    expect(why.map((w) => w.entrypoint)).toEqual(['v2', 'put']);
    expect(why[0].closest[0]).toEqual({ id: 'api GET /api/v1/healthz', segment: 2, expected: 'v2', traced: 'v1' });
    expect(why[0].reason).toBe('GET /api/v2/healthz matches no traced route; closest: GET /api/v1/healthz (segment 2: "v2" vs "v1")');
    expect(why[1].closest[0]).toMatchObject({ id: 'api POST /orders' });
    expect(why[1].reason).toContain('method PUT vs POST');
  });

  it('says so when nothing was traced and when traceEntrypoint names an unknown id', () => {
    expect(explainUnmatched([ep('a', 'GET', 'http://h/x')], [])[0].reason).toBe('GET /x matches no traced route; the traces hold no entrypoints');
    const pinned: ManifestEntrypoint = { ...ep('b', 'GET', 'http://h/users/1'), traceEntrypoint: 'api GET /user/:id' };
    expect(explainUnmatched([pinned], TRACED)[0].reason).toContain('traceEntrypoint "api GET /user/:id" is not a traced entrypoint');
  });
});

describe('names a plan matches to the traces', () => {
  const manifest = manifestYaml
    .replace('edge: { from: orders, to: postgresql }', 'edge: { from: orders, to: postgres }')
    .replace('    edge: { from: orders, to: "kafka:order-events" }\n', '    edge: { from: orders, to: "kafka:order-events" }\n  - name: orders_to_mongo\n    listen: 127.0.0.1:21009\n    upstream: 127.0.0.1:27017\n    edge: { from: orders, to: mongodb }\n')
    .replace('url: http://127.0.0.1:9000/stock/{{int 1 100}}', 'url: http://127.0.0.1:9000/stocks/{{int 1 100}}');

  it('ties a proxy written with the db.system spelling to the traced database edge', () => {
    expect(planContext(sampleInput(manifest)).proxies.get('orders->postgresql')?.name).toBe('orders_to_postgresql');
  });

  it('scopes a degraded claim written with a dependency alias to the edges into it', () => {
    const input = sampleInput(manifest);
    const claim: Claim = { id: 'x', text: 'x', category: 'availability', source: 'user', check: { type: 'availability', entrypoint: 'checkout', maxErrorRate: 0.01, phase: 'fault', degraded: 'pg' } };
    const reach = claimReach(claim, input.snapshot, planContext(input).epMap, input.manifest.probes, input.manifest.proxies);
    expect([...reach.edges.keys()]).toEqual(['orders->postgresql']);
  });

  it('lists unmatched entrypoints and proxies with why in plan.json and plan.md', async () => {
    const plan = validatePlan(JSON.parse(JSON.stringify(await new RulePlanGenerator().generate(sampleInput(manifest)))));
    expect(plan.unmatched?.entrypoints).toEqual([{ entrypoint: 'stock', reason: 'GET /stocks/{{int 1 100}} matches no traced route; closest: GET /stock/{id} (segment 1: "stocks" vs "stock")' }]);
    expect(plan.unmatched?.proxies).toEqual([{ proxy: 'orders_to_mongo', reason: expect.stringContaining('"mongodb" names no node'), candidates: ['orders->kafka:order-events', 'orders->payments', 'orders->postgresql'] }]);
    const md = renderPlanMarkdown(plan);
    expect(md).toContain('## Entrypoints and proxies not matched to traces');
    expect(md).toContain('| `stock` | GET /stocks/{{int 1 100}} matches no traced route');
    expect(md).toContain('| `orders_to_mongo` | "mongodb" names no node of the traced graph');
  });
});
