import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import { DEFAULT_WEIGHTS, normalise, rankRisks, scoreOf } from '../../graph/risk.js';
import type { GraphSnapshot } from '../../graph/model.js';
import { hop, root } from './span-factory.js';

/** 20 checkout requests: shop→orders, orders→payments and orders→inventory, with knobs per edge. */
function shop(opts: { retryPayments?: boolean; failInventory?: number } = {}): GraphSnapshot {
  const b = new GraphBuilder();
  for (let t = 0; t < 20; t++) {
    const id = `c${t}`;
    const r = root(id, 'shop', '/checkout');
    const [c1, s1] = hop(id, 'shop', 'orders', { parent: r.spanId, durationMs: 30 });
    b.add([r, c1, s1]);
    const attempts = opts.retryPayments && t % 2 === 0 ? 3 : 1;
    for (let i = 0; i < attempts; i++) b.add(hop(id, 'orders', 'payments', { parent: s1.spanId, durationMs: 10, operation: 'charge', atMs: i * 15 }));
    b.add(hop(id, 'orders', 'inventory', { parent: s1.spanId, durationMs: 10, status: t < (opts.failInventory ?? 0) ? 'error' : 'unset' }));
  }
  for (let t = 0; t < 20; t++) {
    const r = root(`b${t}`, 'shop', '/browse', 'GET');
    b.add([r, ...hop(`b${t}`, 'shop', 'catalog', { parent: r.spanId, durationMs: 5 })]);
  }
  return b.snapshot();
}

const item = (snap: GraphSnapshot, id: string, history?: Record<string, number>) => rankRisks(snap, { history }).items.find((i) => i.id === id)!;

describe('rankRisks', () => {
  it('ranks an edge with retries above one without', () => {
    const snap = shop({ retryPayments: true });
    const payments = item(snap, 'orders->payments');
    const inventory = item(snap, 'orders->inventory');
    expect(payments.factors.retryAmplification).toBe(2); // 10 parents × 3 + 10 × 1 = 40 calls for 20 logical ones
    expect(payments.score).toBeGreaterThan(inventory.score);
    expect(payments.reason).toContain('10 callers retried (20 extra attempts');
  });

  it('ranks an edge with failures above a clean one and explains it with checkable numbers', () => {
    const snap = shop({ failInventory: 5 });
    const ranking = rankRisks(snap);
    const edges = ranking.items.filter((i) => i.kind === 'edge').map((i) => i.id);
    expect(edges[0]).toBe('orders->inventory');
    const inv = ranking.items.find((i) => i.id === 'orders->inventory')!;
    expect(inv.factors).toEqual({ errorRate: 0.25, tailRatio: 1, blastRadius: 0.5, retryAmplification: 1, syncWithoutTimeout: 1, depth: 0, fanOut: 0 });
    // 30·1 + 15·0 + 20·0.5 + 10·0 + 10·1 + 5·0 = 50
    expect(inv.score).toBe(50);
    expect(inv.reason).toBe('orders→inventory: 25% of 20 calls failed, p99 is 1.0× p50 (10 ms), no timeout evidence (no call in the traces was cut off at a constant) and 100% of POST /checkout traffic crosses it');
  });

  it('measures blast radius as the share of all entrypoint traces crossing the edge', () => {
    const snap = shop();
    expect(item(snap, 'shop->orders').factors.blastRadius).toBe(0.5);
    expect(item(snap, 'shop->catalog').factors.blastRadius).toBe(0.5);
    expect(item(snap, 'shop->orders').factors.fanOut).toBe(2);
    expect(item(snap, 'shop->orders').factors.depth).toBe(1);
  });

  it('scores entrypoint paths by their riskiest edge plus depth', () => {
    const snap = shop({ failInventory: 5 });
    const ranking = rankRisks(snap);
    const path = ranking.items.find((i) => i.kind === 'path' && i.entrypoint === 'shop POST /checkout')!;
    expect(path.id).toBe('shop POST /checkout => shop->orders->inventory');
    expect(path.path).toEqual(['shop', 'orders', 'inventory']);
    expect(path.edge).toBe('orders->inventory');
    expect(path.factors.depth).toBe(2);
    expect(path.score).toBe(52); // 50 + 2 per hop beyond the first
    expect(path.reason).toMatch(/^POST \/checkout on shop \(20 requests\) reaches orders→inventory in 2 hops, where 25% of 20 calls failed/);
    expect(ranking.items[0]).toBe(path);
  });

  it('boosts edges earlier sweeps flagged', () => {
    const snap = shop();
    const plain = item(snap, 'shop->catalog');
    const boosted = item(snap, 'shop->catalog', { 'shop->catalog': 1 });
    expect(boosted.factors.history).toBe(1);
    expect(boosted.score - plain.score).toBe(DEFAULT_WEIGHTS.history);
    expect(boosted.reason).toContain('earlier sweeps found it failing or inconclusive');
  });

  it('gives no points for an async edge or one with an observed timeout', () => {
    const base = { errorRate: 0, tailRatio: 1, blastRadius: 0, retryAmplification: 1, depth: 0, fanOut: 0 };
    expect(scoreOf({ ...base, syncWithoutTimeout: 0 }, { ...DEFAULT_WEIGHTS })).toBe(0);
    expect(scoreOf({ ...base, syncWithoutTimeout: 1 }, { ...DEFAULT_WEIGHTS })).toBe(10);
    expect(normalise({ ...base, syncWithoutTimeout: 0, tailRatio: 100, errorRate: 0.5, retryAmplification: 3 })).toMatchObject({ tailRatio: 1, errorRate: 1, retryAmplification: 1 });
  });

  it('uses overridden weights and reports them', () => {
    const ranking = rankRisks(shop({ failInventory: 5 }), { weights: { blastRadius: 0, syncWithoutTimeout: 0 } });
    expect(ranking.weights.blastRadius).toBe(0);
    expect(ranking.items.find((i) => i.id === 'orders->inventory')!.score).toBe(30);
  });
});
