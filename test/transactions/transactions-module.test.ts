import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import { TransactionsModule } from '../../src/transactions/transactions.module';
import { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { collectionInput } from './transaction-fixtures';

describe('TransactionsModule', () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    db = await createTestDatabase();
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(typeOrmOptions(db.url, 2)), TransactionsModule],
    }).compile();
  });
  afterAll(async () => {
    await moduleRef.close();
    await db.drop();
  });

  it('provides a working TransactionsService', async () => {
    const service = moduleRef.get(TransactionsService);
    await expect(service.createPending(collectionInput())).resolves.toMatchObject({
      replayed: false,
    });
  });
});
