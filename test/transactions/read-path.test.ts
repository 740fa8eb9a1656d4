import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { DomainError } from '../../src/common/errors/domain-error';
import { Money } from '../../src/common/money';
import type { Product } from '../../src/common/product';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import type { MomoClient } from '../../src/momo/client/momo-client';
import { CountryRulesService } from '../../src/momo/country-rules/country-rules.service';
import { DailyLimitService } from '../../src/momo/country-rules/daily-limit.service';
import type { MomoStatus } from '../../src/momo/momo.types';
import { NotificationOutbox } from '../../src/notifications/notification-outbox.service';
import { StatusSyncService } from '../../src/payments/status-sync.service';
import { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import { lockTransaction } from '../../src/transactions/status-application';
import { TRANSACTION_COLUMNS } from '../../src/transactions/transaction-columns';
import { decodeCursor, encodeCursor } from '../../src/transactions/transaction-cursor';
import { TransactionDiscrepancy } from '../../src/transactions/transaction-discrepancy.entity';
import type {
  CreatePendingInput,
  ListFilters,
  ListResult,
} from '../../src/transactions/transaction.inputs';
import { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  codeOf,
  collectionInput,
  refundInput,
  StatementLog,
  uniqueId,
} from './transaction-fixtures';

const rules = new CountryRulesService(loadConfig({}));

/** A stored transaction and the token of its callback URL. */
interface Stored {
  transaction: MomoTransaction;
  token: string;
}

/**
 * The reads and the callback path as raw SQL hydrated like a find: the rows must be exactly what
 * TypeORM's own reads return (the reference implementations below are the code they replaced),
 * and a callback confirmation must cost the statements listed here.
 */
describe('the read and callback paths', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: TransactionsService;
  let dailyLimit: DailyLimitService;
  let sync: StatusSyncService;
  /** What the stub MTN answers to a status request. */
  let mtn: MomoStatus;
  const log = new StatementLog();

  /** TypeORM's reads, as the service made them before: what the raw reads must equal. */
  const typeorm = {
    findById: (product: Product, id: string) =>
      dataSource.manager.findOneBy(MomoTransaction, { id, product }),
    async withToken(product: Product, id: string, token: string) {
      const found = await dataSource.manager
        .createQueryBuilder(MomoTransaction, 't')
        .addSelect('t.callbackToken')
        .where('t.id = :id AND t.product = :product', { id, product })
        .getOne();
      if (!found || found.callbackToken !== token) return undefined;
      delete found.callbackToken;
      return found;
    },
    lock: (id: string) =>
      dataSource.transaction((manager) =>
        manager.findOne(MomoTransaction, { where: { id }, lock: { mode: 'pessimistic_write' } }),
      ),
    async list(product: Product, filters: ListFilters, limit = 50): Promise<ListResult> {
      const qb = dataSource.manager
        .createQueryBuilder(MomoTransaction, 't')
        .where('t.product = :product', { product });
      if (filters.status !== undefined) qb.andWhere('t.status = :status', filters);
      if (filters.operation !== undefined) qb.andWhere('t.operation = :operation', filters);
      if (filters.externalId !== undefined) qb.andWhere('t.externalId = :externalId', filters);
      if (filters.phoneNumber !== undefined) qb.andWhere('t.msisdn = :phoneNumber', filters);
      if (filters.country !== undefined) qb.andWhere('t.country = :country', filters);
      if (filters.createdFrom !== undefined) qb.andWhere('t.createdAt >= :createdFrom', filters);
      if (filters.createdTo !== undefined) qb.andWhere('t.createdAt < :createdTo', filters);
      if (filters.cursor !== undefined) {
        const cursor = decodeCursor(filters.cursor);
        qb.andWhere(
          '(t.createdAt, t.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))',
          { cursorAt: cursor.createdAt.toISOString(), cursorId: cursor.id },
        );
      }
      const rows = await qb
        .orderBy('t.createdAt', 'DESC')
        .addOrderBy('t.id', 'DESC')
        .limit(limit + 1)
        .getMany();
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return rows.length > limit && last
        ? { items, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
        : { items };
    },
  };

  async function create(overrides: Partial<CreatePendingInput> = {}): Promise<Stored> {
    const { transaction, callbackToken } = await service.createPending(collectionInput(overrides));
    return { transaction, token: callbackToken };
  }

  async function accepted(overrides: Partial<CreatePendingInput> = {}): Promise<Stored> {
    const { transaction, token } = await create(overrides);
    return { transaction: await service.markAccepted(transaction.id, new Date()), token };
  }

  /** The database work of one callback confirmation (`WebhookService.confirm`). */
  async function confirm(stored: Stored) {
    const { product, id } = stored.transaction;
    const tx = await service.findByCallbackToken(product, id, stored.token);
    if (!tx) throw new Error('the callback token was refused');
    return tx.status === 'PENDING' ? sync.refresh(tx, 'callback', 'live') : undefined;
  }

  /** Every row below, by kind: PENDING, final, refunds (with a parent), other products. */
  const rows: Record<string, Stored> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource({ ...typeOrmOptions(db.url, 5), logger: log });
    await dataSource.initialize();
    service = new TransactionsService(dataSource);
    dailyLimit = new DailyLimitService(dataSource, rules);
    const momo = { getStatus: () => Promise.resolve(mtn) } as unknown as MomoClient;
    sync = new StatusSyncService(service, momo, dailyLimit, new NotificationOutbox());

    rows.pendingBare = await create({ payerMessage: undefined, payeeNote: undefined });
    rows.pendingFull = await accepted({
      idempotencyKey: uniqueId('key'),
      kycLevel: 'basic',
      apiKeyId: randomUUID(),
      amount: '12.50',
      currency: 'GHS',
      country: 'GH',
      msisdn: '233244000000',
    });
    rows.successful = await accepted({ apiKeyId: randomUUID() });
    rows.successful.transaction = (
      await service.applyStatus(rows.successful.transaction.id, {
        status: 'SUCCESSFUL',
        source: 'callback',
        financialTransactionId: '600198217',
      })
    ).transaction;
    rows.failedBeforeAcceptance = await create();
    rows.failedBeforeAcceptance.transaction = (
      await service.failBeforeAcceptance(rows.failedBeforeAcceptance.transaction.id, {
        reason: 'PAYER_NOT_FOUND',
        reasonMessage: 'The payer does not exist',
      })
    ).transaction;
    rows.failed = await accepted();
    rows.failed.transaction = (
      await service.applyStatus(rows.failed.transaction.id, {
        status: 'FAILED',
        source: 'poll',
        reason: 'NOT_ENOUGH_FUNDS',
      })
    ).transaction;
    const refund = await service.createPendingRefund(
      refundInput(rows.successful.transaction.id, { apiKeyId: randomUUID() }),
    );
    rows.refundPending = { transaction: refund.transaction, token: refund.callbackToken };
    const refunded = await service.createPendingRefund(refundInput(rows.successful.transaction.id));
    await service.markAccepted(refunded.transaction.id, new Date());
    rows.refundSuccessful = {
      transaction: (
        await service.applyStatus(refunded.transaction.id, {
          status: 'SUCCESSFUL',
          source: 'callback',
          financialTransactionId: '700100100',
        })
      ).transaction,
      token: refunded.callbackToken,
    };
    rows.transfer = await create({ product: 'disbursement', operation: 'transfer' });
    rows.cashTransfer = await create({ product: 'remittance', operation: 'cashTransfer' });
    // Three at one instant: the id breaks the tie, also across a page boundary.
    const tied = [
      await create(),
      await create({ country: 'GH', currency: 'GHS', msisdn: '233244000001' }),
      await create(),
    ];
    for (const t of tied) {
      await dataSource.query('UPDATE momo_transactions SET created_at = $2 WHERE id = $1', [
        t.transaction.id,
        '2025-01-04T10:00:00.123Z',
      ]);
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('selects every column a find loads, in the entity order, and not the callback token', () => {
    const loaded = dataSource
      .getMetadata(MomoTransaction)
      .columns.filter((c) => !c.isVirtual && c.isSelect)
      .map((c) => c.databaseName);
    expect(TRANSACTION_COLUMNS.split(',').map((c) => c.trim())).toEqual(loaded);
    expect(loaded).not.toContain('callback_token');
  });

  describe('findById', () => {
    it.each([
      'pendingBare',
      'pendingFull',
      'successful',
      'failedBeforeAcceptance',
      'failed',
      'refundPending',
      'refundSuccessful',
      'transfer',
      'cashTransfer',
    ])('returns the %s row exactly as findOneBy does', async (name) => {
      const { product, id } = rows[name]!.transaction;
      const found = await service.findById(product, id);
      expect(found).toBeInstanceOf(MomoTransaction);
      expect(found.callbackToken).toBeUndefined();
      expect(found).toStrictEqual(await typeorm.findById(product, id));
    });

    it('keeps the null columns null and the stored amount text', async () => {
      const { id } = rows.pendingBare!.transaction;
      expect(await service.findById('collection', id)).toMatchObject({
        amount: '1000',
        idempotencyKey: null,
        payerMessage: null,
        payeeNote: null,
        kycLevel: null,
        parentId: null,
        financialTransactionId: null,
        apiKeyId: null,
        nextPollAt: null,
        completedAt: null,
        reason: null,
        reasonMessage: null,
      });
      expect((await service.findById('collection', rows.pendingFull!.transaction.id)).amount).toBe(
        '12.50',
      );
    });

    it('reads a refund with its parent id', async () => {
      const refund = await service.findById('disbursement', rows.refundPending!.transaction.id);
      expect(refund).toMatchObject({
        operation: 'refund',
        parentId: rows.successful!.transaction.id,
      });
    });

    it('answers NOT_FOUND for another product, an unknown id and a malformed id', async () => {
      const { id } = rows.successful!.transaction;
      for (const [product, missing] of [
        ['disbursement', id],
        ['collection', randomUUID()],
        ['collection', 'not-a-uuid'],
      ] as const) {
        const error = await service.findById(product, missing).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ code: 'NOT_FOUND', message: `No transaction ${missing}` });
      }
    });

    it('costs one statement', async () => {
      log.clear();
      await service.findById('collection', rows.successful!.transaction.id);
      expect(log.heads()).toEqual(['SELECT id, product,']);
    });
  });

  describe('findByCallbackToken', () => {
    it.each(['pendingBare', 'pendingFull', 'successful', 'failed', 'refundPending', 'transfer'])(
      'returns the %s row exactly as the query builder did, without the token',
      async (name) => {
        const { transaction, token } = rows[name]!;
        const found = await service.findByCallbackToken(transaction.product, transaction.id, token);
        expect(found).toBeInstanceOf(MomoTransaction);
        expect(Object.keys(found!)).not.toContain('callbackToken');
        expect(found).toStrictEqual(
          await typeorm.withToken(transaction.product, transaction.id, token),
        );
        // A find has the property, undefined: only the shape differs, as it always did.
        expect(found).toEqual(await typeorm.findById(transaction.product, transaction.id));
      },
    );

    it('finds nothing with a wrong token, another product or a malformed id', async () => {
      const { transaction, token } = rows.pendingFull!;
      const { id } = transaction;
      expect(await service.findByCallbackToken('collection', id, `${token}x`)).toBeUndefined();
      expect(await service.findByCallbackToken('collection', id, '')).toBeUndefined();
      expect(await service.findByCallbackToken('collection', id, rows.pendingBare!.token)).toBe(
        undefined,
      );
      expect(await service.findByCallbackToken('disbursement', id, token)).toBeUndefined();
      expect(await service.findByCallbackToken('collection', randomUUID(), token)).toBeUndefined();
      expect(await service.findByCallbackToken('collection', 'nope', token)).toBeUndefined();
    });
  });

  describe('the row lock', () => {
    it.each(['pendingBare', 'pendingFull', 'successful', 'failed', 'refundSuccessful'])(
      'returns the %s row exactly as findOne with a pessimistic lock does',
      async (name) => {
        const { id } = rows[name]!.transaction;
        const locked = await dataSource.transaction((manager) => lockTransaction(manager, id));
        expect(locked).toBeInstanceOf(MomoTransaction);
        expect(locked).toStrictEqual(await typeorm.lock(id));
      },
    );

    it('is undefined for an unknown id', async () => {
      await expect(
        dataSource.transaction((manager) => lockTransaction(manager, randomUUID())),
      ).resolves.toBeUndefined();
    });

    it('holds the row until the transaction ends', async () => {
      const { id } = rows.pendingBare!.transaction;
      await dataSource.transaction(async (manager) => {
        await lockTransaction(manager, id);
        await expect(
          dataSource.query('SELECT 1 FROM momo_transactions WHERE id = $1 FOR UPDATE NOWAIT', [id]),
        ).rejects.toThrow(/could not obtain lock/);
      });
      await expect(
        dataSource.query('SELECT 1 FROM momo_transactions WHERE id = $1 FOR UPDATE NOWAIT', [id]),
      ).resolves.toHaveLength(1);
    });
  });

  describe('list', () => {
    const cases: Array<[string, Product, ListFilters]> = [
      ['everything', 'collection', {}],
      ['PENDING', 'collection', { status: 'PENDING' }],
      ['SUCCESSFUL', 'collection', { status: 'SUCCESSFUL' }],
      ['FAILED', 'collection', { status: 'FAILED' }],
      ['refunds', 'disbursement', { operation: 'refund' }],
      ['transfers', 'disbursement', { operation: 'transfer' }],
      ['remittances', 'remittance', {}],
      ['a country', 'collection', { country: 'GH' }],
      ['a phone number', 'collection', { phoneNumber: '233244000000' }],
      [
        'a creation window',
        'collection',
        {
          createdFrom: new Date('2025-01-04T10:00:00.123Z'),
          createdTo: new Date(Date.now() + 60_000),
        },
      ],
      [
        'an empty window',
        'collection',
        {
          createdFrom: new Date('2025-01-04T10:00:00.124Z'),
          createdTo: new Date('2025-01-04T10:00:00.125Z'),
        },
      ],
      [
        'every filter',
        'collection',
        {
          status: 'PENDING',
          operation: 'requestToPay',
          country: 'UG',
          phoneNumber: '256774123456',
          createdFrom: new Date('2025-01-01T00:00:00.000Z'),
          createdTo: new Date('2025-01-05T00:00:00.000Z'),
        },
      ],
    ];

    it.each(cases)('returns %s exactly as the query builder did', async (_, product, filters) => {
      const page = await service.list(product, filters);
      expect(page).toStrictEqual(await typeorm.list(product, filters));
    });

    it.each(cases)(
      'pages through %s exactly as the query builder did',
      async (_, product, filters) => {
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page: ListResult = await service.list(product, { ...filters, limit: 2, cursor });
          expect(page).toStrictEqual(await typeorm.list(product, { ...filters, cursor }, 2));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        expect(cursor).toBeUndefined();
      },
    );

    it('also finds by externalId', async () => {
      const { externalId } = rows.successful!.transaction;
      const page = await service.list('collection', { externalId });
      expect(page.items).toStrictEqual([
        await typeorm.findById('collection', rows.successful!.transaction.id),
      ]);
      expect(page).toStrictEqual(await typeorm.list('collection', { externalId }));
    });

    it('refuses a bad limit or cursor before querying', async () => {
      log.clear();
      for (const limit of [0, 201, 1.5]) {
        expect(await codeOf(service.list('collection', { limit }))).toBe('VALIDATION_FAILED');
      }
      expect(await codeOf(service.list('collection', { cursor: 'bm9wZQ' }))).toBe(
        'VALIDATION_FAILED',
      );
      expect(log.statements).toEqual([]);
    });

    it('costs one statement', async () => {
      log.clear();
      await service.list('collection', { status: 'PENDING', country: 'UG', limit: 2 });
      expect(log.heads()).toEqual(['SELECT id, product,']);
    });
  });

  describe('a callback confirmation', () => {
    let nextMsisdn = 256779000000;

    /** A new accepted collection of a fresh payer, its daily-limit reservation made. */
    async function reserved(apiKeyId?: string): Promise<Stored> {
      nextMsisdn += 1;
      const input = collectionInput({ msisdn: String(nextMsisdn), kycLevel: 'basic', apiKeyId });
      await dailyLimit.reserve({
        ...input,
        amountMinor: Money.parse(input.amount, input.currency).minor,
      });
      const { transaction, callbackToken } = await service.createPending(input);
      return {
        transaction: await service.markAccepted(transaction.id, new Date()),
        token: callbackToken,
      };
    }

    const fresh = (id: string) => dataSource.manager.findOneByOrFail(MomoTransaction, { id });

    it('costs the token read, BEGIN, the lock, one UPDATE with its event, the outbox, COMMIT', async () => {
      const stored = await reserved(randomUUID());
      mtn = { status: 'SUCCESSFUL', rawStatus: 'SUCCESSFUL', financialTransactionId: '900000001' };
      log.clear();
      const result = await confirm(stored);
      expect(log.heads()).toEqual([
        'SELECT id, product,',
        'START TRANSACTION',
        'SELECT id, product,',
        'WITH t AS',
        'INSERT INTO notification_outbox',
        'COMMIT',
      ]);
      expect(log.statements[0]).toMatch(/callback_token FROM momo_transactions/);
      expect(log.statements[2]).toMatch(/FOR UPDATE$/);
      expect(result).toMatchObject({ changed: true, outcome: 'transition' });
      expect(result!.transaction).toMatchObject({
        status: 'SUCCESSFUL',
        financialTransactionId: '900000001',
        nextPollAt: null,
      });
      expect(result!.transaction).toStrictEqual(await fresh(stored.transaction.id));
      const events = await service.events(stored.transaction.id);
      expect(
        events.map((e) => [e.source, e.fromStatus, e.toStatus, e.financialTransactionId]),
      ).toEqual([
        ['api', null, 'PENDING', null],
        ['callback', 'PENDING', 'SUCCESSFUL', '900000001'],
      ]);
      expect(events[1]!.details).toEqual({ mtnStatus: 'SUCCESSFUL' });
    });

    it('adds the daily-limit release when the payment FAILED, and gives the amount back', async () => {
      const stored = await reserved(randomUUID());
      expect((await dailyLimit.usage(stored.transaction)).used).toBe('1000');
      mtn = { status: 'FAILED', rawStatus: 'FAILED', reason: 'APPROVAL_REJECTED' };
      log.clear();
      const result = await confirm(stored);
      expect(log.heads()).toEqual([
        'SELECT id, product,',
        'START TRANSACTION',
        'SELECT id, product,',
        'WITH t AS',
        'WITH released AS',
        'INSERT INTO notification_outbox',
        'COMMIT',
      ]);
      expect(result!.transaction).toMatchObject({ status: 'FAILED', reason: 'APPROVAL_REJECTED' });
      expect(result!.transaction).toStrictEqual(await fresh(stored.transaction.id));
      expect((await dailyLimit.usage(stored.transaction)).used).toBe('0');
    });

    it('writes no outbox row for a transaction no API key created', async () => {
      const stored = await reserved();
      expect(stored.transaction.apiKeyId).toBeNull();
      mtn = { status: 'SUCCESSFUL', rawStatus: 'SUCCESSFUL' };
      log.clear();
      await confirm(stored);
      expect(log.heads()).toEqual([
        'SELECT id, product,',
        'START TRANSACTION',
        'SELECT id, product,',
        'WITH t AS',
        'COMMIT',
      ]);
    });

    it('costs the token read alone for a transaction already final', async () => {
      log.clear();
      await confirm(rows.successful!);
      expect(log.heads()).toEqual(['SELECT id, product,']);
    });
  });

  describe('the other outcomes of a report', () => {
    async function final(financialTransactionId?: string): Promise<MomoTransaction> {
      const { transaction } = await accepted();
      return (
        await service.applyStatus(transaction.id, {
          status: 'SUCCESSFUL',
          source: 'callback',
          ...(financialTransactionId ? { financialTransactionId } : {}),
        })
      ).transaction;
    }

    const freshDiscrepancy = (id: string) =>
      dataSource.manager.findOneByOrFail(TransactionDiscrepancy, { id });

    it('stores a late financialTransactionId and its event in one statement', async () => {
      const t = await final();
      log.clear();
      const result = await service.applyStatus(t.id, {
        status: 'SUCCESSFUL',
        source: 'poll',
        financialTransactionId: '600000042',
      });
      expect(log.heads()).toEqual([
        'START TRANSACTION',
        'SELECT id, product,',
        'WITH t AS',
        'COMMIT',
      ]);
      expect(result).toMatchObject({ changed: false, outcome: 'enrich' });
      expect(result.transaction.financialTransactionId).toBe('600000042');
      expect(result.transaction).toStrictEqual(await typeorm.findById('collection', t.id));
      const events = await service.events(t.id);
      expect(events[events.length - 1]).toMatchObject({
        source: 'poll',
        fromStatus: 'SUCCESSFUL',
        toStatus: 'SUCCESSFUL',
        reason: null,
        financialTransactionId: '600000042',
        details: { added: 'financialTransactionId' },
      });
    });

    it('keeps a conflicting status as a discrepancy, in one statement', async () => {
      const t = await final('600000043');
      log.clear();
      const result = await service.applyStatus(t.id, {
        status: 'FAILED',
        source: 'callback',
        reason: 'INTERNAL_PROCESSING_ERROR',
        details: { via: 'test' },
      });
      expect(log.heads()).toEqual([
        'START TRANSACTION',
        'SELECT id, product,',
        'INSERT INTO transaction_discrepancies',
        'COMMIT',
      ]);
      expect(result).toMatchObject({ changed: false, outcome: 'conflict' });
      expect(result.transaction).toStrictEqual(await typeorm.findById('collection', t.id));
      expect(result.discrepancy).toMatchObject({
        kind: 'STATUS_CONFLICT',
        storedStatus: 'SUCCESSFUL',
        reportedStatus: 'FAILED',
        reportedReason: 'INTERNAL_PROCESSING_ERROR',
        details: { via: 'test' },
        acknowledgedAt: null,
      });
      expect(result.discrepancy).toStrictEqual(await freshDiscrepancy(result.discrepancy!.id));
    });

    it('applies a transition with another amount and keeps the mismatch', async () => {
      const { transaction } = await accepted();
      log.clear();
      const result = await service.applyStatus(transaction.id, {
        status: 'SUCCESSFUL',
        source: 'callback',
        reportedAmount: '999',
        reportedCurrency: 'EUR',
      });
      expect(log.heads()).toEqual([
        'START TRANSACTION',
        'SELECT id, product,',
        'WITH t AS',
        'INSERT INTO transaction_discrepancies',
        'COMMIT',
      ]);
      expect(result.transaction).toStrictEqual(
        await typeorm.findById('collection', transaction.id),
      );
      expect(result.discrepancy).toMatchObject({
        kind: 'AMOUNT_MISMATCH',
        storedStatus: 'PENDING',
        reportedAmount: '999',
        details: null,
      });
      expect(result.discrepancy).toStrictEqual(await freshDiscrepancy(result.discrepancy!.id));
    });

    it('stores no details as SQL NULL, not as the JSON null', async () => {
      const { transaction } = await accepted();
      await service.applyStatus(transaction.id, { status: 'SUCCESSFUL', source: 'callback' });
      const found: { sql_null: boolean }[] = await dataSource.query(
        `SELECT details IS NULL AS sql_null FROM transaction_events
          WHERE transaction_id = $1 AND to_status = 'SUCCESSFUL'`,
        [transaction.id],
      );
      expect(found).toEqual([{ sql_null: true }]);
    });

    it('changes nothing for a PENDING report: BEGIN, the lock, COMMIT', async () => {
      const { transaction } = await accepted();
      log.clear();
      const result = await service.applyStatus(transaction.id, {
        status: 'PENDING',
        source: 'poll',
      });
      expect(log.heads()).toEqual(['START TRANSACTION', 'SELECT id, product,', 'COMMIT']);
      expect(result).toMatchObject({ changed: false, outcome: 'still-pending' });
      expect(result.transaction).toStrictEqual(
        await typeorm.findById('collection', transaction.id),
      );
    });
  });
});
