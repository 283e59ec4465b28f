/**
 * OTLP KeyValue / AnyValue messages (opentelemetry-proto common/v1) read
 * off the wire for the span walk: a key is matched against the attribute
 * rules by its bytes, and a value's string is decoded only when asked for
 * (its key is mapped, or is service.name). Per-document caches of key bytes
 * → rule and of value bytes → string make repeated keys and values cost a
 * hash and a compare instead of a decode. (Values are not pooled here:
 * applyRule pools what it stores.)
 */
import { attributeRule, type Rule } from './attributes.js';
import { ByteCache } from './byte-cache.js';
import { ANY_VALUE, fieldKind, KEY_VALUE, OTLP_SCHEMA } from './otlp-proto-schema.js';
import type { WireReader } from './proto-wire.js';

// One pair for every document: the walk is synchronous and each reader resets them.
const keyRules = new ByteCache<Rule | null>(256);
const strings = new ByteCache<string>(1024);

/** Reads KeyValues of one document; holds the last one read. */
export class KeyValueReader {
  // The last key's bytes; the last value's string bytes (strAt -1: none) and other primitive members.
  private keyAt = 0;
  private keyEnd = 0;
  private strAt = -1;
  private strEnd = 0;
  private int: number | undefined = undefined;
  private bool: boolean | undefined = undefined;
  private double: number | undefined = undefined;

  constructor(private readonly r: WireReader) {
    keyRules.reset(r.buf);
    strings.reset(r.buf);
  }

  /** Read a KeyValue (the cursor at its length). Of a repeated key or value the last counts, as in protobufjs. */
  read(): void {
    const r = this.r;
    const outer = r.enter();
    this.keyAt = this.keyEnd = 0;
    this.clearValue();
    while (r.pos < r.end) {
      const tag = r.uint32();
      const n = tag >>> 3;
      if (n === 1) {
        this.keyAt = r.string();
        this.keyEnd = r.pos;
      } else if (n === 2) this.anyValue();
      else r.checkField(OTLP_SCHEMA, fieldKind(KEY_VALUE, tag), tag & 7);
    }
    r.leave(outer);
  }

  private anyValue(): void {
    const r = this.r;
    const outer = r.enter();
    this.clearValue(); // a second value replaces the first (protobufjs does not merge)
    while (r.pos < r.end) {
      const tag = r.uint32();
      const n = tag >>> 3;
      if (n === 1) {
        this.strAt = r.string();
        this.strEnd = r.pos;
      } else if (n === 2) this.bool = r.uint32() !== 0;
      else if (n === 3) this.int = r.int64();
      else if (n === 4) this.double = r.double();
      else r.checkField(OTLP_SCHEMA, fieldKind(ANY_VALUE, tag), tag & 7);
    }
    r.leave(outer);
  }

  private clearValue(): void {
    this.strAt = -1;
    this.int = this.bool = this.double = undefined;
  }

  /** True when the last key is exactly `bytes`. */
  keyIs(bytes: Uint8Array): boolean {
    return this.r.equals(this.keyAt, this.keyEnd, bytes);
  }

  /** attributeRule of the last key, mostly found by its bytes without decoding it. */
  rule(): Rule | undefined {
    let rule = keyRules.get(this.keyAt, this.keyEnd);
    if (rule === undefined) {
      rule = attributeRule(this.r.text(this.keyAt, this.keyEnd)) ?? null;
      keyRules.set(rule);
    }
    return rule ?? undefined;
  }

  /**
   * anyValuePrimitive of the last value. protobufjs keeps every oneof
   * member set on the wire, and anyValuePrimitive takes the first of
   * string, int, bool, double, whatever their wire order. The int is the
   * number that its Long gives (see WireReader.int64).
   */
  value(): string | number | boolean | undefined {
    return this.strAt >= 0 ? this.text(this.strAt, this.strEnd) : (this.int ?? this.bool ?? this.double);
  }

  /** The string of the bytes `[start, end)`, decoded once per document. */
  private text(start: number, end: number): string {
    let s = strings.get(start, end);
    if (s === undefined) {
      s = this.r.text(start, end);
      strings.set(s);
    }
    return s;
  }
}
