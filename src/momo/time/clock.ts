/**
 * Time as a dependency. Token expiry, the breaker's open period, retry backoff and rate-limit waits
 * all read this clock and wait through this sleeper, so tests drive them instead of waiting.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

export type Sleeper = (ms: number) => Promise<void>;

export const MOMO_CLOCK = Symbol('MOMO_CLOCK');
export const MOMO_SLEEPER = Symbol('MOMO_SLEEPER');
/** A source of numbers in [0, 1) for retry jitter (`Math.random` in production). */
export const MOMO_RANDOM = Symbol('MOMO_RANDOM');
export type RandomSource = () => number;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleeper: Sleeper = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });
