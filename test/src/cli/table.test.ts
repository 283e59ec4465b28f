import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CELL_LINES, renderTable, tableStyle, terminalOf } from '../../../src/cli/table.js';
import { displayWidth, wrapCell } from '../../../src/cli/table-cell.js';

const ESC = '\u001b';
const longEvidence = 'checked 4,213 ops, 3 anomalies: request key k-17 charged twice after the client retried on a timeout while payments was slow; toxic latency touched 212 connections';
const rows = [
  ['checkout_at_most_once_under_payments_latency', 'FAIL-reproducible', 'SUT', '1,200 ms', longEvidence],
  ['stock_available_while_cache_down', 'PASS-hardening', '—', '—', 'checked 900 ops, 0 anomalies'],
];
const headers = ['scenario', 'verdict', 'blame', 'recovery', 'evidence'];
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('terminal tables', () => {
  it('keep every word when no width is known (a pipe or a file)', () => {
    const out = renderTable(headers, rows);
    expect(out).toContain(longEvidence);
    expect(out.split('\n')).toHaveLength(4);
  });

  it('fit a 100-column terminal, wrapping the long evidence and keeping scenario and verdict whole', () => {
    const out = renderTable(headers, rows, { width: 100, keep: [0, 1] });
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(100);
    expect(out).toContain('checkout_at_most_once_under_payments_latency  FAIL-reproducible');
    expect(out).toContain('stock_available_while_cache_down');
    // The evidence continues on the next lines, under its own column, and is cut with … after the last allowed line.
    const firstRow = out.split('\n').slice(2, 2 + MAX_CELL_LINES);
    expect(firstRow[1]).toMatch(/^\s{20,}\S/);
    expect(out).toContain('…');
  });

  it('keep the table as it was when it already fits', () => {
    expect(renderTable(headers, rows.slice(1), { width: 200 })).toBe(renderTable(headers, rows.slice(1)));
  });

  it('colour verdicts only when asked, and leave the layout the same', () => {
    const plain = renderTable(headers, rows, { width: 100, keep: [0, 1], verdictColumn: 1 });
    const coloured = renderTable(headers, rows, { width: 100, keep: [0, 1], verdictColumn: 1, color: true });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(`${ESC}[31;1mFAIL-reproducible`);
    expect(coloured).toContain(`${ESC}[32mPASS-hardening`);
    expect(visible(coloured)).toBe(plain);
  });

  it('print no escape sequence from telemetry: a hostile peer.service is shown as text', () => {
    const out = renderTable(['item'], [[`orders → pay${ESC}]0;pwned\u0007${ESC}[2Jments`]], { color: true, verdictColumn: 0 });
    expect(out).not.toContain(ESC);
    expect(out).toContain('orders → payments');
  });

  it('line up CJK service names by terminal columns', () => {
    const out = renderTable(['svc', 'n'], [['支付服务', 'x'], ['orders', 'y']]);
    const [, , a, b] = out.split('\n');
    expect(displayWidth(a)).toBe(displayWidth(b));
  });

  it('never exceed the width while the kept columns fit, for any cell text', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '-', '支', 'é'), maxLength: 120 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: fc.constantFrom('x', 'y', '_'), maxLength: 20 }), word, word), { minLength: 1, maxLength: 5 }), fc.integer({ min: 60, max: 140 }), (rs, width) => {
        const out = renderTable(['id', 'a', 'b'], rs, { width, keep: [0] });
        return out.split('\n').every((l) => displayWidth(l) <= width);
      }),
      { numRuns: 300 },
    );
  });

  it('colour a TTY unless NO_COLOR is set, and treat a pipe as plain with no width', () => {
    expect(terminalOf({ isTTY: true, columns: 120 }, {})).toEqual({ columns: 120, color: true });
    expect(terminalOf({ isTTY: true, columns: 120 }, { NO_COLOR: '1' })).toEqual({ columns: 120, color: false });
    expect(terminalOf({ isTTY: true, columns: 120 }, { NO_COLOR: '' })).toEqual({ columns: 120, color: true });
    expect(terminalOf({ isTTY: false, columns: 120 }, {})).toBeUndefined();
    expect(terminalOf({ isTTY: true, columns: 0 }, {})).toEqual({ columns: undefined, color: true });
  });

  it('read the style from the CLI io: no colour and no width for a pipe', () => {
    expect(tableStyle({})).toEqual({ width: undefined, color: false });
    expect(tableStyle({ terminal: { columns: 90, color: true } })).toEqual({ width: 90, color: true });
  });
});

describe('cell wrapping', () => {
  it('breaks at spaces, splits a word only when it alone is too wide, and cuts the last line with …', () => {
    expect(wrapCell('alpha beta gamma', 11, 3)).toEqual(['alpha beta', 'gamma']);
    expect(wrapCell('abcdefghijklmnop', 5, 3)).toEqual(['abcde', 'fghij', 'klmn…']);
    expect(wrapCell('one two three four five six', 9, 2)).toEqual(['one two', 'three fo…']);
  });
});
