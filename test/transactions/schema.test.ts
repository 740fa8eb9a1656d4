import { pendingSchemaChanges } from '../../src/database/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('transactions schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('matches the entities exactly after the migrations', async () => {
    await expect(pendingSchemaChanges(db.url)).resolves.toEqual([]);
  });
});
