import { Pool } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { OutboundRateLimiter } from '../../src/momo/rate-limit/outbound-rate-limiter.service';
import {
  createPostgresRateLimitStores,
  OUTBOUND_RATE_LIMIT_TABLE,
} from '../../src/momo/rate-limit/rate-limit.stores';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { emulatorRequests, startHarness } from './momo-harness';

const noWait = () => Promise.resolve();

describe('the outbound MTN budget in PostgreSQL', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];

  /** One gateway replica: its own limiter on its own connection pool. */
  function replica(env: Record<string, string>): OutboundRateLimiter {
    const config = loadConfig({ MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '0', ...env });
    const pool = new Pool({ connectionString: db.url, max: 2 });
    pools.push(pool);
    return new OutboundRateLimiter(config, createPostgresRateLimitStores(pool, config), noWait);
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
