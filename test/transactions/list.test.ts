import type { DataSource } from 'typeorm';
import type { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import type { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { codeOf, collectionInput, openService } from './transaction-fixtures';

const GHANA = { currency: 'GHS', country: 'GH', msisdn: '233244000000', amount: '5' };

describe('TransactionsService.list', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: TransactionsService;
  /** Newest first, as the list orders them. */
  let all: MomoTransaction[];

  async function create(
    at: string,
    overrides: Parameters<typeof collectionInput>[0] = {},
  ): Promise<MomoTransaction> {
    const { transaction } = await service.createPending(collectionInput(overrides));
    // Fixed creation times make the order and the date filters exact.
    await dataSource.query('UPDATE momo_transactions SET created_at = $2 WHERE id = $1', [
      transaction.id,
      at,
    ]);
    return service.findById(transaction.product, transaction.id);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ service, dataSource } = await openService(db.url));
    const created = [
      await create('2025-01-01T10:00:00.000Z'),
      await create('2025-01-02T10:00:00.000Z', GHANA),
      await create('2025-01-03T10:00:00.000Z', { externalId: 'INVOICE_7' }),
      // Three at the same instant: the id breaks the tie, also across a page boundary.
      await create('2025-01-04T10:00:00.000Z'),
      await create('2025-01-04T10:00:00.000Z', GHANA),
      await create('2025-01-04T10:00:00.000Z'),
      await create('2025-01-05T10:00:00.000Z', { msisdn: '256772000001' }),
    ];
    await service.failBeforeAcceptance(created[0]!.id, { reason: 'PAYER_NOT_FOUND' });
    await service.applyStatus(created[1]!.id, { status: 'SUCCESSFUL', source: 'callback' });
    await create('2025-01-06T10:00:00.000Z', { product: 'disbursement', operation: 'transfer' });
    all = created.sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
    );
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const ids = (items: MomoTransaction[]): string[] => items.map((t) => t.id);

  it("lists only the product's transactions, newest first", async () => {
    const page = await service.list('collection');
    expect(ids(page.items)).toEqual(ids(all));
  });

  it('gives no cursor when everything fits on one page', async () => {
    const page = await service.list('collection');
    expect(page.nextCursor).toBeUndefined();
  });

  it('walks every transaction exactly once across pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await service.list('collection', { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(page.items));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids(all));
    expect(pages).toBe(4);
  });

  it('keeps the filters while paging', async () => {
    const first = await service.list('collection', { country: 'UG', limit: 2 });
    const second = await service.list('collection', {
      country: 'UG',
      limit: 2,
      cursor: first.nextCursor!,
    });
    const uganda = all.filter((t) => t.country === 'UG');
    expect([...ids(first.items), ...ids(second.items)]).toEqual(ids(uganda).slice(0, 4));
  });

  it('filters by status', async () => {
    const page = await service.list('collection', { status: 'FAILED' });
    expect(page.items.map((t) => t.reason)).toEqual(['PAYER_NOT_FOUND']);
  });

  it('filters by externalId', async () => {
    const page = await service.list('collection', { externalId: 'INVOICE_7' });
    expect(page.items.map((t) => t.externalId)).toEqual(['INVOICE_7']);
  });

  it('filters by phone number', async () => {
    const page = await service.list('collection', { phoneNumber: '256772000001' });
    expect(page.items).toHaveLength(1);
  });

  it('filters by country', async () => {
    const page = await service.list('collection', { country: 'GH' });
    expect(page.items.map((t) => t.country)).toEqual(['GH', 'GH']);
  });

  it('filters by creation time, from inclusive to exclusive', async () => {
    const page = await service.list('collection', {
      createdFrom: new Date('2025-01-02T10:00:00.000Z'),
      createdTo: new Date('2025-01-04T10:00:00.000Z'),
    });
    expect(page.items.map((t) => t.createdAt.toISOString())).toEqual([
      '2025-01-03T10:00:00.000Z',
      '2025-01-02T10:00:00.000Z',
    ]);
  });

  it('refuses a limit above 200', async () => {
    expect(await codeOf(service.list('collection', { limit: 201 }))).toBe('VALIDATION_FAILED');
  });

  it('refuses a cursor it did not make', async () => {
    expect(await codeOf(service.list('collection', { cursor: 'bm9wZQ' }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
