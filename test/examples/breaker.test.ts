import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../examples/demo/runtime/breaker.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('demo circuit breaker', () => {
  it('opens after the threshold of consecutive failures and rejects calls', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 3, halfOpenAfterMs: 1000, now: c.now });
    b.failure(); b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
  });

  it('a success in between resets the failure count', () => {
    const b = new CircuitBreaker({ failureThreshold: 3, halfOpenAfterMs: 1000 });
    b.failure(); b.failure(); b.success(); b.failure(); b.failure();
    expect(b.state).toBe('closed');
  });

  it('half-opens after the wait, lets one trial through and closes on its success', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 1, halfOpenAfterMs: 1000, now: c.now });
    b.failure();
    c.advance(999);
    expect(b.allow()).toBe(false);
    c.advance(1);
    expect(b.allow()).toBe(true);
    expect(b.state).toBe('half-open');
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.allow()).toBe(true);
  });

  it('re-opens when the half-open trial fails', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 5, halfOpenAfterMs: 100, now: c.now });
    for (let i = 0; i < 5; i++) b.failure();
    c.advance(100);
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
  });

  it('without a half-open wait it stays open forever (the breaker-stuck bug)', () => {
    const c = clock();
    const b = new CircuitBreaker({ failureThreshold: 1, now: c.now });
    b.failure();
    c.advance(3_600_000);
    expect(b.allow()).toBe(false);
    expect(b.state).toBe('open');
  });
});
