import { Client } from 'pg';
import { pendingSchemaChanges } from '../../src/database/migrate';
import { OUTBOUND_RATE_LIMIT_TABLE } from '../../src/momo/rate-limit/rate-limit.stores';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('the schema after the migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('agrees with the entities', async () => {
    await expect(pendingSchemaChanges(db.url)).resolves.toEqual([]);
  });

  it("has the outbound budget table in rate-limiter-flexible's shape", async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const columns = await client.query<{
        column_name: string;
        data_type: string;
        is_nullable: string;
      }>(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [OUTBOUND_RATE_LIMIT_TABLE],
      );
      expect(columns.rows).toEqual([
        { column_name: 'key', data_type: 'character varying', is_nullable: 'NO' },
        { column_name: 'points', data_type: 'integer', is_nullable: 'NO' },
        { column_name: 'expire', data_type: 'bigint', is_nullable: 'YES' },
      ]);
      const pk = await client.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
        [OUTBOUND_RATE_LIMIT_TABLE],
      );
      expect(pk.rows).toEqual([{ conname: 'pk_momo_outbound_rate_limit' }]);
    } finally {
      await client.end();
    }
  });
});
