import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestApp, type TestApp } from '../support/app';
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
