/**
 * Terminal injection (issue 12, item 10): telemetry text such as a
 * `peer.service` holding `ESC]0;…BEL ESC[2J` reaches `faultline graph`'s
 * table, warnings and exports as text only — never as a sequence the
 * terminal obeys — and the table fits the terminal it is printed on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIO } from '../../../src/cli/command.js';
import { loadConfig } from '../../../src/config.js';
import { displayWidth } from '../../../src/cli/table-cell.js';

const ESC = '\u001b';
const HOSTILE = `pay${ESC}]0;pwned by telemetry\u0007${ESC}[2Jments`;
let dir: string;

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
function span(traceId: string, spanId: string, parent: string | undefined, kind: number, name: string, attrs: ReturnType<typeof attr>[], startMs: number, ms: number) {
  const ns = (t: number) => String(BigInt(1_700_000_000_000 + t) * 1_000_000n);
  return { traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), kind, name, startTimeUnixNano: ns(startMs), endTimeUnixNano: ns(startMs + ms), attributes: attrs, status: {} };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-graph-tty-'));
  const spans = [];
  for (let i = 0; i < 20; i++) {
    const t = (i + 1).toString(16).padStart(32, '0');
    spans.push(span(t, `a${i.toString(16).padStart(15, '0')}`, undefined, 2, 'POST /checkout', [attr('http.request.method', 'POST'), attr('http.route', '/checkout')], i * 100, 50));
    spans.push(span(t, `b${i.toString(16).padStart(15, '0')}`, `a${i.toString(16).padStart(15, '0')}`, 3, 'POST', [attr('http.request.method', 'POST'), attr('peer.service', HOSTILE), attr('server.address', 'payments.internal')], i * 100 + 5, 40));
  }
  const doc = { resourceSpans: [{ resource: { attributes: [attr('service.name', 'orders')] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] };
  writeFileSync(join(dir, 'hostile.json'), JSON.stringify(doc));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(terminal?: CliIO['terminal']): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: Boolean(terminal), terminal, cwd: dir, config: (o) => loadConfig({}, o) };
}

describe('faultline graph on hostile telemetry', () => {
  it('prints the peer.service as text: no escape sequence reaches the terminal', async () => {
    const io = cli({ columns: 100, color: true });
    expect(await main(['graph', 'hostile.json'], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('orders->payments');
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u0007');
    expect(io.stderr.join('\n')).not.toContain(ESC);
  });

  it('fits the risk table to the terminal width, keeping the item whole', async () => {
    const io = cli({ columns: 80, color: false });
    expect(await main(['graph', 'hostile.json'], io)).toBe(0);
    const table = io.stdout[0].split('\n');
    for (const line of table) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(table.some((l) => /^\d+\s+orders->payments\s/.test(l))).toBe(true);
    // The items are the same words as without a width limit: only the factor and reason columns wrap.
    const wide = cli();
    expect(await main(['graph', 'hostile.json'], wide)).toBe(0);
    const items = (t: string) => t.split('\n').slice(2).map((l) => /^(\d+)\s+(\S.*?)\s{2}/.exec(l)?.[2]).filter(Boolean);
    expect(items(io.stdout[0])).toEqual(items(wide.stdout[0]));
    expect(table.length).toBeGreaterThan(wide.stdout[0].split('\n').length);
  });

  it('keeps escapes out of the Mermaid export too', async () => {
    const io = cli();
    expect(await main(['graph', 'hostile.json', '--mermaid'], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('"payments"');
    expect(out).not.toMatch(/#27;|pwned/);
  });
});
