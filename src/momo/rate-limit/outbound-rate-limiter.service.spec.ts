import { Logger } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { loadConfig } from '../../config/app-config';
import { OutboundRateLimiter } from './outbound-rate-limiter.service';
import { backgroundPoints, type BudgetLimiter } from './rate-limit.stores';

/** A fixed-window budget whose window ends when the test says. */
class FakeBudget implements BudgetLimiter {
  used = new Map<string, number>();
  msBeforeNext = 40_000;
  failWith?: Error;

  constructor(public points: number) {}

  consume(key: string, points = 1): Promise<RateLimiterRes> {
    if (this.failWith) return Promise.reject(this.failWith);
    const used = (this.used.get(key) ?? 0) + points;
    this.used.set(key, used);
    const res = new RateLimiterRes(Math.max(0, this.points - used), this.msBeforeNext, used);
    // rate-limiter-flexible's contract: a refusal rejects with a RateLimiterRes.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return used > this.points ? Promise.reject(res) : Promise.resolve(res);
  }

  reward(key: string, points = 1): Promise<RateLimiterRes> {
    this.used.set(key, (this.used.get(key) ?? 0) - points);
    return Promise.resolve(new RateLimiterRes());
  }

  resetWindow(): void {
    this.used.clear();
  }
}

function setup(env: Record<string, string> = {}) {
  const config = loadConfig({
    MTN_MOMO_RATE_LIMIT_PER_MINUTE: '10',
    MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '30',
    ...env,
  });
  const total = new FakeBudget(config.momo.rateLimit.requestsPerMinute);
  const background = new FakeBudget(backgroundPoints(config));
  const sleeps: number[] = [];
  const sleeper = jest.fn((ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  });
  const limiter = new OutboundRateLimiter(config, { total, background }, sleeper);
  return { limiter, total, background, sleeps, sleeper };
}

const live = { accountId: 'default', product: 'collection' as const };
const bg = { ...live, priority: 'background' as const };

async function take(
  limiter: OutboundRateLimiter,
  n: number,
  request: typeof live | typeof bg = live,
): Promise<void> {
  for (let i = 0; i < n; i++) await limiter.acquire(request);
}

describe('OutboundRateLimiter', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('grants live calls within the budget', async () => {
    const { limiter } = setup();
    await expect(take(limiter, 10)).resolves.toBeUndefined();
  });

  it('refuses a live call beyond the budget with RATE_LIMITED and the seconds to wait', async () => {
    const { limiter } = setup();
    await take(limiter, 10);
    await expect(limiter.acquire(live)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 40,
    });
  });

  it('lets a live call wait for a window ending within the allowed wait', async () => {
    const { limiter, total, sleeper } = setup({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '2000' });
    await take(limiter, 10);
    total.msBeforeNext = 1500;
    sleeper.mockImplementationOnce(() => {
      total.resetWindow();
      return Promise.resolve();
    });
    await expect(limiter.acquire(live)).resolves.toBeUndefined();
    expect(sleeper).toHaveBeenCalledWith(1500);
  });

  it('gives up waiting once the allowed wait is spent', async () => {
    const { limiter, total, sleeps } = setup({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '2000' });
    await take(limiter, 10);
    total.msBeforeNext = 900;
    await expect(limiter.acquire(live)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    });
    expect(sleeps).toEqual([900, 900]);
  });

  it('keeps separate budgets per account and product', async () => {
    const { limiter } = setup();
    await take(limiter, 10);
    await expect(limiter.acquire({ ...live, product: 'disbursement' })).resolves.toBeUndefined();
    await expect(limiter.acquire({ ...live, accountId: 'ghana' })).resolves.toBeUndefined();
  });

  it('caps background calls at their share of the budget', async () => {
    const { limiter } = setup();
    await take(limiter, 3, bg);
    await expect(limiter.acquire(bg)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('never makes a background call wait', async () => {
    const { limiter, sleeper, background } = setup();
    background.msBeforeNext = 100;
    await take(limiter, 3, bg);
    await limiter.acquire(bg).catch(() => undefined);
    expect(sleeper).not.toHaveBeenCalled();
  });

  it('leaves live calls the rest of the budget when background has used its share', async () => {
    const { limiter } = setup();
    await take(limiter, 3, bg);
    await expect(take(limiter, 7)).resolves.toBeUndefined();
  });

  it('refuses a background call when live calls have used the whole budget, giving its share back', async () => {
    const { limiter, background } = setup();
    await take(limiter, 10);
    await expect(limiter.acquire(bg)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(background.used.get('default:collection')).toBe(0);
  });

  it('refuses a background call without taking its share when the total is known to be spent', async () => {
    const { limiter, total, background } = setup();
    const spentFor = jest.fn(() => 25_000);
    Object.assign(total, { spentFor });
    await expect(limiter.acquire(bg)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 25,
    });
    expect(spentFor).toHaveBeenCalledWith('default:collection');
    expect(background.used.size).toBe(0);
    expect(limiter.getCounters().backgroundRefusals).toBe(1);
  });

  it('refuses every background call when their share is zero', async () => {
    const { limiter } = setup({ MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '0' });
    await expect(limiter.acquire(bg)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('lets calls through when the budget store fails', async () => {
    const { limiter, total } = setup();
    total.failWith = new Error('connection terminated');
    await expect(limiter.acquire(live)).resolves.toBeUndefined();
  });

  it('counts waits, refusals and store errors', async () => {
    const { limiter, total } = setup({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '1000' });
    await take(limiter, 10);
    total.msBeforeNext = 600;
    await limiter.acquire(live).catch(() => undefined);
    await limiter.acquire(bg).catch(() => undefined);
    total.failWith = new Error('down');
    await limiter.acquire(live);
    expect(limiter.getCounters()).toEqual({
      waits: 1,
      liveRefusals: 1,
      backgroundRefusals: 1,
      storeErrors: 1,
    });
  });

  it('adds the checks its stores answered from memory to the store errors', async () => {
    const config = loadConfig({ MTN_MOMO_RATE_LIMIT_PER_MINUTE: '10' });
    const total = new FakeBudget(10);
    const stores = { total, background: new FakeBudget(3), storeErrors: () => 4 };
    const limiter = new OutboundRateLimiter(config, stores, () => Promise.resolve());
    total.failWith = new Error('down');
    await limiter.acquire(live);
    expect(limiter.getCounters().storeErrors).toBe(5);
  });

  describe('refusalFor (the look before a payment is stored)', () => {
    it('refuses when the budget is known spent for longer than a live call may wait', () => {
      const { limiter, total } = setup({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '2000' });
      const spentFor = jest.fn(() => 25_000);
      Object.assign(total, { spentFor });
      expect(limiter.refusalFor(live)).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: 25,
      });
      expect(spentFor).toHaveBeenCalledWith('default:collection');
      // It takes nothing, and counts as the live refusal it answers the request with.
      expect(total.used.size).toBe(0);
      expect(limiter.getCounters().liveRefusals).toBe(1);
    });

    it('lets the call find out when the wait would fit, or nothing is known spent', () => {
      const { limiter, total } = setup({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '2000' });
      Object.assign(total, { spentFor: () => 1_500 });
      expect(limiter.refusalFor(live)).toBeUndefined();
      Object.assign(total, { spentFor: () => 0 });
      expect(limiter.refusalFor(live)).toBeUndefined();
      expect(limiter.getCounters().liveRefusals).toBe(0);
      // A store that cannot tell (no spentFor) never refuses ahead.
      expect(setup().limiter.refusalFor(live)).toBeUndefined();
    });
  });
});
