import type { DataSource } from 'typeorm';
import { DomainError } from '../../src/common/errors/domain-error';
import type { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { codeOf, collectionInput, openService, uniqueId } from './transaction-fixtures';

describe('TransactionsService.createPending', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: TransactionsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ service, dataSource } = await openService(db.url));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  async function rowsWithExternalId(externalId: string): Promise<number> {
    const rows: { n: string }[] = await dataSource.query(
      'SELECT count(*) AS n FROM momo_transactions WHERE external_id = $1',
      [externalId],
    );
    return Number(rows[0]!.n);
  }

  it('stores a PENDING transaction with a UUID v4 id and the request as given', async () => {
    const input = collectionInput({ idempotencyKey: uniqueId('key') });
    const { transaction, replayed } = await service.createPending(input);
    expect(replayed).toBe(false);
    expect(transaction).toMatchObject({
      product: 'collection',
      operation: 'requestToPay',
      status: 'PENDING',
      amount: '1000',
      currency: 'UGX',
      country: 'UG',
      msisdn: '256774123456',
      externalId: input.externalId,
      idempotencyKey: input.idempotencyKey,
      mtnCurrency: 'EUR',
      accountId: 'collection-default',
      mtnAccepted: false,
      pollAttempts: 0,
      completedAt: null,
      parentId: null,
    });
    expect(transaction.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('appends one creation event from no status to PENDING', async () => {
    const { transaction } = await service.createPending(collectionInput());
    const events = await service.events(transaction.id);
    expect(events).toEqual([
      expect.objectContaining({
        source: 'api',
        fromStatus: null,
        toStatus: 'PENDING',
        transactionId: transaction.id,
      }),
    ]);
  });

  it('returns an unguessable callback token and keeps it out of the transaction', async () => {
    const { transaction, callbackToken } = await service.createPending(collectionInput());
    expect(callbackToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(transaction.callbackToken).toBeUndefined();
    expect(JSON.stringify(transaction)).not.toContain(callbackToken);
  });

  it('stores the amount in its canonical form', async () => {
    const { transaction } = await service.createPending(
      collectionInput({ amount: '12.500', currency: 'GHS', country: 'GH', msisdn: '233244000000' }),
    );
    expect(transaction.amount).toBe('12.50');
  });

  it('refuses an amount with more decimals than the currency has', async () => {
    await expect(
      service.createPending(collectionInput({ amount: '1000.5' })),
    ).rejects.toMatchObject({
      code: 'INVALID_AMOUNT',
    });
  });

  it('refuses a phone number that is not MSISDN digits', async () => {
    await expect(
      service.createPending(collectionInput({ msisdn: '+256774123456' })),
    ).rejects.toMatchObject({
      code: 'INVALID_PHONE_NUMBER',
    });
  });

  describe('with an Idempotency-Key', () => {
    it('replays the same request: the same transaction, no new row', async () => {
      const input = collectionInput({ idempotencyKey: uniqueId('key') });
      const first = await service.createPending(input);
      const again = await service.createPending(input);
      expect(again.replayed).toBe(true);
      expect(again.transaction.id).toBe(first.transaction.id);
      expect(await rowsWithExternalId(input.externalId)).toBe(1);
    });

    it('replays with the same callback token', async () => {
      const input = collectionInput({ idempotencyKey: uniqueId('key') });
      const first = await service.createPending(input);
      const again = await service.createPending(input);
      expect(again.callbackToken).toBe(first.callbackToken);
    });

    it('treats a body with its keys in another order as the same request', async () => {
      const input = collectionInput({ idempotencyKey: uniqueId('key') });
      const first = await service.createPending(input);
      const reordered = Object.fromEntries(Object.entries(input.request as object).reverse());
      const again = await service.createPending({ ...input, request: reordered });
      expect(again.transaction.id).toBe(first.transaction.id);
    });

    it('refuses a different request under the same key with IDEMPOTENCY_KEY_REUSED', async () => {
      const key = uniqueId('key');
      await service.createPending(collectionInput({ idempotencyKey: key }));
      const error = await service
        .createPending(collectionInput({ idempotencyKey: key }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        details: [expect.objectContaining({ field: 'Idempotency-Key' })],
      });
    });

    it('scopes keys per product', async () => {
      const key = uniqueId('key');
      await service.createPending(collectionInput({ idempotencyKey: key }));
      const other = await service.createPending(
        collectionInput({ idempotencyKey: key, product: 'disbursement', operation: 'transfer' }),
      );
      expect(other.replayed).toBe(false);
    });

    it('replays a transaction that has since FAILED rather than creating another', async () => {
      const input = collectionInput({ idempotencyKey: uniqueId('key') });
      const first = await service.createPending(input);
      await service.failBeforeAcceptance(first.transaction.id, { reason: 'CIRCUIT_OPEN' });
      const again = await service.createPending(input);
      expect(again).toMatchObject({
        replayed: true,
        transaction: { id: first.transaction.id, status: 'FAILED' },
      });
    });
  });

  describe('by externalId', () => {
    it('replays the same request sent again without a key', async () => {
      const input = collectionInput();
      const first = await service.createPending(input);
      const again = await service.createPending(input);
      expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
    });

    it('refuses a different request with a live externalId with DUPLICATE_EXTERNAL_ID', async () => {
      const externalId = uniqueId('ORDER');
      await service.createPending(collectionInput({ externalId }));
      const error = await service
        .createPending(collectionInput({ externalId, amount: '2000' }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'DUPLICATE_EXTERNAL_ID',
        details: [expect.objectContaining({ field: 'externalId' })],
      });
    });

    it('refuses it even under a fresh Idempotency-Key', async () => {
      const externalId = uniqueId('ORDER');
      await service.createPending(collectionInput({ externalId, idempotencyKey: uniqueId('key') }));
      expect(
        await codeOf(
          service.createPending(
            collectionInput({ externalId, amount: '2000', idempotencyKey: uniqueId('key') }),
          ),
        ),
      ).toBe('DUPLICATE_EXTERNAL_ID');
    });

    it('lets the externalId of a FAILED transaction be used again', async () => {
      const externalId = uniqueId('ORDER');
      const first = await service.createPending(collectionInput({ externalId }));
      await service.failBeforeAcceptance(first.transaction.id, { reason: 'PAYER_NOT_FOUND' });
      const second = await service.createPending(collectionInput({ externalId }));
      expect(second.replayed).toBe(false);
      expect(second.transaction.id).not.toBe(first.transaction.id);
    });

    it('scopes externalIds per product', async () => {
      const externalId = uniqueId('ORDER');
      await service.createPending(collectionInput({ externalId }));
      const other = await service.createPending(
        collectionInput({
          externalId,
          amount: '2000',
          product: 'remittance',
          operation: 'transfer',
        }),
      );
      expect(other.replayed).toBe(false);
    });
  });

  describe('hooks.beforeInsert', () => {
    it('runs inside the creating database transaction', async () => {
      let sawTransaction = false;
      await service.createPending(collectionInput(), {
        beforeInsert: async (manager) => {
          sawTransaction = manager.queryRunner?.isTransactionActive === true;
          await Promise.resolve();
        },
      });
      expect(sawTransaction).toBe(true);
    });

    it('rolls the creation back when it throws', async () => {
      const input = collectionInput();
      const refusal = new DomainError('DAILY_LIMIT_EXCEEDED', 'over the daily limit');
      await expect(
        service.createPending(input, {
          beforeInsert: () => Promise.reject(refusal),
        }),
      ).rejects.toBe(refusal);
      expect(await rowsWithExternalId(input.externalId)).toBe(0);
    });

    it('keeps none of its effects for a replay', async () => {
      const input = collectionInput();
      const first = await service.createPending(input);
      const marker = uniqueId('hook');
      const again = await service.createPending(input, {
        beforeInsert: async (manager) => {
          await manager.query('CREATE TABLE IF NOT EXISTS hook_marks (mark text NOT NULL)');
          await manager.query('INSERT INTO hook_marks (mark) VALUES ($1)', [marker]);
        },
      });
      expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
      const marks: unknown[] = await dataSource.query(
        `SELECT 1 FROM pg_tables WHERE tablename = 'hook_marks'`,
      );
      expect(marks).toEqual([]);
    });

    it('answers a replay, not its refusal, when it refuses a repeated request', async () => {
      const input = collectionInput({ idempotencyKey: uniqueId('key') });
      const first = await service.createPending(input);
      const refusal = new DomainError('DAILY_LIMIT_EXCEEDED', 'over the daily limit');
      const refuse = { beforeInsert: () => Promise.reject(refusal) };
      await expect(service.createPending(input, refuse)).resolves.toMatchObject({
        replayed: true,
        transaction: { id: first.transaction.id },
      });
      // A different request under the same key: the 409, as when it is looked up first.
      expect(
        await codeOf(
          service.createPending(
            collectionInput({ idempotencyKey: input.idempotencyKey, amount: '2000' }),
            refuse,
          ),
        ),
      ).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('reads', () => {
    it('finds a transaction by product and id', async () => {
      const { transaction } = await service.createPending(collectionInput());
      await expect(service.findById('collection', transaction.id)).resolves.toMatchObject({
        id: transaction.id,
      });
    });

    it('answers NOT_FOUND for the id under another product', async () => {
      const { transaction } = await service.createPending(collectionInput());
      expect(await codeOf(service.findById('disbursement', transaction.id))).toBe('NOT_FOUND');
    });

    it('answers NOT_FOUND for an id that is not a UUID', async () => {
      expect(await codeOf(service.findById('collection', 'not-a-uuid'))).toBe('NOT_FOUND');
    });

    it('finds a transaction by its callback token', async () => {
      const { transaction, callbackToken } = await service.createPending(collectionInput());
      const found = await service.findByCallbackToken('collection', transaction.id, callbackToken);
      expect(found?.id).toBe(transaction.id);
      expect(found?.callbackToken).toBeUndefined();
    });

    it('finds nothing with a wrong callback token', async () => {
      const { transaction, callbackToken } = await service.createPending(collectionInput());
      const wrong = `${callbackToken.slice(0, -1)}${callbackToken.endsWith('A') ? 'B' : 'A'}`;
      await expect(
        service.findByCallbackToken('collection', transaction.id, wrong),
      ).resolves.toBeUndefined();
    });

    it('finds nothing with the right token under another product', async () => {
      const { transaction, callbackToken } = await service.createPending(collectionInput());
      await expect(
        service.findByCallbackToken('remittance', transaction.id, callbackToken),
      ).resolves.toBeUndefined();
    });
  });
});
