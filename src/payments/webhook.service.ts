import { Injectable, Logger } from '@nestjs/common';
import type { Product } from '../common/product';
import { TransactionsService } from '../transactions/transactions.service';
import { StatusSyncService } from './status-sync.service';

export type CallbackOutcome = 'forged' | 'duplicate' | 'confirmed';

/**
 * What a callback does: nothing at all unless its URL names a transaction with the right token;
 * nothing more than a log line if that transaction is already final; otherwise the status is
 * asked of MTN and applied. The body is never trusted: anyone can send one.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);
  private readonly counts: Record<CallbackOutcome, number> = { forged: 0, duplicate: 0, confirmed: 0 };

  constructor(
    private readonly transactions: TransactionsService,
    private readonly statusSync: StatusSyncService,
  ) {}

  async handle(product: Product, id: string, token: string, body: unknown): Promise<CallbackOutcome> {
    const tx = await this.transactions.findByCallbackToken(product, id, token);
    if (!tx) {
      this.counts.forged += 1;
      this.logger.warn({ product, referenceId: id }, 'callback with an unknown transaction or a wrong token ignored');
      return 'forged';
    }
    const claimed = typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined;
    if (tx.status !== 'PENDING') {
      this.counts.duplicate += 1;
      this.logger.log({ product, referenceId: id, status: tx.status, claimed }, 'callback for a final transaction');
      return 'duplicate';
    }
    const result = await this.statusSync.refresh(tx, 'callback', 'live');
    this.counts.confirmed += 1;
    this.logger.log({ product, referenceId: id, claimed, status: result.transaction.status, changed: result.changed }, 'callback confirmed with MTN');
    return 'confirmed';
  }

  /** Callbacks seen since start, by outcome (for metrics). */
  stats(): Readonly<Record<CallbackOutcome, number>> {
    return { ...this.counts };
  }
}
