/**
 * Protobuf wire-format cursor (https://protobuf.dev/programming-guides/encoding/):
 * varints, fixed-width values, length-delimited fields and nested messages,
 * read straight from the bytes without building message objects.
 *
 * It accepts and rejects exactly what protobufjs 7's generated decoders do,
 * so a reader built on it answers the same bytes with the same 400 as
 * `Type.decode` (whose quirks are mirrored here and called out below). Every
 * problem is a {@link WireFormatError}; the caller turns it into its own error.
 */

/** Malformed wire data (truncated, bad length or wire type, nested too deep). */
export class WireFormatError extends Error {}

/** protobufjs' `util.recursionLimit` (protoc's `default_recursion_limit`). */
const MAX_DEPTH = 100;

/**
 * Field kinds of a {@link WireSchema}: how a field is read. protobufjs reads
 * a known field by its declared type whatever its wire type, and skips an
 * UNKNOWN one by its wire type. VARINT32 is uint32, int32, enum and bool
 * (protobufjs' 32-bit varint reader), VARINT64 int64, FIXED64 also double,
 * STRING differs from BYTES only in {@link WireReader.string}'s clamping,
 * and `MESSAGE + t` is a nested message of type `t` of the schema.
 */
export const UNKNOWN = 0, VARINT32 = 1, VARINT64 = 2, FIXED32 = 3, FIXED64 = 4, BYTES = 5, STRING = 6, MESSAGE = 8;

/** Per message type, the field kinds indexed by field number (index 0 and gaps: UNKNOWN). */
export type WireSchema = readonly (readonly number[])[];

const eof = (): WireFormatError => new WireFormatError('index out of range');

/** Node's native slice decoders (undeclared in @types/node, used by protobufjs' BufferReader too). */
interface NativeBuffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

const HEX_CHARS = new Uint8Array(16);
for (let i = 0; i < 16; i++) HEX_CHARS[i] = '0123456789abcdef'.charCodeAt(i);
const fromCodes = String.fromCharCode;

/**
 * A cursor over one encoded message. `end` is the end of the message being
 * read: entering a nested message narrows it, leaving restores it.
 */
export class WireReader {
  /** The input as a Buffer (a view, not a copy) for its native hex and UTF-8 decoders. */
  readonly buf: NativeBuffer;
  /** Read position. */
  pos = 0;
  /** End of the message being read. */
  end: number;
  /** Nesting depth of the message being read (the top-level message is 0). */
  depth = 0;
  /** Halves of the last {@link fixed64} (unsigned 32-bit each): no allocation per value. */
  lo = 0;
  hi = 0;
  /**
   * protobufjs' BufferReader (used for Buffer input) clamps a string whose
   * length runs past the message end instead of throwing; its plain-array
   * Reader throws as for bytes. Mirrored so both reject the same inputs.
   */
  private readonly clampStrings: boolean;

  constructor(bytes: Uint8Array) {
    this.clampStrings = Buffer.isBuffer(bytes);
    this.buf = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as NativeBuffer;
    this.end = bytes.length;
  }

  /**
   * UTF-8 text of `[start, end)`, decoded like protobufjs' BufferReader
   * (Buffer#utf8Slice): invalid sequences become U+FFFD, never an error.
   */
  text(start: number, end: number): string {
    return start === end ? '' : this.buf.utf8Slice(start, end);
  }

  /**
   * Lower-case hex of `[start, end)`, undefined when empty (OTLP: no id).
   * Span and trace ids (8 and 16 bytes) are built with one fromCharCode
   * call: a flat string, faster than the native hexSlice for these sizes.
   */
  hex(start: number, end: number): string | undefined {
    const n = end - start;
    if (n === 8) return this.hex8(start);
    if (n === 16) return this.hex16(start);
    return n === 0 ? undefined : this.buf.hexSlice(start, end);
  }

  private hex8(p: number): string {
    const b = this.buf;
    const H = HEX_CHARS;
    const a0 = b[p], a1 = b[p + 1], a2 = b[p + 2], a3 = b[p + 3], a4 = b[p + 4], a5 = b[p + 5], a6 = b[p + 6], a7 = b[p + 7];
    return fromCodes(
      H[a0 >> 4], H[a0 & 15], H[a1 >> 4], H[a1 & 15], H[a2 >> 4], H[a2 & 15], H[a3 >> 4], H[a3 & 15],
      H[a4 >> 4], H[a4 & 15], H[a5 >> 4], H[a5 & 15], H[a6 >> 4], H[a6 & 15], H[a7 >> 4], H[a7 & 15],
    );
  }

  private hex16(p: number): string {
    const b = this.buf;
    const H = HEX_CHARS;
    const a0 = b[p], a1 = b[p + 1], a2 = b[p + 2], a3 = b[p + 3], a4 = b[p + 4], a5 = b[p + 5], a6 = b[p + 6], a7 = b[p + 7];
    const c0 = b[p + 8], c1 = b[p + 9], c2 = b[p + 10], c3 = b[p + 11], c4 = b[p + 12], c5 = b[p + 13], c6 = b[p + 14], c7 = b[p + 15];
    return fromCodes(
      H[a0 >> 4], H[a0 & 15], H[a1 >> 4], H[a1 & 15], H[a2 >> 4], H[a2 & 15], H[a3 >> 4], H[a3 & 15],
      H[a4 >> 4], H[a4 & 15], H[a5 >> 4], H[a5 & 15], H[a6 >> 4], H[a6 & 15], H[a7 >> 4], H[a7 & 15],
      H[c0 >> 4], H[c0 & 15], H[c1 >> 4], H[c1 & 15], H[c2 >> 4], H[c2 & 15], H[c3 >> 4], H[c3 & 15],
      H[c4 >> 4], H[c4 & 15], H[c5 >> 4], H[c5 & 15], H[c6 >> 4], H[c6 & 15], H[c7 >> 4], H[c7 & 15],
    );
  }

  /** True when `[start, end)` holds exactly `bytes`. */
  equals(start: number, end: number, bytes: Uint8Array): boolean {
    if (end - start !== bytes.length) return false;
    for (let i = 0; i < bytes.length; i++) if (this.buf[start + i] !== bytes[i]) return false;
    return true;
  }

  /** True when `[a, a+n)` and `[b, b+n)` hold the same bytes. */
  same(a: number, b: number, n: number): boolean {
    const buf = this.buf;
    for (let i = 0; i < n; i++) if (buf[a + i] !== buf[b + i]) return false;
    return true;
  }

  /**
   * A varint as uint32 (tags, lengths, enums, bool), as protobufjs reads it:
   * bits beyond 32 are dropped, and a tenth byte is skipped unread.
   */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (this.end - pos < 5) {
      if (pos >= this.end) throw eof();
      if (buf[pos] >= 128) return this.uint32NearEnd();
    }
    let b = buf[pos++];
    let v = b & 127;
    if (b >= 128) {
      b = buf[pos++];
      v |= (b & 127) << 7;
      if (b >= 128) {
        b = buf[pos++];
        v |= (b & 127) << 14;
        if (b >= 128) {
          b = buf[pos++];
          v |= (b & 127) << 21;
          if (b >= 128) {
            b = buf[pos++];
            v = (v | ((b & 15) << 28)) >>> 0;
            if (b >= 128 && (pos += 5) > this.end) throw eof();
          }
        }
      }
    }
    this.pos = pos;
    return v;
  }

  /** {@link uint32} with fewer than five bytes left: at most four, each bounds-checked. */
  private uint32NearEnd(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.end) throw eof();
      const b = this.buf[this.pos++];
      v = (v | ((b & 127) << (i * 7))) >>> 0;
      if (b < 128) return v;
    }
    throw eof();
  }

  /**
   * An int64 varint as the number `high·2^32 + (low>>>0)` of the Long that
   * protobufjs builds (signed high word), including its reader's quirk: with
   * four or fewer bytes left the fourth byte ends the value unchecked (a read
   * past the message end then fails the caller's end check).
   */
  int64(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let b = 0;
    if (this.end - this.pos > 4) {
      for (let i = 0; i < 4; i++) {
        b = buf[this.pos++];
        lo = (lo | ((b & 127) << (i * 7))) >>> 0;
        if (b < 128) return lo;
      }
      b = buf[this.pos++];
      lo = (lo | ((b & 127) << 28)) >>> 0;
      hi = (b & 127) >> 4;
      if (b < 128) return hi * 4294967296 + lo;
    } else {
      for (let i = 0; i < 3; i++) {
        if (this.pos >= this.end) throw eof();
        b = buf[this.pos++];
        lo = (lo | ((b & 127) << (i * 7))) >>> 0;
        if (b < 128) return lo;
      }
      b = this.pos < buf.length ? buf[this.pos] : 0;
      this.pos++;
      return (lo | ((b & 127) << 21)) >>> 0;
    }
    const near = this.end - this.pos <= 4;
    for (let i = 0; i < 5; i++) {
      if (near && this.pos >= this.end) throw eof();
      b = buf[this.pos++];
      hi = (hi | ((b & 127) << (i * 7 + 3))) >>> 0;
      if (b < 128) return (hi | 0) * 4294967296 + lo;
    }
    throw new WireFormatError('invalid varint encoding');
  }

  /** Skip `n` bytes of the current message. */
  need(n: number): void {
    if (this.pos + n > this.end) throw eof();
    this.pos += n;
  }

  /** A fixed64 into {@link lo} / {@link hi}. */
  fixed64(): void {
    const buf = this.buf;
    const p = this.pos;
    this.need(8);
    this.lo = (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
    this.hi = (buf[p + 4] | (buf[p + 5] << 8) | (buf[p + 6] << 16) | (buf[p + 7] << 24)) >>> 0;
  }

  /** A little-endian double. */
  double(): number {
    const p = this.pos;
    this.need(8);
    return this.buf.readDoubleLE(p);
  }

  /** A length-delimited bytes field: returns its start, `pos` is then its end. */
  bytes(): number {
    const len = this.uint32();
    const start = this.pos;
    this.need(len);
    return start;
  }

  /** A string field: returns its start, `pos` is then its end (see {@link clampStrings}). */
  string(): number {
    if (!this.clampStrings) return this.bytes();
    const len = this.uint32();
    const start = this.pos;
    this.pos = Math.min(start + len, this.end);
    return start;
  }

  /** Enter a nested message: returns the outer end, to hand to {@link leave}. */
  enter(): number {
    const len = this.uint32();
    if (++this.depth > MAX_DEPTH) throw new WireFormatError('maximum nesting depth exceeded');
    const end = this.pos + len;
    if (end > this.end) throw eof();
    const outer = this.end;
    this.end = end;
    return outer;
  }

  /** Leave a nested message, which must have been read exactly to its end. */
  leave(outer: number): void {
    if (this.pos !== this.end) throw eof();
    this.end = outer;
    this.depth--;
  }

  /** Skip an unknown field by its wire type; groups (3) are skipped to their end tag, as protobufjs does. */
  skip(wireType: number, depth = this.depth): void {
    if (depth > MAX_DEPTH) throw new WireFormatError('maximum nesting depth exceeded');
    switch (wireType) {
      case 0:
        // Any length, as protobufjs' Reader#skip: only the end of the message stops it.
        do if (this.pos >= this.end) throw eof();
        while (this.buf[this.pos++] >= 128);
        return;
      case 1:
        return this.need(8);
      case 2:
        return this.need(this.uint32());
      case 3:
        for (let t = this.uint32() & 7; t !== 4; t = this.uint32() & 7) this.skip(t, depth + 1);
        return;
      case 5:
        return this.need(4);
      default:
        throw new WireFormatError(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  /** Read (and drop) one field of kind `kind` (a {@link WireSchema} entry) whose tag had wire type `wireType`. */
  checkField(schema: WireSchema, kind: number, wireType: number): void {
    if (kind === UNKNOWN) this.skip(wireType);
    else if (kind === VARINT32) this.uint32();
    else if (kind === VARINT64) this.int64();
    else if (kind === FIXED32) this.need(4);
    else if (kind === FIXED64) this.need(8);
    else if (kind === BYTES) this.bytes();
    else if (kind === STRING) this.string();
    else {
      const outer = this.enter();
      this.checkMessage(schema, kind - MESSAGE);
      this.leave(outer);
    }
  }

  /** Read (and drop) the rest of the current message, of type `type` in `schema`. */
  checkMessage(schema: WireSchema, type: number): void {
    const fields = schema[type];
    while (this.pos < this.end) {
      const tag = this.uint32();
      const n = tag >>> 3;
      this.checkField(schema, n < fields.length ? fields[n] : UNKNOWN, tag & 7);
    }
  }
}
