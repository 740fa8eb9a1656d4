import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import type { MomoTransaction } from '../transactions/momo-transaction.entity';
import type { TransactionsService } from '../transactions/transactions.service';
import type { StatusSyncService } from './status-sync.service';
import { WebhookService } from './webhook.service';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Row {
  status: string;
  token: string;
}

/**
 * A WebhookService on fakes: a table of transactions (id → status and token), MTN status calls
 * that finish only when the test says so, and the poll-soon statement answered from the table.
 */
function setup(env: Record<string, string> = {}) {
  const config = loadConfig({ CALLBACK_CONCURRENCY: '2', CALLBACK_QUEUE_CAPACITY: '3', ...env });
  const rows = new Map<string, Row>();
  const transactions = {
    findByCallbackToken: jest.fn((product: string, id: string, token: string) => {
      const row = rows.get(id);
      return Promise.resolve(
        row && row.token === token
          ? ({ id, product, status: row.status } as MomoTransaction)
          : undefined,
      );
    }),
  } as unknown as TransactionsService;
  const statusCalls: string[] = [];
  const gates = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  let running = 0;
  let peak = 0;
  const statusSync = {
    refresh: jest.fn((tx: MomoTransaction) => {
      statusCalls.push(tx.id);
      running += 1;
      peak = Math.max(peak, running);
      return new Promise<void>((resolve, reject) => gates.set(tx.id, { resolve, reject }))
        .then(() => {
          rows.get(tx.id)!.status = 'SUCCESSFUL';
          return { transaction: { ...tx, status: 'SUCCESSFUL' }, changed: true };
        })
        .finally(() => (running -= 1));
    }),
  } as unknown as StatusSyncService;
  const statements: Array<{ ids: string[]; now: string; maxAttempts: number }> = [];
  let failStatements = false;
  const dataSource = {
    query: jest.fn((_sql: string, params: unknown[]) => {
      const [ids, , tokens, ns, now, maxAttempts] = params as [
        string[],
        string[],
        string[],
        number[],
        string,
        number,
      ];
      statements.push({ ids, now, maxAttempts });
      if (failStatements)
        return Promise.reject(new Error('timeout exceeded when trying to connect'));
      const answer = ids.flatMap((id, i) => {
        const row = rows.get(id);
        if (!row || row.token !== tokens[i]) return [];
        return [{ n: ns[i], due: row.status === 'PENDING' }];
      });
      return Promise.resolve(answer);
    }),
  } as unknown as DataSource;
  const service = new WebhookService(transactions, statusSync, config, dataSource);
  const pending = (n: number) => {
    rows.set(uuid(n), { status: 'PENDING', token: `token-${n}` });
    return uuid(n);
  };
  /** MTN answers the status call for `id`, and the service has reacted. */
  const answer = async (id: string, error?: Error) => {
    await settle();
    const gate = gates.get(id);
    if (!gate) throw new Error(`no status call for ${id}`);
    if (error) gate.reject(error);
    else gate.resolve();
    await settle();
  };
  return {
    service,
    rows,
    pending,
    answer,
    statusCalls,
    statements,
    failNextStatements: () => (failStatements = true),
    peak: () => peak,
    config,
  };
}

describe('WebhookService', () => {
  let warnings: jest.SpyInstance;
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts a callback for a product that does not exist as forged, without a lookup', () => {
    const t = setup();
    t.service.receive('payments', uuid(1), 'x', {});
    expect(t.service.stats()).toMatchObject({ forged: 1 });
    expect(t.service.queueState()).toEqual({ running: 0, waiting: 0, forPoller: 0 });
  });

  it('confirms each callback with MTN, at most CALLBACK_CONCURRENCY at once', async () => {
    const t = setup();
    const ids = [1, 2, 3, 4, 5].map((n) => t.pending(n));
    ids.forEach((id, i) =>
      t.service.receive('collection', id, `token-${i + 1}`, { status: 'SUCCESSFUL' }),
    );
    await settle();
    expect(t.statusCalls).toEqual([ids[0], ids[1]]);
    expect(t.service.queueState()).toEqual({ running: 2, waiting: 3, forPoller: 0 });

    for (const id of ids) await t.answer(id);
    expect(t.statusCalls).toEqual(ids);
    expect(t.peak()).toBe(2);
    await expect(t.service.idle()).resolves.toBe(true);
    expect(t.service.stats()).toMatchObject({ confirmed: 5, deferred: 0 });
    expect(t.statements).toEqual([]);
  });

  it('hands what the queue has no room for to the poller, in one statement, and still counts each outcome', async () => {
    const t = setup();
    // 2 running + 3 waiting fill the queue; the next five go to the poller.
    const queued = [1, 2, 3, 4, 5].map((n) => t.pending(n));
    queued.forEach((id, i) => t.service.receive('collection', id, `token-${i + 1}`, {}));
    const later = t.pending(6);
    const final = t.pending(7);
    t.rows.get(final)!.status = 'FAILED';
    t.service.receive('collection', later, 'token-6', {});
    t.service.receive('collection', final, 'token-7', {});
    t.service.receive('collection', later, 'wrong-token', {});
    t.service.receive('collection', uuid(99), 'token-99', {});
    t.service.receive('collection', 'not-a-uuid', 'x', {});
    expect(t.service.queueState()).toEqual({ running: 2, waiting: 3, forPoller: 5 });

    // The hand-over starts on the next turn of the event loop, so all five share one statement.
    await settle();
    expect(t.statements).toHaveLength(1);
    // The malformed id never reaches the database.
    expect(t.statements[0]!.ids).toEqual([later, final, later, uuid(99)]);
    expect(t.statements[0]!.maxAttempts).toBe(t.config.polling.maxAttempts);
    expect(Math.abs(Date.parse(t.statements[0]!.now) - Date.now())).toBeLessThan(5_000);
    expect(t.service.stats()).toEqual({
      deferred: 1,
      duplicate: 1,
      forged: 3,
      confirmed: 0,
      dropped: 0,
    });
    expect(warnings).toHaveBeenCalledWith(
      expect.objectContaining({ deferred: 1, duplicate: 1, forged: 3, dropped: 0 }),
      'callbacks left to the poller (no room to confirm them now)',
    );
    // Not asked of MTN: the poller will.
    expect(t.statusCalls).toEqual([queued[0], queued[1]]);

    for (const id of queued) await t.answer(id);
    await expect(t.service.idle()).resolves.toBe(true);
    expect(t.service.stats()).toMatchObject({ confirmed: 5, deferred: 1 });
  });

  it('counts callbacks as dropped when the poll-soon statement fails (each keeps its own poll schedule)', async () => {
    const t = setup({ CALLBACK_CONCURRENCY: '1', CALLBACK_QUEUE_CAPACITY: '0' });
    const [a, b] = [t.pending(1), t.pending(2)];
    t.failNextStatements();
    t.service.receive('disbursement', a, 'token-1', {});
    t.service.receive('disbursement', b, 'token-2', {});
    await settle();
    expect(t.service.stats()).toMatchObject({ dropped: 1, deferred: 0 });
    expect(t.service.statsByProduct()).toEqual([
      expect.objectContaining({ product: 'disbursement', dropped: 1 }),
    ]);
    await t.answer(a);
  });

  it('logs a failed confirmation and goes on with the next one', async () => {
    const t = setup({ CALLBACK_CONCURRENCY: '1' });
    const [a, b] = [t.pending(1), t.pending(2)];
    t.service.receive('collection', a, 'token-1', {});
    t.service.receive('collection', b, 'token-2', {});
    await settle();
    await t.answer(a, new Error('MTN could not be reached'));
    expect(warnings).toHaveBeenCalledWith(
      expect.objectContaining({ referenceId: a, err: 'MTN could not be reached' }),
      'callback handling failed',
    );
    await t.answer(b);
    expect(t.service.stats()).toMatchObject({ confirmed: 1 });
  });

  it('keeps only the status a callback claims, never its whole body', async () => {
    const t = setup({ CALLBACK_CONCURRENCY: '1' });
    const [a, b] = [t.pending(1), t.pending(2)];
    t.service.receive('collection', a, 'token-1', {});
    t.service.receive('collection', b, 'token-2', {
      status: 'S'.repeat(100),
      blob: 'x'.repeat(10_000),
    });
    await t.answer(a);
    await t.answer(b);
    const infos = (Logger.prototype.log as jest.Mock).mock.calls.map(
      (c: unknown[]) => c[0],
    ) as Array<{
      referenceId?: string;
      claimed?: unknown;
    }>;
    expect(infos.find((l) => l.referenceId === b)?.claimed).toBe('S'.repeat(32));
  });

  it('drains the queue at shutdown', async () => {
    const t = setup();
    const ids = [1, 2, 3, 4].map((n) => t.pending(n));
    ids.forEach((id, i) => t.service.receive('collection', id, `token-${i + 1}`, {}));
    let closed = false;
    const closing = t.service.onApplicationShutdown().then(() => (closed = true));
    for (const id of ids) {
      await settle();
      expect(closed).toBe(false);
      await t.answer(id);
    }
    await closing;
    expect(t.service.stats()).toMatchObject({ confirmed: 4 });
    expect(t.statements).toEqual([]);
  });

  it('hands what still waits to the poller when the drain takes longer than CALLBACK_DRAIN_TIMEOUT_MS', async () => {
    const t = setup({ CALLBACK_DRAIN_TIMEOUT_MS: '0' });
    const ids = [1, 2, 3, 4, 5].map((n) => t.pending(n));
    ids.forEach((id, i) => t.service.receive('remittance', id, `token-${i + 1}`, {}));
    await t.service.onApplicationShutdown();
    expect(t.statements.map((s) => s.ids)).toEqual([ids.slice(2)]);
    expect(t.service.stats()).toMatchObject({ deferred: 3 });
    expect(t.service.queueState()).toEqual({ running: 2, waiting: 0, forPoller: 0 });
    for (const id of ids.slice(0, 2)) await t.answer(id);
  });
});
