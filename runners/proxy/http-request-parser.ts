/**
 * Incremental HTTP/1.1 request framing for the per-request toxics. It only
 * finds request boundaries (RFC 9112 §6: Content-Length or chunked
 * Transfer-Encoding; requests without either have no body) so a toxic can
 * act on whole requests on a keep-alive connection. Anything that does not
 * look like HTTP/1.x switches the parser to raw mode for the rest of the
 * connection: bytes are handed back untouched, never lost.
 */

/** A request line and the headers the framing and the toxics care about. */
export interface RequestHead {
  method: string;
  target: string;
  version: string;
  /** True when the client asked to close after this request (or HTTP/1.0 without keep-alive). */
  close: boolean;
}

/** One piece of parser output, in input order. */
export type ParsedPiece =
  | { kind: 'request'; head: RequestHead; bytes: Buffer }
  | { kind: 'raw'; bytes: Buffer };

/** Largest request head we wait for before deciding the stream is not HTTP. */
const MAX_HEAD_BYTES = 64 * 1024;
const REQUEST_LINE = /^([A-Z]+) (\S+) (HTTP\/1\.[01])$/;

type BodyState =
  | { mode: 'none' }
  | { mode: 'length'; remaining: number }
  | { mode: 'chunk-size' }
  | { mode: 'chunk-data'; remaining: number }
  | { mode: 'trailers' };

/** Stateful parser for one connection's client→server bytes. */
export class HttpRequestParser {
  private buf: Buffer = Buffer.alloc(0);
  /** Offset in `buf` where the current request starts (bytes before it were emitted). */
  private head: RequestHead | undefined;
  private body: BodyState = { mode: 'none' };
  private scan = 0;
  private raw = false;

  /** True once the stream was found not to be HTTP/1.x. */
  get isRaw(): boolean {
    return this.raw;
  }

  /** Feed bytes; returns the complete requests (and raw bytes) they finish. */
  feed(chunk: Buffer): ParsedPiece[] {
    if (this.raw) return chunk.length > 0 ? [{ kind: 'raw', bytes: chunk }] : [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: ParsedPiece[] = [];
    for (;;) {
      const done = this.step();
      if (done === 'more') break;
      if (done === 'raw') {
        this.raw = true;
        if (this.buf.length > 0) out.push({ kind: 'raw', bytes: this.buf });
        this.buf = Buffer.alloc(0);
        break;
      }
      out.push({ kind: 'request', head: done.head, bytes: this.buf.subarray(0, done.end) });
      this.buf = this.buf.subarray(done.end);
      this.head = undefined;
      this.scan = 0;
      if (this.buf.length === 0) break;
    }
    return out;
  }

  /** Advance over `buf`; a finished request's end offset, 'more' for more input, or 'raw'. */
  private step(): { head: RequestHead; end: number } | 'more' | 'raw' {
    if (!this.head) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > MAX_HEAD_BYTES || !this.plausiblePrefix()) return 'raw';
        return 'more';
      }
      const parsed = parseHead(this.buf.subarray(0, end).toString('latin1'));
      if (!parsed) return 'raw';
      this.head = parsed.head;
      this.body = parsed.body;
      this.scan = end + 4;
    }
    return this.advanceBody();
  }

  /** Early rejection of non-HTTP bytes (Redis, Postgres) without waiting for a blank line. */
  private plausiblePrefix(): boolean {
    const firstLineEnd = this.buf.indexOf('\r\n');
    const line = this.buf.subarray(0, firstLineEnd < 0 ? Math.min(this.buf.length, 32) : firstLineEnd).toString('latin1');
    if (firstLineEnd >= 0) return REQUEST_LINE.test(line);
    return /^[A-Z]{0,16}( |$)/.test(line.slice(0, 17));
  }

  private advanceBody(): { head: RequestHead; end: number } | 'more' | 'raw' {
    const head = this.head as RequestHead;
    for (;;) {
      const b = this.body;
      switch (b.mode) {
        case 'none':
          return { head, end: this.scan };
        case 'length': {
          const take = Math.min(b.remaining, this.buf.length - this.scan);
          this.scan += take;
          b.remaining -= take;
          if (b.remaining > 0) return 'more';
          this.body = { mode: 'none' };
          continue;
        }
        case 'chunk-size': {
          const eol = this.buf.indexOf('\r\n', this.scan);
          if (eol < 0) return this.buf.length - this.scan > 1024 ? 'raw' : 'more';
          const sizeText = this.buf.subarray(this.scan, eol).toString('latin1').split(';')[0].trim();
          if (!/^[0-9a-fA-F]{1,15}$/.test(sizeText)) return 'raw';
          const size = parseInt(sizeText, 16);
          this.scan = eol + 2;
          this.body = size === 0 ? { mode: 'trailers' } : { mode: 'chunk-data', remaining: size + 2 };
          continue;
        }
        case 'chunk-data': {
          const take = Math.min(b.remaining, this.buf.length - this.scan);
          this.scan += take;
          b.remaining -= take;
          if (b.remaining > 0) return 'more';
          this.body = { mode: 'chunk-size' };
          continue;
        }
        case 'trailers': {
          const eol = this.buf.indexOf('\r\n', this.scan);
          if (eol < 0) return 'more';
          const empty = eol === this.scan;
          this.scan = eol + 2;
          if (empty) this.body = { mode: 'none' };
          continue;
        }
      }
    }
  }
}

function parseHead(text: string): { head: RequestHead; body: BodyState } | undefined {
  const lines = text.split('\r\n');
  const m = REQUEST_LINE.exec(lines[0]);
  if (!m) return undefined;
  let length: number | undefined;
  let chunked = false;
  let connection = '';
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) return undefined;
      length = Number(value);
    } else if (name === 'transfer-encoding') {
      chunked = /(^|,)\s*chunked\s*$/i.test(value);
    } else if (name === 'connection') {
      connection = value.toLowerCase();
    }
  }
  const version = m[3];
  const close = connection.includes('close') || (version === 'HTTP/1.0' && !connection.includes('keep-alive'));
  // RFC 9112 §6.3: chunked wins over Content-Length.
  const body: BodyState = chunked
    ? { mode: 'chunk-size' }
    : length !== undefined && length > 0
      ? { mode: 'length', remaining: length }
      : { mode: 'none' };
  return { head: { method: m[1], target: m[2], version, close }, body };
}
