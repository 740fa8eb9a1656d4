import type { DataSource } from 'typeorm';
import type { MomoTransaction } from '../../src/transactions/momo-transaction.entity';
import type { TransactionsService } from '../../src/transactions/transactions.service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { codeOf, collectionInput, openService } from './transaction-fixtures';

describe('TransactionsService status changes', () => {
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

  async function accepted(): Promise<MomoTransaction> {
    const { transaction } = await service.createPending(collectionInput());
    return service.markAccepted(transaction.id, new Date(Date.now() + 5_000));
  }

  async function succeeded(): Promise<MomoTransaction> {
    const t = await accepted();
    await service.applyStatus(t.id, {
      status: 'SUCCESSFUL',
      source: 'callback',
      financialTransactionId: '600198217',
    });
    return t;
  }

  describe('markAccepted', () => {
    it('records that MTN accepted and when to poll first', async () => {
      const { transaction } = await service.createPending(collectionInput());
      const at = new Date('2030-01-01T00:00:05.000Z');
      await expect(service.markAccepted(transaction.id, at)).resolves.toMatchObject({
        mtnAccepted: true,
        nextPollAt: at,
      });
    });

    it('sets no poll time on a transaction a callback already finalised', async () => {
      const { transaction } = await service.createPending(collectionInput());
      await service.applyStatus(transaction.id, { status: 'SUCCESSFUL', source: 'callback' });
      await expect(service.markAccepted(transaction.id, new Date())).resolves.toMatchObject({
        nextPollAt: null,
      });
    });

    it('answers NOT_FOUND for an unknown id', async () => {
      expect(
        await codeOf(service.markAccepted('00000000-0000-4000-8000-000000000000', new Date())),
      ).toBe('NOT_FOUND');
    });
  });

  describe('PENDING → SUCCESSFUL', () => {
    let before: MomoTransaction;
    let result: Awaited<ReturnType<TransactionsService['applyStatus']>>;

    beforeAll(async () => {
      before = await accepted();
      result = await service.applyStatus(before.id, {
        status: 'SUCCESSFUL',
        source: 'callback',
        financialTransactionId: '600198217',
        reportedAmount: '1000.00',
        reportedCurrency: 'EUR',
        details: { via: 'test' },
      });
    });

    it('reports the change', () => {
      expect(result).toMatchObject({ changed: true, outcome: 'transition' });
    });

    it('stores the status, the receipt and the completion time and stops polling', () => {
      expect(result.transaction).toMatchObject({
        status: 'SUCCESSFUL',
        financialTransactionId: '600198217',
        reason: null,
        nextPollAt: null,
      });
      expect(result.transaction.completedAt).toBeInstanceOf(Date);
    });

    it('appends one event from PENDING to SUCCESSFUL', async () => {
      const events = await service.events(before.id);
      expect(events.map((e) => [e.fromStatus, e.toStatus, e.source])).toEqual([
        [null, 'PENDING', 'api'],
        ['PENDING', 'SUCCESSFUL', 'callback'],
      ]);
      expect(events[1]).toMatchObject({
        financialTransactionId: '600198217',
        details: { via: 'test' },
      });
    });

    it('records no discrepancy when MTN reports the same amount written differently', () => {
      expect(result.discrepancy).toBeUndefined();
    });
  });

  it('stores the reason of a FAILED report', async () => {
    const t = await accepted();
    const result = await service.applyStatus(t.id, {
      status: 'FAILED',
      source: 'poll',
      reason: 'APPROVAL_REJECTED',
      reasonMessage: 'The approval was rejected',
    });
    expect(result.transaction).toMatchObject({
      status: 'FAILED',
      reason: 'APPROVAL_REJECTED',
      reasonMessage: 'The approval was rejected',
    });
  });

  it('leaves a PENDING transaction alone on a PENDING report', async () => {
    const t = await accepted();
    const result = await service.applyStatus(t.id, { status: 'PENDING', source: 'poll' });
    expect(result).toMatchObject({
      changed: false,
      outcome: 'still-pending',
      transaction: { status: 'PENDING' },
    });
  });

  describe('a final status never changes', () => {
    let t: MomoTransaction;
    let result: Awaited<ReturnType<TransactionsService['applyStatus']>>;

    beforeAll(async () => {
      t = await succeeded();
      result = await service.applyStatus(t.id, {
        status: 'FAILED',
        source: 'reconciliation',
        reason: 'INTERNAL_PROCESSING_ERROR',
        reportedAmount: '1000',
        reportedCurrency: 'EUR',
      });
    });

    it('keeps SUCCESSFUL when FAILED is reported later', async () => {
      expect(result).toMatchObject({ changed: false, outcome: 'conflict' });
      await expect(service.findById('collection', t.id)).resolves.toMatchObject({
        status: 'SUCCESSFUL',
        reason: null,
      });
    });

    it('keeps the conflicting report as a discrepancy', async () => {
      expect(result.discrepancy).toMatchObject({
        kind: 'STATUS_CONFLICT',
        source: 'reconciliation',
        storedStatus: 'SUCCESSFUL',
        reportedStatus: 'FAILED',
        reportedReason: 'INTERNAL_PROCESSING_ERROR',
        reportedAmount: '1000',
        acknowledgedAt: null,
      });
      await expect(service.discrepancies(t.id)).resolves.toHaveLength(1);
    });

    it('appends no event for it', async () => {
      await expect(service.events(t.id)).resolves.toHaveLength(2);
    });
  });

  it('keeps a different financialTransactionId as a discrepancy', async () => {
    const t = await succeeded();
    const result = await service.applyStatus(t.id, {
      status: 'SUCCESSFUL',
      source: 'poll',
      financialTransactionId: '999',
    });
    expect(result.discrepancy).toMatchObject({
      kind: 'FINANCIAL_ID_CONFLICT',
      reportedFinancialTransactionId: '999',
    });
    expect(result.transaction.financialTransactionId).toBe('600198217');
  });

  describe('the same final report again (MTN delivers callbacks twice)', () => {
    let t: MomoTransaction;
    let result: Awaited<ReturnType<TransactionsService['applyStatus']>>;

    beforeAll(async () => {
      t = await succeeded();
      result = await service.applyStatus(t.id, {
        status: 'SUCCESSFUL',
        source: 'callback',
        financialTransactionId: '600198217',
      });
    });

    it('is a no-op', () => {
      expect(result).toMatchObject({
        changed: false,
        outcome: 'duplicate',
        transaction: { status: 'SUCCESSFUL' },
      });
    });

    it('records neither an event nor a discrepancy', async () => {
      await expect(service.events(t.id)).resolves.toHaveLength(2);
      await expect(service.discrepancies(t.id)).resolves.toEqual([]);
    });

    it('does not run the final hook again', async () => {
      const onFinal = jest.fn(() => Promise.resolve());
      await service.applyStatus(t.id, { status: 'SUCCESSFUL', source: 'poll' }, { onFinal });
      expect(onFinal).not.toHaveBeenCalled();
    });
  });

  it('ignores a late PENDING poll answer on a final transaction', async () => {
    const t = await succeeded();
    const result = await service.applyStatus(t.id, { status: 'PENDING', source: 'poll' });
    expect(result).toMatchObject({ changed: false, outcome: 'stale' });
    await expect(service.discrepancies(t.id)).resolves.toEqual([]);
  });

  it('adds a financialTransactionId that arrives after the final status, with an event', async () => {
    const t = await accepted();
    await service.applyStatus(t.id, { status: 'SUCCESSFUL', source: 'callback' });
    const result = await service.applyStatus(t.id, {
      status: 'SUCCESSFUL',
      source: 'poll',
      financialTransactionId: '42',
    });
    expect(result).toMatchObject({
      outcome: 'enrich',
      changed: false,
      transaction: { financialTransactionId: '42' },
    });
    const events = await service.events(t.id);
    expect(events[events.length - 1]).toMatchObject({
      fromStatus: 'SUCCESSFUL',
      toStatus: 'SUCCESSFUL',
      financialTransactionId: '42',
    });
  });

  it('applies a success whose amount differs from ours but keeps a discrepancy', async () => {
    const t = await accepted();
    const result = await service.applyStatus(t.id, {
      status: 'SUCCESSFUL',
      source: 'callback',
      reportedAmount: '999',
      reportedCurrency: 'EUR',
    });
    expect(result).toMatchObject({ changed: true, transaction: { status: 'SUCCESSFUL' } });
    expect(result.discrepancy).toMatchObject({ kind: 'AMOUNT_MISMATCH', reportedAmount: '999' });
  });

  it('runs the final hook once, inside the transaction, with the final row', async () => {
    const t = await accepted();
    const seen: string[] = [];
    await service.applyStatus(
      t.id,
      { status: 'FAILED', source: 'callback', reason: 'EXPIRED' },
      {
        onFinal: async (manager, transaction) => {
          const rows: { status: string }[] = await manager.query(
            'SELECT status FROM momo_transactions WHERE id = $1',
            [transaction.id],
          );
          seen.push(`${transaction.status}/${rows[0]!.status}`);
        },
      },
    );
    expect(seen).toEqual(['FAILED/FAILED']);
  });

  it('rolls the status change back when the final hook throws', async () => {
    const t = await accepted();
    await expect(
      service.applyStatus(
        t.id,
        { status: 'SUCCESSFUL', source: 'callback' },
        { onFinal: () => Promise.reject(new Error('outbox down')) },
      ),
    ).rejects.toThrow('outbox down');
    await expect(service.findById('collection', t.id)).resolves.toMatchObject({
      status: 'PENDING',
    });
  });

  it('answers NOT_FOUND for an unknown transaction', async () => {
    expect(
      await codeOf(
        service.applyStatus('00000000-0000-4000-8000-000000000000', {
          status: 'FAILED',
          source: 'callback',
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('settles simultaneous SUCCESSFUL and FAILED reports to one status and one discrepancy', async () => {
    const t = await accepted();
    const other = await openService(db.url, 2);
    try {
      const results = await Promise.all([
        service.applyStatus(t.id, { status: 'SUCCESSFUL', source: 'callback' }),
        other.service.applyStatus(t.id, { status: 'FAILED', source: 'poll', reason: 'EXPIRED' }),
      ]);
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(results.filter((r) => r.discrepancy?.kind === 'STATUS_CONFLICT')).toHaveLength(1);
      await expect(service.events(t.id)).resolves.toHaveLength(2);
    } finally {
      await other.dataSource.destroy();
    }
  });

  describe('failBeforeAcceptance', () => {
    it('stores a request MTN never accepted as FAILED with our reason, from the api', async () => {
      const { transaction } = await service.createPending(collectionInput());
      const result = await service.failBeforeAcceptance(transaction.id, {
        reason: 'CIRCUIT_OPEN',
        reasonMessage: 'MTN collection is unavailable',
      });
      expect(result.transaction).toMatchObject({
        status: 'FAILED',
        reason: 'CIRCUIT_OPEN',
        mtnAccepted: false,
      });
      const events = await service.events(transaction.id);
      expect(events[1]).toMatchObject({
        source: 'api',
        fromStatus: 'PENDING',
        toStatus: 'FAILED',
        reason: 'CIRCUIT_OPEN',
      });
    });

    it('runs the final hook (e.g. to release the daily limit)', async () => {
      const { transaction } = await service.createPending(collectionInput());
      const onFinal = jest.fn(() => Promise.resolve());
      await service.failBeforeAcceptance(transaction.id, { reason: 'RATE_LIMITED' }, { onFinal });
      expect(onFinal).toHaveBeenCalledTimes(1);
    });

    it('refuses a transaction MTN has accepted', async () => {
      const t = await accepted();
      await expect(service.failBeforeAcceptance(t.id, { reason: 'MTN_TIMEOUT' })).rejects.toThrow(
        'accepted by MTN',
      );
    });
  });
});
