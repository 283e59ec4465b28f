/**
 * `faultline graph --svg/--html`: a static picture with the risk scale and
 * one self-contained page, laid out by Graphviz in WebAssembly.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { riskColour, riskDot } from '../../../src/cli/graph-picture.js';
import { traceFixture } from '../../support/fixtures.js';
import { ranking, snapshot } from '../fakes.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-graph-picture-'));
  copyFileSync(traceFixture('jaeger-trace.tracegraph-testTrace.json'), join(dir, 'traces.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, cwd: dir, config: (o) => loadConfig({}, o) };
}

describe('graph pictures', () => {
  it('writes an SVG with one edge per graph edge, coloured on the risk scale, and a legend', async () => {
    const io = cli();
    expect(await main(['graph', 'traces.json', '--svg', 'graph.svg', '--json'], io)).toBe(0);
    const doc = JSON.parse(io.stdout.join('\n')) as { graph: { edges: unknown[] } };
    const svg = readFileSync(join(dir, 'graph.svg'), 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: unknown };
    expect(parsed.svg).toBeDefined();
    expect(svg.match(/<g id="edge\d+" class="edge">/g)).toHaveLength(doc.graph.edges.length);
    expect(svg).toContain('risk score');
    expect(svg).toContain(riskColour(100));
    expect(io.stderr.join('\n')).toContain('wrote graph.svg');
  });

  it('writes a self-contained HTML page with the picture and the risk table', async () => {
    const io = cli();
    expect(await main(['graph', 'traces.json', '--html', 'graph.html'], io)).toBe(0);
    const page = readFileSync(join(dir, 'graph.html'), 'utf8');
    expect(page.match(/<svg\b/g)).toHaveLength(1);
    expect(page).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=/i);
    expect(page).not.toMatch(/<\?xml|<!DOCTYPE svg/i);
    expect(page).toMatch(/<h2>Top risks<\/h2>[\s\S]*<tbody>\s*<tr><td>1<\/td>/);
    // The table still goes to stdout as without --html.
    expect(io.stdout[0]).toMatch(/^#\s+item\s+score/);
  });

  it('colours 0 green, 50 amber and 100 red, continuously in between', () => {
    expect(riskColour(0)).toBe('#2ea043');
    expect(riskColour(50)).toBe('#e6a000');
    expect(riskColour(100)).toBe('#d22828');
    expect(riskColour(75)).not.toBe(riskColour(74));
    expect(riskColour(-5)).toBe(riskColour(0));
    expect(riskColour(Number.NaN)).toBe(riskColour(0));
  });

  it('quotes hostile service names in the DOT it lays out', () => {
    const snap = snapshot(['front->pay"]; evil [label="x\u001b[2J']);
    const dot = riskDot(snap, ranking(snap.edges.map((e) => e.id)));
    expect(dot).not.toContain('\u001b');
    expect(dot).toContain('label="pay\\"]; evil [label=\\"x"');
  });
});
