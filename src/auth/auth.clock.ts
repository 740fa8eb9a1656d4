import type { Clock } from '../momo/time/clock';

/** The clock the key cache and last-use bookkeeping read (`systemClock` in production). */
export const AUTH_CLOCK = Symbol('AUTH_CLOCK');
export type { Clock };
