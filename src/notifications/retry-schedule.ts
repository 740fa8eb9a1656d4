/**
 * When a notification that could not be delivered is tried again: exponential backoff from 10 s,
 * doubling, capped at one hour, each delay scaled by a random factor in [0.75, 1.25) so that the
 * deliveries queued while a consumer was down do not all come back at the same instant (the cap
 * holds after the jitter). Tries go on for 24 hours after the notification was written (or
 * replayed); a failure at or after that ends it as FAILED. The last try is made at the deadline
 * itself rather than skipped.
 */
export const RETRY_BASE_MS = 10_000;
export const RETRY_CAP_MS = 60 * 60_000;
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
const JITTER = 0.25;

/** A number in [0, 1), `Math.random` in production. */
export type RandomSource = () => number;

/** The delay after the `failedAttempts`-th failed attempt (1-based). */
export function retryDelayMs(failedAttempts: number, random: RandomSource): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  const nominal = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** exponent);
  const factor = 1 - JITTER + 2 * JITTER * Math.min(Math.max(random(), 0), 1);
  return Math.min(RETRY_CAP_MS, Math.round(nominal * factor));
}

export type AfterFailure = { kind: 'retry'; at: Date } | { kind: 'give-up' };

/** What follows a failed attempt made at `now`: the next try, or giving up at the deadline. */
export function afterFailure(
  failedAttempts: number,
  now: Date,
  retryUntil: Date,
  random: RandomSource,
): AfterFailure {
  if (now.getTime() >= retryUntil.getTime()) return { kind: 'give-up' };
  const next = now.getTime() + retryDelayMs(failedAttempts, random);
  return { kind: 'retry', at: new Date(Math.min(next, retryUntil.getTime())) };
}
