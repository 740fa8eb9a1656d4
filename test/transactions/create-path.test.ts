import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { Money } from '../../src/common/money';
import { typeOrmOptions } from '../../src/database/typeorm-options';
import { CountryRulesService } from '../../src/momo/country-rules/country-rules.service';
import { DailyLimitService } from '../../src/momo/country-rules/daily-limit.service';
import { hydrate } from '../../src/transactions/hydrate';
import { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import type {
  CreateHooks,
  CreatePendingInput,
  CreatePendingResult,
} from '../../src/transactions/transaction.inputs';
import { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  codeOf,
  collectionInput,
  openService,
  refundInput,
  StatementLog,
  successfulCollection,
  uniqueId,
} from './transaction-fixtures';

const rules = new CountryRulesService(loadConfig({}));
let nextMsisdn = 256771000000;

/** A fresh Ugandan payer, so no two tests share a daily-usage row. */
function payerInput(overrides: Partial<CreatePendingInput> = {}): CreatePendingInput {
  nextMsisdn += 1;
  return collectionInput({ msisdn: String(nextMsisdn), kycLevel: 'basic', ...overrides });
}

/** The hook `PaymentInitiationService.initiate` passes: the daily-limit reservation. */
function reserving(dailyLimit: DailyLimitService, input: CreatePendingInput): CreateHooks {
  return {
    reservation: dailyLimit.reservation({
      msisdn: input.msisdn,
      country: input.country,
      product: input.product,
      currency: input.currency,
      amountMinor: Money.parse(input.amount, input.currency).minor,
      kycLevel: input.kycLevel,
    }),
  };
}

/**
 * The create path's round trips: the optimistic insert (row and event in one statement, the row
 * hydrated from RETURNING), replays resolved after a conflicting insert, and the statements a new
 * create costs.
 */
describe('the create path', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: TransactionsService;
  let dailyLimit: DailyLimitService;
  const log = new StatementLog();

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = new DataSource({ ...typeOrmOptions(db.url, 5), logger: log });
    await dataSource.initialize();
    service = new TransactionsService(dataSource);
    dailyLimit = new DailyLimitService(dataSource, rules);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const fresh = (id: string) => dataSource.manager.findOneByOrFail(MomoTransaction, { id });

  describe('hydration from RETURNING', () => {
    it('returns the inserted row exactly as a fresh read loads it', async () => {
      const input = payerInput({ idempotencyKey: uniqueId('key'), apiKeyId: randomUUID() });
      const { transaction } = await service.createPending(input);
      expect(transaction).toBeInstanceOf(MomoTransaction);
      expect(transaction.createdAt).toBeInstanceOf(Date);
      expect(transaction.callbackToken).toBeUndefined();
      expect(transaction).toStrictEqual(await fresh(transaction.id));
    });

    it('keeps nullable columns null and the amount as the stored text', async () => {
      const { transaction } = await service.createPending(
        collectionInput({
          amount: '12.500',
          currency: 'GHS',
          country: 'GH',
          msisdn: '233244000000',
          payerMessage: undefined,
          payeeNote: undefined,
        }),
      );
      expect(transaction).toMatchObject({
        amount: '12.50',
        payerMessage: null,
        kycLevel: null,
        idempotencyKey: null,
      });
      expect(transaction).toStrictEqual(await fresh(transaction.id));
    });

    it('returns a refund exactly as a fresh read loads it', async () => {
      const parent = await successfulCollection(service);
      const { transaction } = await service.createPendingRefund(refundInput(parent.id));
      expect(transaction.parentId).toBe(parent.id);
      expect(transaction).toStrictEqual(await fresh(transaction.id));
    });

    it('returns an accepted row (markAccepted) exactly as a fresh read loads it', async () => {
      const { transaction } = await service.createPending(payerInput());
      const accepted = await service.markAccepted(transaction.id, new Date('2030-01-01T00:00:01.234Z'));
      expect(accepted).toMatchObject({
        mtnAccepted: true,
        nextPollAt: new Date('2030-01-01T00:00:01.234Z'),
      });
      expect(accepted).toStrictEqual(await fresh(transaction.id));
    });

    it('hydrates a final row (every column set) as findOneByOrFail does', async () => {
      const final = await successfulCollection(service, { apiKeyId: randomUUID() });
      const rows: Record<string, unknown>[] = await dataSource.query(
        'SELECT * FROM momo_transactions WHERE id = $1',
        [final.id],
      );
      const hydrated = hydrate(dataSource, MomoTransaction, rows[0]!);
      expect(hydrated.completedAt).toBeInstanceOf(Date);
      expect(hydrated.financialTransactionId).toBe('600198217');
      expect(hydrated).toStrictEqual(await fresh(final.id));
    });

    it('writes the creation event in the same statement', async () => {
      const { transaction } = await service.createPending(payerInput());
      expect(await service.events(transaction.id)).toEqual([
        expect.objectContaining({ source: 'api', fromStatus: null, toStatus: 'PENDING' }),
      ]);
    });
  });

  describe('statements', () => {
    it('costs one statement (reservation, row and event), then one UPDATE to accept', async () => {
      const input = payerInput({ idempotencyKey: uniqueId('key') });
      log.statements = [];
      const { transaction } = await service.createPending(input, reserving(dailyLimit, input));
      await service.markAccepted(transaction.id, new Date());
      expect(log.statements.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
        'WITH r AS',
        'UPDATE momo_transactions SET',
      ]);
      expect((await dailyLimit.usage(input)).used).toBe('1000');
      expect(await service.events(transaction.id)).toHaveLength(1);
    });

    it('costs BEGIN, the hook, one insert and COMMIT with a beforeInsert hook instead', async () => {
      const input = payerInput({ idempotencyKey: uniqueId('key') });
      log.statements = [];
      await service.createPending(input, {
        beforeInsert: async (manager) => {
          await manager.query('SELECT 1');
        },
      });
      expect(log.statements.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
        'START TRANSACTION',
        'SELECT 1',
        'WITH t AS',
        'COMMIT',
      ]);
    });

    it('resolves a replay after the conflicting insert is rolled back', async () => {
      const input = payerInput({ idempotencyKey: uniqueId('key') });
      const first = await service.createPending(input, reserving(dailyLimit, input));
      log.statements = [];
      const again = await service.createPending(input, reserving(dailyLimit, input));
      expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
      expect(again.callbackToken).toBe(first.callbackToken);
      expect(log.statements.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
        'WITH r AS',
        'SELECT id, product,',
      ]);
      // The duplicate's reservation went with its failed statement.
      const usage = await dailyLimit.usage(input);
      expect(usage.used).toBe('1000');
    });
  });

  describe('when the daily limit is spent', () => {
    async function spendTheDay(input: CreatePendingInput): Promise<CreatePendingResult> {
      const first = await service.createPending(input, reserving(dailyLimit, input));
      const daily = rules.limitsFor('UG', 'collection', 'basic').daily;
      const left = daily.minus(Money.parse(input.amount, input.currency));
      await dailyLimit.reserve({ ...input, amountMinor: left.minor });
      expect((await dailyLimit.usage(input)).used).toBe(daily.toString());
      return first;
    }

    it('still answers a repeated request (Idempotency-Key) with its transaction', async () => {
      const input = payerInput({ idempotencyKey: uniqueId('key') });
      const first = await spendTheDay(input);
      const again = await service.createPending(input, reserving(dailyLimit, input));
      expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
    });

    it('still answers a repeated request (externalId) with its transaction', async () => {
      const input = payerInput();
      const first = await spendTheDay(input);
      const again = await service.createPending(input, reserving(dailyLimit, input));
      expect(again).toMatchObject({ replayed: true, transaction: { id: first.transaction.id } });
    });

    it('answers a different request under the same key or externalId with the 409', async () => {
      const input = payerInput({ idempotencyKey: uniqueId('key') });
      await spendTheDay(input);
      const reused = { ...input, amount: '2000', request: { ...(input.request as object), amount: '2000' } };
      expect(await codeOf(service.createPending(reused, reserving(dailyLimit, reused)))).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      const sameExternalId = { ...reused, idempotencyKey: undefined };
      expect(
        await codeOf(service.createPending(sameExternalId, reserving(dailyLimit, sameExternalId))),
      ).toBe('DUPLICATE_EXTERNAL_ID');
    });

    it('refuses a new request with DAILY_LIMIT_EXCEEDED and stores nothing', async () => {
      const input = payerInput();
      await spendTheDay(input);
      const next = { ...input, externalId: uniqueId('ORDER') };
      expect(await codeOf(service.createPending(next, reserving(dailyLimit, next)))).toBe(
        'DAILY_LIMIT_EXCEEDED',
      );
      const rows: { n: number }[] = await dataSource.query(
        'SELECT count(*)::int AS n FROM momo_transactions WHERE external_id = $1',
        [next.externalId],
      );
      expect(rows[0]!.n).toBe(0);
    });
  });

  describe('concurrent duplicates with the daily-limit reservation', () => {
    const REPLICAS = 4;
    const CALLERS = 20;
    let replicas: { service: TransactionsService; dataSource: DataSource }[];

    beforeAll(async () => {
      replicas = await Promise.all(
        Array.from({ length: REPLICAS }, () => openService(db.url, CALLERS / REPLICAS)),
      );
    });
    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.dataSource.destroy()));
    });

    it.each([
      ['the same Idempotency-Key', { idempotencyKey: uniqueId('key') }],
      ['the same externalId', {}],
    ])('with %s: one row, one event, one reservation', async (_, overrides) => {
      const input = payerInput(overrides);
      const results = await Promise.all(
        Array.from({ length: CALLERS }, (_unused, i) => {
          const replica = replicas[i % REPLICAS]!;
          const limit = new DailyLimitService(replica.dataSource, rules);
          return replica.service.createPending(input, reserving(limit, input));
        }),
      );
      expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      const counts: { rows: number; events: number }[] = await dataSource.query(
        `SELECT (SELECT count(*)::int FROM momo_transactions WHERE external_id = $1) AS rows,
                (SELECT count(*)::int FROM transaction_events WHERE transaction_id = $2) AS events`,
        [input.externalId, results[0]!.transaction.id],
      );
      expect(counts[0]).toEqual({ rows: 1, events: 1 });
      expect((await dailyLimit.usage(input)).used).toBe('1000');
    });
  });
});
