import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import {
  API_KEY_RATE_LIMIT_TABLE,
  ApiKeyRateLimiter,
  postgresKeyBudgets,
} from '../../src/auth/api-key.rate-limiter';
import type { AuthenticatedApiKey } from '../../src/auth/authenticated-api-key';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/app';
import { freePort } from '../support/free-port';
import { ManualClock } from '../momo/momo-harness';
import { createKey } from './support';

/**
 * The budget is per key per minute. Each test uses a fresh key, so the minute it starts in is its
 * own; only a stall of a whole minute between two requests could reset a window early.
 */
describe('per-key rate limit', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Two replicas on one database; the default limit is 3 a minute.
    a = await startTestApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '3' }, { db });
    b = await startTestApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '3' }, { db });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const list = (t: TestApp, apiKey: string) =>
    t.request('GET', '/v1/collections', undefined, {}, { apiKey });

  it("answers 429 RATE_LIMITED with Retry-After once the key's own limit is spent", async () => {
    const k = await createKey(a.app, ['collection:read'], { rateLimitPerMinute: 2 });
    const first = await list(a, k.key);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await list(a, k.key)).status).toBe(200);
    const refused = await list(a, k.key);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      details: [{ limit: 2 }],
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('uses the configured default for a key without a limit of its own', async () => {
    const k = await createKey(a.app, ['collection:read']);
    for (let i = 0; i < 3; i++) expect((await list(a, k.key)).status).toBe(200);
    expect((await list(a, k.key)).status).toBe(429);
  });

  it('counts each key on its own', async () => {
    const spent = await createKey(a.app, ['collection:read'], { rateLimitPerMinute: 1 });
    const fresh = await createKey(a.app, ['collection:read'], { rateLimitPerMinute: 1 });
    expect((await list(a, spent.key)).status).toBe(200);
    expect((await list(a, spent.key)).status).toBe(429);
    expect((await list(a, fresh.key)).status).toBe(200);
  });

  it('shares one budget between replicas', async () => {
    const k = await createKey(a.app, API_KEY_SCOPES, { rateLimitPerMinute: 4 });
    expect((await list(a, k.key)).status).toBe(200);
    expect((await list(b, k.key)).status).toBe(200);
    expect((await list(a, k.key)).status).toBe(200);
    expect((await list(b, k.key)).status).toBe(200);
    expect((await list(b, k.key)).status).toBe(429);
    expect((await list(a, k.key)).status).toBe(429);
  });

  it('never limits public routes', async () => {
    for (let i = 0; i < 5; i++)
      expect((await a.request('GET', '/health/live', undefined, {}, { apiKey: null })).status).toBe(
        200,
      );
  });
});

/**
 * The leased budget itself, with two limiters ("replicas") over one database, each on its own pool
 * whose queries are counted, and a clock the tests move.
 */
describe('per-key budgets leased by two replicas', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  function replica(url = db.url) {
    const pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    pools.push(pool);
    const query = jest.spyOn(pool, 'query');
    return {
      limiter: new ApiKeyRateLimiter(postgresKeyBudgets(pool, clock)),
      queries: () => query.mock.calls.length,
    };
  }

  const apiKey = (rateLimitPerMinute: number): AuthenticatedApiKey => ({
    id: randomUUID(),
    name: 'replicas',
    prefix: 'mgw_test',
    scopes: [],
    rateLimitPerMinute,
  });

  /**
   * Starts `n` requests at once on a replica; how many were admitted. Races ask each replica for at
   * least the whole limit: a replica whose demand is all met may keep unspent units of its last
   * block, and then fewer than the limit are admitted in total.
   */
  async function burst(limiter: ApiKeyRateLimiter, key: AuthenticatedApiKey, n: number) {
    const results = await Promise.allSettled(Array.from({ length: n }, () => limiter.consume(key)));
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'RATE_LIMITED' });
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  it('with a limit up to 50 a minute, counts every request in the database as before', async () => {
    const [a, b] = [replica(), replica()];
    const key = apiKey(3);
    await expect(a.limiter.consume(key)).resolves.toEqual({
      limit: 3,
      remaining: 2,
      resetSeconds: 60,
    });
    await expect(b.limiter.consume(key)).resolves.toMatchObject({ remaining: 1 });
    await expect(a.limiter.consume(key)).resolves.toMatchObject({ remaining: 0 });
    await expect(b.limiter.consume(key)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 60,
    });
    await expect(a.limiter.consume(key)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // One upsert per admitted request; b learnt of the spent minute with one more, a from its last.
    expect([a.queries(), b.queries()]).toEqual([2, 2]);
  });

  it('never admits more than the limit between replicas racing for it, a block per upsert', async () => {
    const [a, b] = [replica(), replica()];
    const key = apiKey(1200); // blocks of 24
    const admitted = await Promise.all([burst(a.limiter, key, 1200), burst(b.limiter, key, 1200)]);
    expect(admitted[0] + admitted[1]).toBe(1200);
    // 50 blocks, and at most one refused lease per replica.
    expect(a.queries() + b.queries()).toBeLessThanOrEqual(52);
    const row = await pools[0]!.query<{ points: number }>(
      `SELECT points FROM ${API_KEY_RATE_LIMIT_TABLE} WHERE key = $1`,
      [`key:${key.id}`],
    );
    expect(row.rows[0]!.points).toBeGreaterThanOrEqual(1200);
    expect(row.rows[0]!.points).toBeLessThanOrEqual(1200 + 2 * 24);
  });

  it('refuses a spent key from memory, with no database query', async () => {
    const [a, b] = [replica(), replica()];
    const key = apiKey(100);
    await Promise.all([burst(a.limiter, key, 100), burst(b.limiter, key, 100)]);
    const before = [a.queries(), b.queries()];
    await expect(burst(a.limiter, key, 50)).resolves.toBe(0);
    await expect(burst(b.limiter, key, 50)).resolves.toBe(0);
    expect([a.queries(), b.queries()]).toEqual(before);
  });

  it('grants again once the window has ended', async () => {
    const [a, b] = [replica(), replica()];
    const key = apiKey(60);
    await Promise.all([burst(a.limiter, key, 60), burst(b.limiter, key, 60)]);
    clock.advance(30_000);
    await expect(a.limiter.consume(key)).rejects.toMatchObject({ retryAfterSeconds: 30 });
    clock.advance(30_000);
    await expect(b.limiter.consume(key)).resolves.toMatchObject({ limit: 60, resetSeconds: 60 });
    // Blocks of 2: b holds the other unit of its block; a gets the rest.
    await expect(burst(a.limiter, key, 100)).resolves.toBe(58);
    await expect(burst(b.limiter, key, 100)).resolves.toBe(1);
  });

  it('counts in memory on each replica when the database cannot answer', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const down = replica(`postgres://nobody@127.0.0.1:${await freePort()}/none`);
    const key = apiKey(2);
    await expect(down.limiter.consume(key)).resolves.toMatchObject({ remaining: 1 });
    await expect(down.limiter.consume(key)).resolves.toMatchObject({ remaining: 0 });
    await expect(down.limiter.consume(key)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    jest.restoreAllMocks();
  });
});
