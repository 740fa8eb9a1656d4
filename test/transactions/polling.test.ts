import type { DataSource } from 'typeorm';
import type { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import type { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { collectionInput, openService } from './transaction-fixtures';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const INTERVAL_MS = 5_000;
const MAX_ATTEMPTS = 12;

/** Each test gets its own database: claims act on every due row in it. */
describe('TransactionsService.claimDueForPolling', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: TransactionsService;

  beforeEach(async () => {
    db = await createTestDatabase();
    ({ service, dataSource } = await openService(db.url));
  });
  afterEach(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  async function acceptedDueAt(at: Date): Promise<MomoTransaction> {
    const { transaction } = await service.createPending(collectionInput());
    return service.markAccepted(transaction.id, at);
  }

  async function dueRows(n: number): Promise<string[]> {
    const rows: MomoTransaction[] = [];
    for (let i = 0; i < n; i += 1)
      rows.push(await acceptedDueAt(new Date(NOW.getTime() - 1000 * (i + 1))));
    return rows.map((r) => r.id).sort();
  }

  it('claims accepted PENDING transactions that are due, pushing the next poll ahead', async () => {
    const t = await acceptedDueAt(new Date(NOW.getTime() - 1));
    const claimed = await service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS);
    expect(claimed).toEqual([
      expect.objectContaining({
        id: t.id,
        pollAttempts: 1,
        nextPollAt: new Date(NOW.getTime() + INTERVAL_MS),
      }),
    ]);
  });

  it('does not claim the same transaction again before its next poll time', async () => {
    await acceptedDueAt(new Date(NOW.getTime() - 1));
    await service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS);
    await expect(service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS)).resolves.toEqual(
      [],
    );
  });

  it('leaves transactions that are not yet due', async () => {
    await acceptedDueAt(new Date(NOW.getTime() + 1));
    await expect(service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS)).resolves.toEqual(
      [],
    );
  });

  it('leaves transactions MTN has not accepted', async () => {
    await service.createPending(collectionInput());
    await expect(service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS)).resolves.toEqual(
      [],
    );
  });

  it('leaves final transactions', async () => {
    const t = await acceptedDueAt(new Date(NOW.getTime() - 1));
    await service.applyStatus(t.id, { status: 'SUCCESSFUL', source: 'callback' });
    await expect(service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS)).resolves.toEqual(
      [],
    );
  });

  it('stops after the maximum number of attempts', async () => {
    const t = await acceptedDueAt(new Date(NOW.getTime() - 1));
    await dataSource.query('UPDATE momo_transactions SET poll_attempts = $2 WHERE id = $1', [
      t.id,
      MAX_ATTEMPTS,
    ]);
    await expect(service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS)).resolves.toEqual(
      [],
    );
  });

  it('claims at most the limit, the longest-due first', async () => {
    const ids = await dueRows(3);
    const oldest = await acceptedDueAt(new Date(NOW.getTime() - 60_000));
    const claimed = await service.claimDueForPolling(1, NOW, INTERVAL_MS, MAX_ATTEMPTS);
    expect(claimed.map((c) => c.id)).toEqual([oldest.id]);
    expect(ids).not.toContain(oldest.id);
  });

  it('skips rows another replica holds mid-claim', async () => {
    const ids = await dueRows(4);
    const held = dataSource.createQueryRunner();
    await held.connect();
    await held.startTransaction();
    try {
      // Another replica's claim in flight: it holds two of the rows locked.
      await held.query('SELECT id FROM momo_transactions WHERE id = ANY($1) FOR UPDATE', [
        ids.slice(0, 2),
      ]);
      const claimed = await service.claimDueForPolling(10, NOW, INTERVAL_MS, MAX_ATTEMPTS);
      expect(claimed.map((c) => c.id).sort()).toEqual(ids.slice(2));
    } finally {
      await held.rollbackTransaction();
      await held.release();
    }
  });

  it('never gives the same row to two concurrent claimers', async () => {
    const ids = await dueRows(30);
    const other = await openService(db.url, 2);
    try {
      const [a, b] = await Promise.all([
        service.claimDueForPolling(20, NOW, INTERVAL_MS, MAX_ATTEMPTS),
        other.service.claimDueForPolling(20, NOW, INTERVAL_MS, MAX_ATTEMPTS),
      ]);
      const claimed = [...a, ...b].map((c) => c.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual(ids);
      const rows: { attempts: number; n: string }[] = await dataSource.query(
        'SELECT poll_attempts AS attempts, count(*) AS n FROM momo_transactions GROUP BY poll_attempts ORDER BY poll_attempts',
      );
      // Every row counted its claim once: none was incremented twice.
      expect(rows.every((r) => r.attempts <= 1)).toBe(true);
    } finally {
      await other.dataSource.destroy();
    }
  });
});
