import { pendingSchemaChanges } from '../../src/database/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** The equivalent of `typeorm migration:generate --check`: entities and migrations must agree. */
describe('schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('needs no SQL beyond the migrations to match the entities', async () => {
    expect(await pendingSchemaChanges(db.url)).toEqual([]);
  });
});
