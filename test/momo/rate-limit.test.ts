import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { OutboundRateLimiter } from '../../src/momo/rate-limit/outbound-rate-limiter.service';
import {
  createPostgresRateLimitStores,
  OUTBOUND_RATE_LIMIT_TABLE,
} from '../../src/momo/rate-limit/rate-limit.stores';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/free-port';
import { ManualClock, emulatorRequests, startHarness } from './momo-harness';

const noWait = () => Promise.resolve();

describe('the outbound MTN budget in PostgreSQL', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const clock = new ManualClock();
  const queries = new Map<OutboundRateLimiter, () => number>();

  /** One gateway replica: its own limiter on its own connection pool, whose queries are counted. */
  function replica(env: Record<string, string>, url = db.url): OutboundRateLimiter {
    const config = loadConfig({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '0', ...env });
    const pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    pools.push(pool);
    const query = jest.spyOn(pool, 'query');
    const limiter = new OutboundRateLimiter(
      config,
      createPostgresRateLimitStores(pool, config, clock),
      noWait,
    );
    queries.set(limiter, () => query.mock.calls.length);
    return limiter;
  }
  const queryCount = (...limiters: OutboundRateLimiter[]) =>
    limiters.reduce((sum, l) => sum + queries.get(l)!(), 0);

  /**
   * Starts `n` calls at once on a replica; how many were granted (the rest RATE_LIMITED). Races
   * ask each replica for at least the whole budget: a replica whose demand is all met may keep
   * unspent units of its last block, and then fewer than the budget are granted in total.
   */
  async function burst(
    limiter: OutboundRateLimiter,
    request: ReturnType<typeof live>,
    n: number,
  ): Promise<number> {
    const results = await Promise.allSettled(
      Array.from({ length: n }, () => limiter.acquire(request)),
    );
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'RATE_LIMITED' });
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  const live = (accountId: string) => ({ accountId, product: 'collection' as const });
  const background = (accountId: string) => ({
    ...live(accountId),
    priority: 'background' as const,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  it('is one budget shared by two replicas', async () => {
    const env = { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '10' };
    const [a, b] = [replica(env), replica(env)];
    for (let i = 0; i < 5; i++) {
      await a.acquire(live('shared'));
      await b.acquire(live('shared'));
    }
    await expect(a.acquire(live('shared'))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    await expect(b.acquire(live('shared'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('keeps its count in the migrated table', async () => {
    const pool = new Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    const rows = await pool.query<{ key: string; points: number }>(
      `SELECT key, points FROM ${OUTBOUND_RATE_LIMIT_TABLE} WHERE key = 'momo:shared:collection'`,
    );
    expect(rows.rows[0]?.points).toBeGreaterThanOrEqual(10);
  });

  it('caps background calls of all replicas at their share', async () => {
    const env = {
      MTN_MOMO_RATE_LIMIT_PER_MINUTE: '10',
      MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '30',
    };
    const [a, b] = [replica(env), replica(env)];
    await a.acquire(background('bg'));
    await b.acquire(background('bg'));
    await a.acquire(background('bg'));
    await expect(b.acquire(background('bg'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('leaves live calls the rest of the budget once background has used its share', async () => {
    const env = {
      MTN_MOMO_RATE_LIMIT_PER_MINUTE: '10',
      MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '30',
    };
    const [a, b] = [replica(env), replica(env)];
    for (let i = 0; i < 3; i++) await a.acquire(background('mixed'));
    for (let i = 0; i < 7; i++) await b.acquire(live('mixed'));
    await expect(a.acquire(live('mixed'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('refuses background calls once live traffic has used the whole budget', async () => {
    const env = {
      MTN_MOMO_RATE_LIMIT_PER_MINUTE: '5',
      MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '40',
    };
    const a = replica(env);
    for (let i = 0; i < 5; i++) await a.acquire(live('busy'));
    await expect(a.acquire(background('busy'))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(a.getCounters()).toMatchObject({ backgroundRefusals: 1, liveRefusals: 0 });
  });

  it('with a budget up to 50 a minute, costs one upsert per call as before', async () => {
    const env = { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '10' };
    const [a, b] = [replica(env), replica(env)];
    for (let i = 0; i < 5; i++) {
      await a.acquire(live('small'));
      await b.acquire(live('small'));
    }
    expect(queryCount(a, b)).toBe(10);
  });

  it('never grants more than the budget between two replicas racing for it', async () => {
    const env = { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '600' }; // blocks of 12
    const [a, b] = [replica(env), replica(env)];
    const granted = await Promise.all([burst(a, live('race'), 600), burst(b, live('race'), 600)]);
    expect(granted[0] + granted[1]).toBe(600);
    // 50 blocks, and at most one refused lease per replica.
    expect(queryCount(a, b)).toBeLessThanOrEqual(52);
    expect(a.getCounters().liveRefusals + b.getCounters().liveRefusals).toBe(600);
  });

  it('grants exactly the budget to one replica hit by 5,000 calls at once, in 50 upserts', async () => {
    const a = replica({ MTN_MOMO_RATE_LIMIT_PER_MINUTE: '600' });
    await expect(burst(a, live('burst'), 5000)).resolves.toBe(600);
    expect(queryCount(a)).toBe(50);
  });

  it('refuses from memory once the budget is spent, with no database query', async () => {
    const env = { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '120' };
    const [a, b] = [replica(env), replica(env)];
    await Promise.all([burst(a, live('spent'), 120), burst(b, live('spent'), 120)]);
    const before = queryCount(a, b);
    await expect(burst(a, live('spent'), 50)).resolves.toBe(0);
    await expect(burst(b, background('spent'), 50)).resolves.toBe(0);
    expect(queryCount(a, b)).toBe(before);
  });

  it('grants again once the window has ended', async () => {
    const env = { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '600' };
    const [a, b] = [replica(env), replica(env)];
    await Promise.all([burst(a, live('reset'), 600), burst(b, live('reset'), 600)]);
    clock.advance(30_000);
    await expect(a.acquire(live('reset'))).rejects.toMatchObject({ retryAfterSeconds: 30 });
    clock.advance(30_000);
    const granted = await Promise.all([burst(a, live('reset'), 600), burst(b, live('reset'), 600)]);
    expect(granted[0] + granted[1]).toBe(600);
  });

  it('caps background calls of racing replicas at their share, leaving live calls the rest', async () => {
    const env = {
      MTN_MOMO_RATE_LIMIT_PER_MINUTE: '600',
      MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '30', // 180, blocks of 4
    };
    const [a, b] = [replica(env), replica(env)];
    const bg = await Promise.all([
      burst(a, background('share'), 180),
      burst(b, background('share'), 180),
    ]);
    expect(bg[0] + bg[1]).toBe(180);
    const liveGranted = await Promise.all([
      burst(a, live('share'), 420),
      burst(b, live('share'), 420),
    ]);
    // Background calls spent whole blocks of the total: live calls get the rest, to the unit.
    expect(liveGranted[0] + liveGranted[1]).toBe(420);
  });

  it('lets calls go ahead, counted in memory and as store errors, when the database cannot answer', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const a = replica(
      { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '600' },
      `postgres://nobody@127.0.0.1:${await freePort()}/none`,
    );
    await expect(burst(a, live('down'), 100)).resolves.toBe(100);
    await expect(a.acquire(background('down'))).resolves.toBeUndefined();
    expect(a.getCounters().storeErrors).toBeGreaterThanOrEqual(102);
    jest.restoreAllMocks();
  });
});

describe('the outbound budget in front of MTN', () => {
  it('stops calls beyond the budget before they reach MTN', async () => {
    const h = await startHarness({
      env: { MTN_MOMO_RATE_LIMIT_PER_MINUTE: '5', MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '0' },
    });
    try {
      const balance = () => h.client.getBalance({ product: 'collection', country: 'UG' });
      for (let i = 0; i < 5; i++) await balance();
      await expect(balance()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      await expect(
        emulatorRequests(h.emulator, { path: '/collection/v1_0/account/balance' }),
      ).resolves.toHaveLength(5);
    } finally {
      await h.close();
    }
  });
});
