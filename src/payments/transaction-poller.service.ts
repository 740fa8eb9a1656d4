import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { RepeatingTask } from '../common/scheduling/repeating-task';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { MomoTransaction } from '../transactions/momo-transaction.entity';
import { TransactionsService } from '../transactions/transactions.service';
import { StatusSyncService } from './status-sync.service';

const BATCH = 50;
const CONCURRENCY = 8;

/**
 * Polls MTN for PENDING transactions whose callback has not come (every POLL_INTERVAL_MS, up to
 * POLL_MAX_ATTEMPTS times; after that reconciliation takes over). Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so any number of replicas can poll without asking twice. Polls use
 * the background share of the outbound budget: they never crowd out a customer's request.
 */
@Injectable()
export class TransactionPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TransactionPoller.name);
  private readonly task: RepeatingTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionsService,
    private readonly statusSync: StatusSyncService,
  ) {
    this.task = new RepeatingTask({
      // Rows fall due at their own times; a round a second at most finds them soon after.
      intervalMs: Math.min(1000, config.polling.intervalMs),
      run: () => this.pollOnce(),
      logger: this.logger,
      failureMessage: 'poll round failed',
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.polling.enabled) this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One round: claims what is due and asks MTN about each. Returns how many were polled. */
  async pollOnce(now = new Date()): Promise<number> {
    const { intervalMs, maxAttempts } = this.config.polling;
    let polled = 0;
    for (;;) {
      const due = await this.transactions.claimDueForPolling(BATCH, now, intervalMs, maxAttempts);
      if (due.length === 0) return polled;
      for (let i = 0; i < due.length; i += CONCURRENCY) {
        await Promise.all(due.slice(i, i + CONCURRENCY).map((t) => this.pollOne(t)));
      }
      polled += due.length;
      if (due.length < BATCH || this.task.stopped) return polled;
    }
  }

  private async pollOne(t: MomoTransaction): Promise<void> {
    try {
      await this.statusSync.refresh(t, 'poll', 'background');
    } catch (err) {
      // Not known at MTN yet, breaker open, no budget: the next round or reconciliation will tell.
      this.logger.log(
        { referenceId: t.id, product: t.product, attempt: t.pollAttempts, code: err instanceof DomainError ? err.code : 'UNKNOWN' },
        'status poll gave no answer',
      );
    }
  }
}
