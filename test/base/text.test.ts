import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printable } from '../../base/text.js';

const ESC = '\u001b';
const BEL = '\u0007';
/** Any C0 or C1 control, DEL, or a bidi override/isolate. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Text without controls: what a person would type as a service name or route. */
const printableText = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !UNSAFE.test(s) && !/[\u2028\u2029]/.test(s));

/** Fragments an attacker mixes in: whole and broken escape sequences, raw controls. */
const hostile = fc.oneof(
  printableText,
  fc.constantFrom(`${ESC}]0;pwned${BEL}`, `${ESC}[2J`, `${ESC}[31;1m`, `${ESC}]8;;http://x${ESC}\\`, `${ESC}P1$r${ESC}\\`, `${ESC}c`, `${ESC}(B`, '\u009b2J', '\u009d0;t\u009c', `${ESC}[`, ESC, '\u202e', '\r\n', '\t'),
  fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
);
const hostileText = fc.array(hostile, { maxLength: 12 }).map((parts) => parts.join(''));

describe('printable text', () => {
  it('strips the terminal-retitling and screen-clearing sequences of a hostile peer.service whole', () => {
    expect(printable(`pay${ESC}]0;owned by telemetry${BEL}${ESC}[2Jments`)).toBe('payments');
  });

  it('removes 8-bit CSI and OSC forms and bidi overrides', () => {
    expect(printable('a\u009b2Jb\u009d0;t\u009cc\u202eevil')).toBe('abcevil');
  });

  it('turns line breaks and tabs into one space on one line, and keeps them in multiline mode', () => {
    expect(printable('a\r\nb\tc\nd')).toBe('a b c d');
    expect(printable(`line 1\r\nline 2\t${ESC}[2Jend`, { multiline: true })).toBe('line 1\nline 2\tend');
  });

  it('never leaves a C0/C1 control, ESC or bidi override in its output', () => {
    fc.assert(fc.property(hostileText, (s) => !UNSAFE.test(printable(s))), { numRuns: 2000 });
  });

  it('keeps only line feeds and tabs in multiline mode', () => {
    fc.assert(fc.property(hostileText, (s) => !UNSAFE_BUT_LINES.test(printable(s, { multiline: true }))), { numRuns: 2000 });
  });

  it('leaves printable text unchanged, in either mode', () => {
    fc.assert(
      fc.property(printableText, (s) => printable(s) === s && printable(s, { multiline: true }) === s),
      { numRuns: 2000 },
    );
  });

  it('keeps the printable text around stripped sequences', () => {
    fc.assert(
      fc.property(printableText, printableText, fc.constantFrom(`${ESC}[2J`, `${ESC}]0;x${BEL}`, '\u0000', `${ESC}[38;5;196m`), (a, b, seq) => {
        // A following `[`-led or final-byte character could extend a broken sequence; a separating space cannot.
        return printable(`${a} ${seq} ${b}`) === `${a}  ${b}`;
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(fc.property(hostileText, (s) => printable(printable(s)) === printable(s)), { numRuns: 1000 });
  });
});
