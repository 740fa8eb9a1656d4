import type { DataSource, EntityManager } from 'typeorm';
import type { CreatePendingResult } from '../../src/transactions/transaction.inputs';
import type { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { barrier, collectionInput, openService, uniqueId } from './transaction-fixtures';

const REPLICAS = 4;
const CALLERS = 20;

/**
 * Concurrent duplicates from several replicas (each its own pool). A barrier inside
 * `beforeInsert`, which runs just before the insert, holds every caller until all 20 have reached
 * it, so all 20 really do race for the insert.
 */
describe('concurrent duplicate creation', () => {
  let db: TestDatabase;
  let replicas: { service: TransactionsService; dataSource: DataSource }[];

  beforeAll(async () => {
    db = await createTestDatabase();
    replicas = await Promise.all(
      Array.from({ length: REPLICAS }, () => openService(db.url, CALLERS / REPLICAS)),
    );
    // A stand-in for a daily-limit reservation: a write made by the hook in the same transaction.
    await replicas[0]!.dataSource.query('CREATE TABLE hook_effects (external_id text NOT NULL)');
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.dataSource.destroy()));
    await db.drop();
  });

  function raceHook(arrive: () => Promise<void>, externalId: string) {
    return {
      beforeInsert: async (manager: EntityManager) => {
        await manager.query('INSERT INTO hook_effects (external_id) VALUES ($1)', [externalId]);
        await arrive();
      },
    };
  }

  async function race(input: ReturnType<typeof collectionInput>): Promise<CreatePendingResult[]> {
    const arrive = barrier(CALLERS);
    return Promise.all(
      Array.from({ length: CALLERS }, (_, i) =>
        replicas[i % REPLICAS]!.service.createPending(input, raceHook(arrive, input.externalId)),
      ),
    );
  }

  async function count(sql: string, externalId: string): Promise<number> {
    const rows: { n: string }[] = await replicas[0]!.dataSource.query(sql, [externalId]);
    return Number(rows[0]!.n);
  }

  describe('with the same Idempotency-Key', () => {
    let input: ReturnType<typeof collectionInput>;
    let results: CreatePendingResult[];

    beforeAll(async () => {
      input = collectionInput({ idempotencyKey: uniqueId('key') });
      results = await race(input);
    });

    it('stores exactly one row', async () => {
      expect(
        await count(
          'SELECT count(*) AS n FROM momo_transactions WHERE external_id = $1',
          input.externalId,
        ),
      ).toBe(1);
    });

    it('gives every caller that same transaction', () => {
      expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    });

    it('reports one creation and replays for all the others', () => {
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    });

    it('keeps only the winner’s hook effects', async () => {
      expect(
        await count(
          'SELECT count(*) AS n FROM hook_effects WHERE external_id = $1',
          input.externalId,
        ),
      ).toBe(1);
    });

    it('appends a single creation event', async () => {
      const rows: { n: string }[] = await replicas[0]!.dataSource.query(
        'SELECT count(*) AS n FROM transaction_events WHERE transaction_id = $1',
        [results[0]!.transaction.id],
      );
      expect(Number(rows[0]!.n)).toBe(1);
    });
  });

  describe('with the same externalId and no key', () => {
    let input: ReturnType<typeof collectionInput>;
    let results: CreatePendingResult[];

    beforeAll(async () => {
      input = collectionInput();
      results = await race(input);
    });

    it('stores exactly one row', async () => {
      expect(
        await count(
          'SELECT count(*) AS n FROM momo_transactions WHERE external_id = $1',
          input.externalId,
        ),
      ).toBe(1);
    });

    it('gives every caller that same transaction', () => {
      expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    });
  });

  describe('with the same key but different requests', () => {
    it('creates one and refuses every other with IDEMPOTENCY_KEY_REUSED', async () => {
      const key = uniqueId('key');
      const arrive = barrier(CALLERS);
      const outcomes = await Promise.allSettled(
        Array.from({ length: CALLERS }, (_, i) => {
          const input = collectionInput({ idempotencyKey: key });
          return replicas[i % REPLICAS]!.service.createPending(
            input,
            raceHook(arrive, input.externalId),
          );
        }),
      );
      const codes = outcomes.map((o) =>
        o.status === 'fulfilled' ? 'created' : (o.reason as { code?: string }).code,
      );
      expect(codes.sort()).toEqual(
        ['created', ...Array<string>(CALLERS - 1).fill('IDEMPOTENCY_KEY_REUSED')].sort(),
      );
    });
  });
});
