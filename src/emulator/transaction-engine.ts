import type { CallbackDispatcher } from './callbacks';
import type { Ledger } from './ledger';
import type { ReasonCode } from './mtn-errors';
import type { EmulatorSettings } from './options';
import type { AcceptOutcome, FinalStatus, Timing } from './outcomes';
import { statusBody } from './status-bodies';
import { isFinal, type Transaction, type TransactionStore } from './transactions';

/** Callbacks of v2 creates use the v2 method (PUT by default), those of v1 creates the v1 one. */
function callbackMethod(tx: Transaction, settings: EmulatorSettings): string {
  return tx.version === 2 ? settings.callbackMethodV2 : settings.callbackMethodV1;
}

/**
 * The life of an accepted transaction: its initial status, the timer that takes it to its final
 * state, the single money movement on success, and the callback once final.
 */
export class TransactionEngine {
  private financialIdCounter = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);

  constructor(
    private readonly settings: EmulatorSettings,
    private readonly store: TransactionStore,
    private readonly ledger: Ledger,
    private readonly callbacks: CallbackDispatcher,
  ) {}

  /** Stores `tx` and sets it on its way; a zero delay decides it before the 202 goes out. */
  start(tx: Transaction, outcome: AcceptOutcome): void {
    tx.status = outcome.initial;
    tx.plan = { status: outcome.final, reason: outcome.reason, timing: outcome.timing };
    this.store.add(tx);
    if (tx.refundOf && tx.units !== undefined) tx.refundOf.refundedUnits += tx.units;
    const delay = this.delayOf(outcome.timing);
    if (delay === null) return;
    if (delay === 0) {
      this.finish(tx, outcome.final, outcome.reason);
      return;
    }
    tx.timer = setTimeout(() => {
      tx.timer = undefined;
      if (tx.plan) this.finish(tx, tx.plan.status, tx.plan.reason);
    }, delay);
    tx.timer.unref();
  }

  /**
   * Takes a pending transaction to a final state now, through the normal path (money,
   * callback): the given one, or else the one it was heading to. False if already final.
   */
  complete(tx: Transaction, status?: FinalStatus, reason?: ReasonCode): boolean {
    if (isFinal(tx.status)) return false;
    if (status === undefined) this.finish(tx, tx.plan?.status ?? 'SUCCESSFUL', tx.plan?.reason);
    else this.finish(tx, status, reason);
    return true;
  }

  /** Ends a pending invoice at its payee's request. */
  cancel(tx: Transaction, callbackUrl: string | undefined): boolean {
    if (isFinal(tx.status)) return false;
    this.finish(tx, 'FAILED', 'TRANSACTION_CANCELED', callbackUrl);
    return true;
  }

  stopTimers(): void {
    for (const tx of this.store.all()) {
      if (tx.timer) clearTimeout(tx.timer);
      tx.timer = undefined;
    }
  }

  nextFinancialTransactionId(): string {
    this.financialIdCounter += 1;
    return String(this.financialIdCounter);
  }

  private delayOf(timing: Timing): number | null {
    if (typeof timing === 'object') return timing.afterMs;
    switch (timing) {
      case 'processing':
        return this.settings.processingDelayMs;
      case 'long-pending':
        return this.settings.longPendingMs;
      case 'created':
        return this.settings.createdToSuccessfulMs;
    }
  }

  private finish(
    tx: Transaction,
    status: FinalStatus,
    reason: ReasonCode | undefined,
    callbackUrl = tx.callbackUrl,
  ): void {
    if (tx.timer) clearTimeout(tx.timer);
    tx.timer = undefined;
    tx.plan = undefined;
    let finalStatus = status;
    let finalReason = status === 'FAILED' ? (reason ?? 'INTERNAL_PROCESSING_ERROR') : undefined;
    if (finalStatus === 'SUCCESSFUL' && !this.settle(tx)) {
      finalStatus = 'FAILED';
      finalReason = 'NOT_ENOUGH_FUNDS';
    }
    if (finalStatus === 'SUCCESSFUL' && tx.kind !== 'preapproval' && tx.kind !== 'invoice') {
      tx.financialTransactionId = this.nextFinancialTransactionId();
    }
    if (finalStatus === 'FAILED' && tx.refundOf && tx.units !== undefined) {
      tx.refundOf.refundedUnits -= tx.units;
    }
    tx.status = finalStatus;
    tx.reason = finalReason;
    tx.updatedAt = Date.now();
    tx.finalizedAt = tx.updatedAt;
    if (callbackUrl !== undefined) {
      const body = JSON.stringify(statusBody(tx, this.settings.v2ReasonFormat));
      this.callbacks.dispatch(tx.referenceId, callbackUrl, callbackMethod(tx, this.settings), body);
    }
  }

  /** Moves the money once; false when the paying side is short. */
  private settle(tx: Transaction): boolean {
    if (!tx.movement || tx.units === undefined || tx.settled) return true;
    const moved = this.ledger.transfer(
      tx.movement.from,
      tx.movement.to,
      tx.currency,
      tx.units,
      tx.referenceId,
    );
    if (moved) tx.settled = true;
    return moved;
  }
}
