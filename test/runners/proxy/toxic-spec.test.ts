import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../../base/errors.js';
import { applyToxicUpdate, parseNewToxic, TOXIC_ATTRIBUTES, toxicJson } from '../../../runners/proxy/toxic-spec.js';

const types = Object.keys(TOXIC_ATTRIBUTES) as (keyof typeof TOXIC_ATTRIBUTES)[];

describe('toxic JSON parsing', () => {
  it('applies Toxiproxy defaults: downstream, toxicity 1, name type_stream, zero attributes', () => {
    expect(parseNewToxic({ type: 'latency' })).toEqual({
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 0, jitter: 0 },
    });
    expect(parseNewToxic({ type: 'http_error', toxicity: 0.25 })).toMatchObject({ stream: 'upstream', attributes: { status: 503 } });
  });

  it('round-trips any valid toxic through its JSON form', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.constantFrom('upstream', 'downstream'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat({ max: 100_000 }),
        fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
        (type, stream0, toxicity, n, name) => {
          const stream = type.startsWith('http_') ? 'upstream' : stream0;
          const attributes = Object.fromEntries(Object.keys(TOXIC_ATTRIBUTES[type]).map((k) => [k, k === 'status' ? 500 : n]));
          const spec = parseNewToxic({ name, type, stream, toxicity, attributes });
          expect(parseNewToxic(toxicJson(spec))).toEqual(spec);
        },
      ),
    );
  });

  it('never throws anything but a BAD_INPUT FaultlineError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        try {
          parseNewToxic(body);
        } catch (err) {
          expect(isFaultlineError(err, 'BAD_INPUT')).toBe(true);
        }
      }),
    );
  });

  it('rejects negative attributes, out-of-range toxicity and http toxics on the downstream stream, naming the field', () => {
    const fieldOf = (body: unknown) => {
      try {
        parseNewToxic(body);
        return 'accepted';
      } catch (err) {
        return isFaultlineError(err) ? err.details?.field : 'other';
      }
    };
    expect(fieldOf({ type: 'latency', attributes: { latency: -1 } })).toBe('attributes.latency');
    expect(fieldOf({ type: 'latency', toxicity: 1.5 })).toBe('toxicity');
    expect(fieldOf({ type: 'http_error', stream: 'downstream' })).toBe('stream');
    expect(fieldOf({ type: 'latency', ttl_ms: 'soon' })).toBe('ttl_ms');
  });

  it('updates only attributes, toxicity and ttl_ms', () => {
    const spec = parseNewToxic({ name: 'l', type: 'latency', attributes: { latency: 5 } });
    expect(applyToxicUpdate(spec, { type: 'bandwidth', stream: 'upstream', toxicity: 0.3, attributes: { jitter: 2 }, ttl_ms: 100 })).toEqual({
      name: 'l',
      type: 'latency',
      stream: 'downstream',
      toxicity: 0.3,
      attributes: { latency: 5, jitter: 2 },
      ttlMs: 100,
    });
  });
});
