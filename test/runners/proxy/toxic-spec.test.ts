import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../../base/errors.js';
import { FAULTS, TOXIC_TYPES } from '../../../base/faults.js';
import { applyToxicUpdate, parseNewToxic, toxicJson } from '../../../runners/proxy/toxic-spec.js';

const types = TOXIC_TYPES;

/** The field a rejected body names, or `accepted`. */
const fieldOf = (body: unknown) => {
  try {
    parseNewToxic(body);
    return 'accepted';
  } catch (err) {
    return isFaultlineError(err) ? err.details?.field : 'other';
  }
};

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
          const def = FAULTS[type];
          const stream = 'stream' in def ? def.stream : stream0;
          const attributes = Object.fromEntries(Object.entries(def.attributes).map(([k, a]) => [k, Math.min(a.max, Math.max(a.min, n))]));
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
    expect(fieldOf({ type: 'latency', attributes: { latency: -1 } })).toBe('attributes.latency');
    expect(fieldOf({ type: 'latency', toxicity: 1.5 })).toBe('toxicity');
    expect(fieldOf({ type: 'http_error', stream: 'downstream' })).toBe('stream');
    expect(fieldOf({ type: 'latency', ttl_ms: 'soon' })).toBe('ttl_ms');
  });

  it('ignores unknown attribute names on Toxiproxy\'s own toxics, as Toxiproxy does, but rejects them on faultline\'s', () => {
    expect(parseNewToxic({ type: 'latency', attributes: { latency: 5, delay: 300 } }).attributes).toEqual({ latency: 5, jitter: 0 });
    // The drift this guards: http_delay planned as {delay} was injected as 0 ms.
    expect(fieldOf({ type: 'http_delay', attributes: { delay: 300 } })).toBe('attributes.delay');
    expect(fieldOf({ type: 'http_error', attributes: { code: 500 } })).toBe('attributes.code');
    const spec = parseNewToxic({ name: 'd', type: 'http_delay', attributes: { latency: 5 } });
    expect(() => applyToxicUpdate(spec, { attributes: { delay: 9 } })).toThrow(/http_delay has no attribute "delay" \(it takes latency, jitter\)/);
  });

  it('holds faultline\'s own toxics to the fault table\'s bounds and Toxiproxy\'s to non-negative values only', () => {
    expect(fieldOf({ type: 'http_error', attributes: { status: 200 } })).toBe('attributes.status');
    expect(fieldOf({ type: 'http_delay', attributes: { latency: FAULTS.http_delay.attributes.latency.max + 1 } })).toBe('attributes.latency');
    expect(parseNewToxic({ type: 'latency', attributes: { latency: 1e9 } }).attributes.latency).toBe(1e9);
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
