import type { DataSource } from 'typeorm';
import type { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import type { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  codeOf,
  collectionInput,
  openService,
  refundInput,
  successfulCollection,
  uniqueId,
} from './transaction-fixtures';

describe('refunds', () => {
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

  describe('createPendingRefund', () => {
    let collection: MomoTransaction;
    let refund: MomoTransaction;

    beforeAll(async () => {
      collection = await successfulCollection(service);
      ({ transaction: refund } = await service.createPendingRefund(
        refundInput(collection.id, { amount: '400' }),
      ));
    });

    it('creates a PENDING disbursement refund linked to its collection', () => {
      expect(refund).toMatchObject({
        product: 'disbursement',
        operation: 'refund',
        status: 'PENDING',
        parentId: collection.id,
        amount: '400',
      });
    });

    it("refunds the collection's payer", () => {
      expect(refund).toMatchObject({ msisdn: collection.msisdn, country: collection.country });
    });

    it('counts it against what may still be refunded', async () => {
      await expect(service.refundableAmount(collection.id)).resolves.toEqual({
        currency: 'UGX',
        collected: '1000',
        refunded: '400',
        refundable: '600',
      });
    });
  });

  it('allows refunds up to exactly the collected amount', async () => {
    const collection = await successfulCollection(service);
    await service.createPendingRefund(refundInput(collection.id, { amount: '600' }));
    await service.createPendingRefund(refundInput(collection.id, { amount: '400' }));
    await expect(service.refundableAmount(collection.id)).resolves.toMatchObject({
      refundable: '0',
    });
  });

  it('refuses a refund beyond what is left with REFUND_EXCEEDS_COLLECTED', async () => {
    const collection = await successfulCollection(service);
    await service.createPendingRefund(refundInput(collection.id, { amount: '600' }));
    const error = await service
      .createPendingRefund(refundInput(collection.id, { amount: '401' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'REFUND_EXCEEDS_COLLECTED',
      details: [expect.objectContaining({ field: 'amount', refundable: '400' })],
    });
  });

  it('frees the amount of a refund that FAILED', async () => {
    const collection = await successfulCollection(service);
    const { transaction } = await service.createPendingRefund(
      refundInput(collection.id, { amount: '1000' }),
    );
    await service.failBeforeAcceptance(transaction.id, { reason: 'NOT_ENOUGH_FUNDS' });
    await expect(
      service.createPendingRefund(refundInput(collection.id, { amount: '1000' })),
    ).resolves.toMatchObject({
      replayed: false,
    });
  });

  it('replays the same refund request instead of refusing it as exceeding', async () => {
    const collection = await successfulCollection(service);
    const input = refundInput(collection.id, { amount: '1000', idempotencyKey: uniqueId('key') });
    const first = await service.createPendingRefund(input);
    await expect(service.createPendingRefund(input)).resolves.toMatchObject({
      replayed: true,
      transaction: { id: first.transaction.id },
    });
  });

  it('refuses a refund of a collection that is not SUCCESSFUL', async () => {
    const { transaction } = await service.createPending(collectionInput());
    expect(await codeOf(service.createPendingRefund(refundInput(transaction.id)))).toBe(
      'REFUND_NOT_ALLOWED',
    );
  });

  it('refuses a refund of a FAILED collection', async () => {
    const { transaction } = await service.createPending(collectionInput());
    await service.failBeforeAcceptance(transaction.id, { reason: 'PAYER_NOT_FOUND' });
    expect(await codeOf(service.createPendingRefund(refundInput(transaction.id)))).toBe(
      'REFUND_NOT_ALLOWED',
    );
  });

  it('refuses a refund of a disbursement', async () => {
    const transfer = await successfulCollection(service, {
      product: 'disbursement',
      operation: 'transfer',
    });
    expect(await codeOf(service.createPendingRefund(refundInput(transfer.id)))).toBe(
      'REFUND_NOT_ALLOWED',
    );
  });

  it('refuses a refund of a refund', async () => {
    const collection = await successfulCollection(service);
    const { transaction } = await service.createPendingRefund(refundInput(collection.id));
    await service.applyStatus(transaction.id, { status: 'SUCCESSFUL', source: 'callback' });
    expect(await codeOf(service.createPendingRefund(refundInput(transaction.id)))).toBe(
      'REFUND_NOT_ALLOWED',
    );
  });

  it('refuses a refund of an unknown collection', async () => {
    expect(
      await codeOf(
        service.createPendingRefund(refundInput('00000000-0000-4000-8000-000000000000')),
      ),
    ).toBe('REFUND_NOT_ALLOWED');
  });

  it('refuses a refund in another currency', async () => {
    const collection = await successfulCollection(service);
    expect(
      await codeOf(
        service.createPendingRefund(refundInput(collection.id, { currency: 'GHS', amount: '1' })),
      ),
    ).toBe('CURRENCY_MISMATCH');
  });

  it('tells refundableAmount callers when nothing may be refunded', async () => {
    const { transaction } = await service.createPending(collectionInput());
    expect(await codeOf(service.refundableAmount(transaction.id))).toBe('REFUND_NOT_ALLOWED');
  });

  it('lets only the refunds that fit through when they arrive at once from several replicas', async () => {
    const collection = await successfulCollection(service);
    const replicas = await Promise.all([openService(db.url, 3), openService(db.url, 3)]);
    try {
      // Five refunds of 300 against 1000 collected: any three fit, never four.
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          codeOf(
            replicas[i % 2]!.service.createPendingRefund(
              refundInput(collection.id, { amount: '300' }),
            ),
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'resolved')).toHaveLength(3);
      expect(outcomes.filter((o) => o === 'REFUND_EXCEEDS_COLLECTED')).toHaveLength(2);
      await expect(service.refundableAmount(collection.id)).resolves.toMatchObject({
        refunded: '900',
        refundable: '100',
      });
    } finally {
      await Promise.all(replicas.map((r) => r.dataSource.destroy()));
    }
  });
});
