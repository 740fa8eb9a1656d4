import { RateLimiterMemory } from 'rate-limiter-flexible';
import { DomainError } from '../common/errors/domain-error';
import { ApiKeyRateLimiter, postgresKeyBudgets, type KeyBudget } from './api-key.rate-limiter';
import type { AuthenticatedApiKey } from './authenticated-api-key';

const key = (id: string, rateLimitPerMinute: number): AuthenticatedApiKey => ({
  id,
  name: id,
  prefix: `mgw_${id}`,
  scopes: [],
  rateLimitPerMinute,
});

describe('ApiKeyRateLimiter', () => {
  const memoryBudgets = () => {
    const made: number[] = [];
    const factory = (points: number): KeyBudget => {
      made.push(points);
      return new RateLimiterMemory({ points, duration: 60 });
    };
    return { made, limiter: new ApiKeyRateLimiter(factory) };
  };

  it("grants up to the key's limit in a minute, then refuses with the seconds until the window ends", async () => {
    const { limiter } = memoryBudgets();
    const k = key('a', 2);
    await expect(limiter.consume(k)).resolves.toMatchObject({ limit: 2, remaining: 1 });
    await expect(limiter.consume(k)).resolves.toMatchObject({ limit: 2, remaining: 0 });
    const err = await limiter.consume(k).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect((err as DomainError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((err as DomainError).retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('counts each key on its own', async () => {
    const { limiter } = memoryBudgets();
    await limiter.consume(key('a', 1));
    await expect(limiter.consume(key('b', 1))).resolves.toMatchObject({ remaining: 0 });
    await expect(limiter.consume(key('a', 1))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('makes one budget per distinct limit and reuses it', async () => {
    const { limiter, made } = memoryBudgets();
    await limiter.consume(key('a', 5));
    await limiter.consume(key('b', 5));
    await limiter.consume(key('c', 7));
    expect(made).toEqual([5, 7]);
  });

  it("leases blocks of a key's minute from its row in api_key_rate_limit", async () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    const values: unknown[][] = [];
    const db = {
      query: (config: { text: string; values: unknown[] }) => {
        expect(config.text).toContain('"api_key_rate_limit"');
        values.push(config.values);
        return Promise.resolve({ rows: [{ points: 24, expire: String(now + 60_000) }] });
      },
    };
    const limiter = new ApiKeyRateLimiter(postgresKeyBudgets(db, { now: () => now }));
    for (let i = 0; i < 24; i++) await limiter.consume(key('a', 1200));
    expect(values).toEqual([['key:a', 24, now + 60_000, now]]);
    await expect(limiter.consume(key('a', 1200))).resolves.toMatchObject({ limit: 1200 });
    expect(values).toHaveLength(2);
  });

  it('lets a broken store fail the request rather than pretend it was refused', async () => {
    const broken: KeyBudget = { consume: () => Promise.reject(new Error('connect ECONNREFUSED')) };
    await expect(new ApiKeyRateLimiter(() => broken).consume(key('a', 1))).rejects.toThrow(
      'ECONNREFUSED',
    );
  });
});
