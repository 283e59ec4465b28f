import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpRequestParser } from '../../../runners/proxy/http-request-parser.js';

const pathArb = fc.stringMatching(/^\/[a-z0-9/]{0,20}$/);
const bodyArb = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

/** A well-formed request: no body, Content-Length body, or chunked body. */
const requestArb = fc.tuple(fc.constantFrom('GET', 'POST', 'PUT'), pathArb, fc.constantFrom('none', 'length', 'chunked'), bodyArb).map(
  ([method, path, framing, body]) => {
    const head = `${method} ${path} HTTP/1.1\r\nHost: x\r\n`;
    if (framing === 'none') return Buffer.from(`${head}\r\n`);
    if (framing === 'length') return Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`), body]);
    const chunks = body.length > 0 ? [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')] : [];
    return Buffer.concat([Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`), ...chunks, Buffer.from('0\r\n\r\n')]);
  },
);

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('HttpRequestParser', () => {
  it('finds the same request boundaries however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), (reqs, cuts) => {
        const parser = new HttpRequestParser();
        const pieces = splitAt(Buffer.concat(reqs), cuts).flatMap((c) => parser.feed(c));
        expect(pieces.every((p) => p.kind === 'request')).toBe(true);
        expect(pieces.map((p) => p.bytes.toString('latin1'))).toEqual(reqs.map((r) => r.toString('latin1')));
      }),
    );
  });

  it('passes non-HTTP bytes through unchanged, losing none', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        const buf = Buffer.concat([Buffer.from([0]), Buffer.from(bytes)]);
        const parser = new HttpRequestParser();
        const pieces = splitAt(buf, cuts).flatMap((c) => parser.feed(c));
        expect(Buffer.concat(pieces.map((p) => p.bytes)).equals(buf)).toBe(true);
        expect(pieces.every((p) => p.kind === 'raw')).toBe(true);
      }),
    );
  });

  it('recognises a Redis command as not HTTP at once', () => {
    const parser = new HttpRequestParser();
    expect(parser.feed(Buffer.from('*1\r\n$4\r\nPING\r\n'))).toEqual([{ kind: 'raw', bytes: Buffer.from('*1\r\n$4\r\nPING\r\n') }]);
    expect(parser.isRaw).toBe(true);
  });

  it('reports Connection: close and HTTP/1.0 without keep-alive', () => {
    const parser = new HttpRequestParser();
    const [a, b, c] = parser.feed(
      Buffer.from('GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'),
    );
    expect([a, b, c].map((p) => (p.kind === 'request' ? [p.head.target, p.head.close] : null))).toEqual([
      ['/a', true],
      ['/b', true],
      ['/c', false],
    ]);
  });
});
