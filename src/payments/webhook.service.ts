import { Injectable, Logger } from '@nestjs/common';
import { isProduct, type Product } from '../common/product';
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
  private readonly countsByProduct = new Map<Product, Record<CallbackOutcome, number>>();

  constructor(
    private readonly transactions: TransactionsService,
    private readonly statusSync: StatusSyncService,
  ) {}

  /** `product` is the URL's word as sent: a word that is no product is a forgery like any other. */
  async handle(product: string, id: string, token: string, body: unknown): Promise<CallbackOutcome> {
    if (!isProduct(product)) {
      this.counts.forged += 1;
      this.logger.warn({ product: product.slice(0, 32), referenceId: id }, 'callback for an unknown product ignored');
      return 'forged';
    }
    const tx = await this.transactions.findByCallbackToken(product, id, token);
    if (!tx) {
      this.count(product, 'forged');
      this.logger.warn({ product, referenceId: id }, 'callback with an unknown transaction or a wrong token ignored');
      return 'forged';
    }
    const claimed = typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined;
    if (tx.status !== 'PENDING') {
      this.count(product, 'duplicate');
      this.logger.log({ product, referenceId: id, status: tx.status, claimed }, 'callback for a final transaction');
      return 'duplicate';
    }
    const result = await this.statusSync.refresh(tx, 'callback', 'live');
    this.count(product, 'confirmed');
    this.logger.log({ product, referenceId: id, claimed, status: result.transaction.status, changed: result.changed }, 'callback confirmed with MTN');
    return 'confirmed';
  }

  /** Callbacks seen since start, by outcome (for metrics). */
  stats(): Readonly<Record<CallbackOutcome, number>> {
    return { ...this.counts };
  }

  /** The same, per product (the `product` label of `momo_callbacks_total`). */
  statsByProduct(): Array<{ product: Product } & Record<CallbackOutcome, number>> {
    return [...this.countsByProduct].map(([product, counts]) => ({ product, ...counts }));
  }

  private count(product: Product, outcome: CallbackOutcome): void {
    this.counts[outcome] += 1;
    let counts = this.countsByProduct.get(product);
    if (!counts) this.countsByProduct.set(product, (counts = { forged: 0, duplicate: 0, confirmed: 0 }));
    counts[outcome] += 1;
  }
}
