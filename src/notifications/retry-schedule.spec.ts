import {
  afterFailure,
  retryDelayMs,
  RETRY_BASE_MS,
  RETRY_CAP_MS,
  RETRY_WINDOW_MS,
} from './retry-schedule';

const middle = () => 0.5;
const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('notification retry schedule', () => {
  it('doubles from 10 s and stops growing at one hour (jitter at its midpoint)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => retryDelayMs(n, middle) / 1000)).toEqual([
      10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600,
    ]);
    expect(retryDelayMs(1000, middle)).toBe(RETRY_CAP_MS);
  });

  it('spreads each delay over ±25 % of its nominal value, never past the cap', () => {
    expect(retryDelayMs(1, () => 0)).toBe(RETRY_BASE_MS * 0.75);
    expect(retryDelayMs(1, () => 0.999999)).toBeCloseTo(RETRY_BASE_MS * 1.25, -1);
    expect(retryDelayMs(3, () => 0)).toBe(30_000);
    expect(retryDelayMs(20, () => 0.999999)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(10, () => 0)).toBe(RETRY_CAP_MS * 0.75);
  });

  it('keeps an out-of-range random source inside the jitter band', () => {
    expect(retryDelayMs(1, () => -3)).toBe(RETRY_BASE_MS * 0.75);
    expect(retryDelayMs(1, () => 7)).toBe(RETRY_BASE_MS * 1.25);
  });

  it('schedules the next try after a failure inside the window', () => {
    const until = new Date(NOW.getTime() + RETRY_WINDOW_MS);
    expect(afterFailure(2, NOW, until, middle)).toEqual({
      kind: 'retry',
      at: new Date(NOW.getTime() + 20_000),
    });
  });

  it('makes the last try at the deadline itself rather than skipping past it', () => {
    const until = new Date(NOW.getTime() + 5_000);
    expect(afterFailure(9, NOW, until, middle)).toEqual({ kind: 'retry', at: until });
  });

  it('gives up after a failure at or past the deadline', () => {
    expect(afterFailure(30, NOW, NOW, middle)).toEqual({ kind: 'give-up' });
    expect(afterFailure(1, NOW, new Date(NOW.getTime() - 1), middle)).toEqual({ kind: 'give-up' });
  });

  it('tries about thirty times over 24 hours of failures', () => {
    let now = NOW;
    const until = new Date(NOW.getTime() + RETRY_WINDOW_MS);
    let attempts = 1;
    for (;;) {
      const next = afterFailure(attempts, now, until, middle);
      if (next.kind === 'give-up') break;
      now = next.at;
      attempts += 1;
    }
    expect(now).toEqual(until);
    expect(attempts).toBeGreaterThanOrEqual(25);
    expect(attempts).toBeLessThanOrEqual(35);
  });
});
