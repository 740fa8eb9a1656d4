import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { toMinorUnits } from '../common/money';
import { MomoClient } from '../momo/client/momo-client';
import { DailyLimitService } from '../momo/country-rules/daily-limit.service';
import type { CountryCode } from '../momo/country-rules/countries';
import type { CallPriority, MomoStatus } from '../momo/momo.types';
import { NotificationOutbox } from '../notifications/notification-outbox.service';
import type { ApplyStatusResult, StatusHooks } from '../transactions/transaction.inputs';
import type { EventSource } from '../transactions/transaction.types';
import type { MomoTransaction } from '../transactions/momo-transaction.entity';
import { TransactionsService } from '../transactions/transactions.service';

/**
 * Brings a stored transaction in line with MTN's own status. Callbacks, polling and
 * reconciliation all come through here, so every change is confirmed by MTN, applied under a row
 * lock by the state machine, and releases the daily limit of a payment that failed.
 */
@Injectable()
export class StatusSyncService {
  constructor(
    private readonly transactions: TransactionsService,
    private readonly momo: MomoClient,
    private readonly dailyLimit: DailyLimitService,
    private readonly outbox: NotificationOutbox,
  ) {}

  /**
   * What must commit together with a final status, for every path that makes one (callbacks,
   * polling, the create answer, a refusal before acceptance, reconciliation): the daily-limit
   * release and the consumer's notification (written to the outbox, delivered later).
   */
  finalHooks(): StatusHooks {
    return {
      onFinal: async (manager, t) => {
        await this.releaseDailyLimit(manager, t);
        await this.outbox.enqueue(manager, t);
      },
    };
  }

  /** Asks MTN for the status and applies it. Throws what MomoClient throws (404: not known yet). */
  async refresh(tx: MomoTransaction, source: EventSource, priority: CallPriority): Promise<ApplyStatusResult> {
    const status = await this.momo.getStatus({
      product: tx.product,
      operation: tx.operation,
      country: tx.country as CountryCode,
      referenceId: tx.id,
      priority,
    } as Parameters<MomoClient['getStatus']>[0]);
    return this.apply(tx, status, source);
  }

  async apply(tx: MomoTransaction, status: MomoStatus, source: EventSource): Promise<ApplyStatusResult> {
    return this.transactions.applyStatus(
      tx.id,
      {
        status: status.status,
        source,
        reason: status.reason ?? null,
        financialTransactionId: status.financialTransactionId ?? null,
        reportedAmount: status.amount ?? null,
        reportedCurrency: status.currency ?? null,
        details: { mtnStatus: status.rawStatus },
      },
      this.finalHooks(),
    );
  }

  /** A payment that failed gives its amount back to the payer's daily limit (refunds reserve none). */
  async releaseDailyLimit(manager: EntityManager, t: MomoTransaction): Promise<void> {
    if (t.status !== 'FAILED' || t.operation === 'refund') return;
    await this.dailyLimit.release(
      { msisdn: t.msisdn, product: t.product, currency: t.currency, amountMinor: toMinorUnits(t.amount, t.currency), day: t.createdAt },
      manager,
    );
  }
}
