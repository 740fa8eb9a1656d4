import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Product } from '../common/product';
import { MomoTransaction } from './momo-transaction.entity';
import { refundableCollection, refundTotals, assertRefundFits } from './refund-limits';
import { requestHash } from './request-hash';
import { hydrate } from './hydrate';
import { autocommitRows } from './sql-rows';
import { applyReport, lockTransaction } from './status-application';
import {
  InsertRaced,
  canonicalPendingAmount,
  checkPendingInput,
  findReplay,
  insertPending,
  insertPendingReserved,
  type PendingValues,
} from './transaction-creation';
import { TRANSACTION_COLUMNS } from './transaction-columns';
import { TransactionDiscrepancy } from './transaction-discrepancy.entity';
import { TransactionEvent } from './transaction-event.entity';
import { listTransactions } from './transaction-list.query';
import { claimDue } from './poll-claim.query';
import type {
  ApplyStatusResult,
  CreateHooks,
  CreatePendingInput,
  CreatePendingRefundInput,
  CreatePendingResult,
  FailBeforeAcceptanceInput,
  ListFilters,
  ListResult,
  RefundableAmount,
  StatusHooks,
  StatusReport,
} from './transaction.inputs';
import { isUuid } from './uuid';

/** A lost insert race is resolved by re-reading; more than a couple in a row means a bug. */
const MAX_CREATE_ATTEMPTS = 5;

// The reads of one row: constant SQL, positional parameters, rows hydrated as a find would.
const FIND_BY_ID_SQL = `
  SELECT ${TRANSACTION_COLUMNS}
    FROM momo_transactions
   WHERE id = $1 AND product = $2`;

// The only read of a row with its callback token besides the replay lookup.
const FIND_WITH_TOKEN_SQL = `
  SELECT ${TRANSACTION_COLUMNS}, callback_token
    FROM momo_transactions
   WHERE id = $1 AND product = $2`;

type Row = Record<string, unknown>;

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `No transaction ${id}`);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The transactions core shared by Collection, Disbursement and Remittance (and by callbacks, the
 * poller and reconciliation): creation with idempotency, the one way a status changes, and reads.
 * Every write that must be atomic runs in one database transaction; concurrency between replicas
 * is settled by unique indexes and row locks, never by in-process state.
 */
@Injectable()
export class TransactionsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a new PENDING transaction (its id is the X-Reference-Id to send to MTN) with its
   * creation event, or returns the earlier transaction of an identical request (`replayed`).
   * Concurrent duplicates, even from several replicas, create exactly one row.
   *
   * Optimistic: a new request (the common case) costs, with a `reservation` (what payments pass:
   * the daily-limit upsert), one autocommit statement that reserves and inserts row and event;
   * with `beforeInsert` instead, BEGIN, the hook, one INSERT of row and event, COMMIT. Only when
   * the insert meets an earlier or concurrent duplicate (a unique index) is everything undone and
   * the request resolved against the committed winner: a replay, or a 409 when its request hash
   * differs. A business refusal of either hook (e.g. DAILY_LIMIT_EXCEEDED) is likewise answered as
   * the replay or 409 it would have been had the earlier transaction been looked up first.
   */
  async createPending(
    input: CreatePendingInput,
    hooks: CreateHooks = {},
  ): Promise<CreatePendingResult> {
    if (input.operation === 'refund') {
      throw new Error('Refunds are created with createPendingRefund');
    }
    checkPendingInput(input);
    const values: PendingValues = {
      ...this.commonValues(input),
      product: input.product,
      operation: input.operation,
      country: input.country,
      msisdn: input.msisdn,
      parentId: null,
    };
    for (let attempt = 1; ; attempt += 1) {
      let refusedByHook = false;
      try {
        if (hooks.reservation) {
          const { reservation } = hooks;
          const created = await insertPendingReserved(this.dataSource, values, {
            ...reservation,
            refused: () => {
              refusedByHook = true;
              return reservation.refused();
            },
          });
          return { ...created, replayed: false };
        }
        return await this.dataSource.transaction(async (manager) => {
          try {
            await hooks.beforeInsert?.(manager);
          } catch (error) {
            refusedByHook = true;
            throw error;
          }
          return { ...(await insertPending(manager, values)), replayed: false };
        });
      } catch (error) {
        const raced = error instanceof InsertRaced;
        if (!raced && !(refusedByHook && error instanceof DomainError)) throw error;
        // Rolled back; the earlier transaction is committed (a conflicting insert waits for it).
        const replay = await findReplay(this.dataSource.manager, values);
        if (replay) return this.replayOf(replay);
        // Raced with no live duplicate left: it became FAILED meanwhile; insert again.
        if (!raced || attempt >= MAX_CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The earlier transaction this request would replay, without creating anything (a read): the
   * same answer `createPending`/`createPendingRefund` would give for a duplicate, a 409 included.
   * Undefined when the request is new. A refund is looked up under `disbursement`.
   */
  async replayFor(
    product: Product,
    input: Pick<CreatePendingInput, 'externalId' | 'idempotencyKey' | 'request'>,
  ): Promise<CreatePendingResult | undefined> {
    const replay = await findReplay(this.dataSource.manager, {
      product,
      externalId: input.externalId,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: requestHash(input.request),
    });
    return replay ? this.replayOf(replay) : undefined;
  }

  /**
   * A refund of a SUCCESSFUL collection, never beyond what is left of it. The collection row is
   * locked first, so concurrent refunds of one collection are decided one at a time, and a
   * duplicate waiting on the lock sees the first one's row and replays it.
   */
  async createPendingRefund(
    input: CreatePendingRefundInput,
    hooks: CreateHooks = {},
  ): Promise<CreatePendingResult> {
    return this.createWithRetry(async (manager) => {
      const parent = await refundableCollection(manager, input.parentId, true);
      const values: PendingValues = {
        ...this.commonValues(input),
        product: 'disbursement',
        operation: 'refund',
        country: parent.country,
        msisdn: parent.msisdn,
        parentId: parent.id,
      };
      checkPendingInput(values);
      const replay = await findReplay(manager, values);
      if (replay) return this.replayOf(replay);
      assertRefundFits(await refundTotals(manager, parent), values.amount, values.currency);
      await hooks.beforeInsert?.(manager);
      return { ...(await insertPending(manager, values)), replayed: false };
    });
  }

  /** How much of a collection may still be refunded (REFUND_NOT_ALLOWED if none may be). */
  async refundableAmount(collectionId: string): Promise<RefundableAmount> {
    const manager = this.dataSource.manager;
    return refundTotals(manager, await refundableCollection(manager, collectionId, false));
  }

  /**
   * MTN answered 202: the transaction exists there and may be polled from `nextPollAt`. A row a
   * callback already finalised keeps no poll time.
   */
  async markAccepted(id: string, nextPollAt: Date): Promise<MomoTransaction> {
    if (!isUuid(id)) throw notFound(id);
    // One autocommit statement: atomic on its own, and it never touches the status, so it cannot
    // change a final state a callback may have applied first (it waits for that row lock).
    const rows = await autocommitRows<Row>(
      this.dataSource,
      `UPDATE momo_transactions
          SET mtn_accepted = true,
              next_poll_at = CASE WHEN status = 'PENDING' THEN $2::timestamptz ELSE NULL END,
              updated_at = CURRENT_TIMESTAMP
        WHERE id = $1
    RETURNING ${TRANSACTION_COLUMNS}`,
      [id, nextPollAt.toISOString()],
    );
    const row = rows[0];
    if (!row) throw notFound(id);
    return hydrate(this.dataSource, MomoTransaction, row);
  }

  /**
   * Applies a status report from any source under a row lock: PENDING → final once; a same-final
   * report is a no-op; a conflicting one is kept as a discrepancy, never applied.
   */
  async applyStatus(
    id: string,
    report: StatusReport,
    hooks: StatusHooks = {},
  ): Promise<ApplyStatusResult> {
    if (!isUuid(id)) throw notFound(id);
    return this.dataSource.transaction(async (manager) =>
      applyReport(manager, await this.lock(manager, id), report, hooks),
    );
  }

  /**
   * A valid request MTN never accepted (business refusal on create, breaker open, rate limited,
   * retries exhausted) becomes FAILED with its reason, which releases its externalId.
   */
  async failBeforeAcceptance(
    id: string,
    failure: FailBeforeAcceptanceInput,
    hooks: StatusHooks = {},
  ): Promise<ApplyStatusResult> {
    if (!isUuid(id)) throw notFound(id);
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.lock(manager, id);
      if (locked.mtnAccepted) {
        throw new Error(
          `Transaction ${id} was accepted by MTN; report its status with applyStatus`,
        );
      }
      const report: StatusReport = {
        status: 'FAILED',
        source: 'api',
        reason: failure.reason,
        reasonMessage: failure.reasonMessage ?? null,
        ...(failure.details ? { details: failure.details } : {}),
      };
      return applyReport(manager, locked, report, hooks);
    });
  }

  /** NOT_FOUND when absent or when it belongs to another product. */
  async findById(product: Product, id: string): Promise<MomoTransaction> {
    if (!isUuid(id)) throw notFound(id);
    const [row] = await autocommitRows<Row>(this.dataSource, FIND_BY_ID_SQL, [id, product]);
    if (!row) throw notFound(id);
    return hydrate(this.dataSource, MomoTransaction, row);
  }

  /**
   * The transaction a callback URL names, or undefined unless both id and token match. Compared
   * in constant time: MTN callbacks carry no signature, so the token is their only credential.
   */
  async findByCallbackToken(
    product: Product,
    id: string,
    token: string,
  ): Promise<MomoTransaction | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await autocommitRows<Row>(this.dataSource, FIND_WITH_TOKEN_SQL, [id, product]);
    const stored = row?.callback_token;
    if (!row || typeof stored !== 'string') return undefined;
    if (!timingSafeEqual(digest(stored), digest(token))) return undefined;
    // hydrate never sets the token (`select: false`); the property goes, as it always did here.
    const found = hydrate(this.dataSource, MomoTransaction, row);
    delete found.callbackToken;
    return found;
  }

  async list(product: Product, filters: ListFilters = {}): Promise<ListResult> {
    return listTransactions(this.dataSource, product, filters);
  }

  /** The audit trail, oldest first. */
  async events(id: string): Promise<TransactionEvent[]> {
    if (!isUuid(id)) return [];
    return this.dataSource.manager.find(TransactionEvent, {
      where: { transactionId: id },
      order: { id: 'ASC' },
    });
  }

  async discrepancies(id: string): Promise<TransactionDiscrepancy[]> {
    if (!isUuid(id)) return [];
    return this.dataSource.manager.find(TransactionDiscrepancy, {
      where: { transactionId: id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Takes up to `limit` accepted PENDING transactions due for a status poll and pushes their next
   * poll `intervalMs` ahead, in one statement. SKIP LOCKED lets several replicas claim at once
   * without ever claiming the same row twice.
   */
  async claimDueForPolling(
    limit: number,
    now: Date,
    intervalMs: number,
    maxAttempts: number,
  ): Promise<MomoTransaction[]> {
    return claimDue(this.dataSource, { limit, now, intervalMs, maxAttempts });
  }

  private commonValues(input: CreatePendingRefundInput | CreatePendingInput) {
    return {
      amount: canonicalPendingAmount(input),
      currency: input.currency,
      externalId: input.externalId,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: requestHash(input.request),
      payerMessage: input.payerMessage ?? null,
      payeeNote: input.payeeNote ?? null,
      kycLevel: input.kycLevel ?? null,
      mtnCurrency: input.mtnCurrency,
      accountId: input.accountId,
      apiKeyId: input.apiKeyId ?? null,
    };
  }

  private replayOf(transaction: MomoTransaction): CreatePendingResult {
    const callbackToken = transaction.callbackToken ?? '';
    delete transaction.callbackToken;
    return { transaction, replayed: true, callbackToken };
  }

  private async lock(manager: EntityManager, id: string): Promise<MomoTransaction> {
    const locked = await lockTransaction(manager, id);
    if (!locked) throw notFound(id);
    return locked;
  }

  /**
   * Runs `create` in a fresh database transaction until it does not lose an insert race. A lost
   * race rolls back everything done so far (including `beforeInsert` effects); the next attempt
   * then finds the winner's committed row and answers with it (or with a 409).
   */
  private async createWithRetry(
    create: (manager: EntityManager) => Promise<CreatePendingResult>,
  ): Promise<CreatePendingResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(create);
      } catch (error) {
        if (!(error instanceof InsertRaced) || attempt >= MAX_CREATE_ATTEMPTS) throw error;
      }
    }
  }
}
