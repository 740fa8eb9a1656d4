import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('test database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('is a real PostgreSQL with the migrations table in place', async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const v = await c.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(v.rows[0]!.server_version_num)).toBeGreaterThanOrEqual(150000);
      const t = await c.query("SELECT to_regclass('public.typeorm_migrations') AS t");
      expect(t.rows[0].t).toBe('typeorm_migrations');
    } finally {
      await c.end();
    }
  });
});
