/**
 * A consecutive-failure circuit breaker (the pattern from Nygard's
 * "Release It!"): closed → open after `failureThreshold` failures in a row;
 * open rejects calls; after `halfOpenAfterMs` one trial call is let through
 * (half-open) and its outcome closes or re-opens the breaker.
 *
 * `halfOpenAfterMs: undefined` is the planted `breaker-stuck` bug: the
 * breaker never tries again, so the dependency's recovery is never noticed.
 */

/** Breaker state, as exposed on the orders debug probe. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Breaker settings; `now` is injectable so the logic is a pure state machine. */
export interface BreakerOptions {
  failureThreshold: number;
  /** Undefined: never half-open (the bug). */
  halfOpenAfterMs?: number;
  now?: () => number;
}

/** One breaker around one dependency. */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: BreakerState = 'closed';
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a call may go ahead now; in half-open only one trial at a time. */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      const wait = this.opts.halfOpenAfterMs;
      if (wait === undefined || this.now() - this.openedAt < wait) return false;
      this.current = 'half-open';
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Forget everything: closed, no failures (what a restart of the service would do). */
  reset(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  /** Record a successful call. */
  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  /** Record a failed call (no response, or a 5xx). */
  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.opts.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }
}
