import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../graph/builder.js';
import { exportJson } from '../../graph/export-json.js';
import { mermaidText, toMermaid } from '../../graph/mermaid.js';
import { dotString, toDot } from '../../graph/dot.js';
import { rankRisks } from '../../graph/risk.js';
import { hop, root, span } from './span-factory.js';

function sample() {
  const b = new GraphBuilder({ now: () => new Date('2026-01-01T00:00:00Z') });
  for (let t = 0; t < 10; t++) {
    const r = root(`t${t}`, 'shop');
    const [c, s] = hop(`t${t}`, 'shop', 'orders', { parent: r.spanId, durationMs: 40, status: t < 3 ? 'error' : 'unset' });
    b.add([
      r, c, s,
      span({ traceId: `t${t}`, service: 'orders', kind: 'client', parentSpanId: s.spanId, durationUs: 2000, attributes: { dbSystem: 'postgresql', dbName: 'orders' } }),
      span({ traceId: `t${t}`, service: 'orders', kind: 'client', parentSpanId: s.spanId, attributes: { dbSystem: 'redis' } }),
      span({ traceId: `t${t}`, service: 'orders', kind: 'producer', parentSpanId: s.spanId, attributes: { messagingSystem: 'kafka', messagingDestination: 'events' } }),
      span({ traceId: `t${t}`, service: 'orders', kind: 'client', parentSpanId: s.spanId, attributes: { peerService: 'stripe "pay" <x>\nnext' } }),
    ]);
  }
  const snap = b.snapshot();
  return { snap, ranking: rankRisks(snap) };
}

describe('Mermaid export', () => {
  it('draws a flowchart with a shape per node type and labelled edges', () => {
    const { snap, ranking } = sample();
    const out = toMermaid(snap, { ranking, highlight: 1 });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines.slice(1, 6)).toEqual(['  n0>"kafka:events"]', '  n1["orders"]', '  n2[("postgresql:orders")]', '  n3{{"redis"}}', '  n4["shop"]']);
    expect(lines[6]).toBe('  n5(["stripe #34;pay#34; #60;x#62;#10;next"])');
    expect(lines).toContain('  n1 -.->|"10 calls, 0% err, p99 1.0ms"| n0');
    expect(lines).toContain('  n1 -->|"10 calls, 0% err, p99 2.0ms"| n2');
    expect(lines).toContain('  n4 -->|"10 calls, 30.0% err, p99 40ms"| n1');
    // the top risk (shop→orders, 30% failed) is the 5th link: highlighted with its two nodes
    expect(lines.slice(-2)).toEqual(['  class n4,n1 risk', '  linkStyle 4 stroke:#d00,stroke-width:3px']);
  });

  it('escapes untrusted names into entity codes so they cannot break the syntax', () => {
    const { snap } = sample();
    const out = toMermaid(snap);
    expect(mermaidText('a"b<c>|d')).toBe('"a#34;b#60;c#62;#124;d"');
    expect(out).toContain('(["stripe #34;pay#34; #60;x#62;#10;next"])');
    for (const line of out.trim().split('\n').slice(1)) expect(line).not.toContain('\n');
  });
});

describe('DOT export', () => {
  it('writes a digraph with shapes, dashed async edges and red top risks', () => {
    const { snap, ranking } = sample();
    const out = toDot(snap, { ranking, highlight: 1 });
    expect(out.startsWith('digraph faultline {\n  rankdir=LR;')).toBe(true);
    expect(out).toContain('  n2 [label="postgresql:orders", shape=cylinder, style=dashed];');
    expect(out).toContain('  n3 [label="redis", shape=hexagon, style=dashed];');
    expect(out).toContain('  n1 -> n0 [label="10 calls, 0% err, p99 1.0ms", style=dashed];');
    expect(out.split('\n').filter((l) => l.includes('color=red'))).toEqual(['  n4 -> n1 [label="10 calls, 30.0% err, p99 40ms", color=red, penwidth=3];']);
    expect(out.trim().endsWith('}')).toBe(true);
  });

  it('escapes quotes, backslashes and newlines in labels', () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    const { snap } = sample();
    expect(toDot(snap)).toContain('label="stripe \\"pay\\" <x>\\nnext", shape=ellipse');
  });
});

describe('JSON export', () => {
  it('round-trips the snapshot and ranking in one versioned document', () => {
    const { snap, ranking } = sample();
    const doc = JSON.parse(exportJson(snap, ranking));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.graph).toEqual(snap);
    expect(doc.ranking.items[0]).toEqual(ranking.items[0]);
    expect(doc.graph.edges.map((e: { id: string }) => e.id)).toContain('orders->stripe "pay" <x>\nnext');
  });
});
