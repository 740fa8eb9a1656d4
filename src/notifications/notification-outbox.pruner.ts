import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RepeatingTask } from '../common/scheduling/repeating-task';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsService } from '../observability/metrics.service';
import { autocommitRows } from '../transactions/sql-rows';

/** Rows deleted per statement: short locks, short WAL bursts, and a stop is honoured between them. */
export const PRUNE_BATCH = 1_000;
/** Between two prune rounds. */
const PRUNE_INTERVAL_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** $1: the cut-off; $2: the batch size. The GREATEST(…) is idx_notification_outbox_finished's expression. */
export const PRUNE_SQL = `DELETE FROM notification_outbox
  WHERE id IN (
    SELECT id FROM notification_outbox
     WHERE status IN ('DELIVERED', 'FAILED')
       AND GREATEST(created_at, last_attempt_at, delivered_at) < $1::timestamptz
     LIMIT $2
       FOR UPDATE SKIP LOCKED
  )
RETURNING id`;

/**
 * Deletes up to `limit` finished notifications (DELIVERED, or FAILED: retry window over or endpoint
 * deleted) whose last activity (written, last attempted or delivered) is before `before`; returns
 * how many. PENDING rows (new, retrying, replayed or in flight) are never touched. SKIP LOCKED
 * passes over rows another replica is deleting, or a replay is updating, so neither waits.
 */
export async function pruneFinishedDeliveries(
  dataSource: DataSource,
  prune: { before: Date; limit: number },
): Promise<number> {
  const rows = await autocommitRows<{ id: string }>(dataSource, PRUNE_SQL, [
    prune.before.toISOString(),
    prune.limit,
  ]);
  return rows.length;
}

/**
 * The outbox retention (NOTIFICATIONS_RETENTION_DAYS; 0 keeps everything): every hour, deletes
 * finished notifications older than the retention in batches of PRUNE_BATCH until none is left.
 *
 * Scheduled with RepeatingTask rather than an @nestjs/schedule cron: it is the delivery worker's
 * own loop, so it runs exactly on the replicas that deliver (NOTIFICATIONS_ENABLED), a round never
 * overlaps the next, and `stop()` waits for the round in flight so shutdown never closes the pool
 * under a DELETE. The exact hour does not matter, and each batch is one statement with
 * SKIP LOCKED, so replicas pruning at the same time share the rows instead of waiting on them.
 */
@Injectable()
export class NotificationOutboxPruner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationOutboxPruner.name);
  private readonly task: RepeatingTask;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {
    this.task = new RepeatingTask({
      intervalMs: PRUNE_INTERVAL_MS,
      // A minute after start, then hourly: replicas redeployed more often than hourly still prune.
      firstDelayMs: 60_000,
      run: () => this.pruneOnce(),
      logger: this.logger,
      failureMessage: 'notification outbox pruning failed',
    });
  }

  onApplicationBootstrap(): void {
    const { enabled, retentionDays } = this.config.notifications;
    if (enabled && retentionDays > 0) this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /**
   * One round: deletes batch after batch until a batch comes back short (or the task is
   * stopping). Returns how many rows were deleted. `now` lets tests age rows without waiting.
   */
  async pruneOnce(now: Date = new Date(), batch: number = PRUNE_BATCH): Promise<number> {
    const { retentionDays } = this.config.notifications;
    if (retentionDays <= 0) return 0;
    const before = new Date(now.getTime() - retentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const n = await pruneFinishedDeliveries(this.dataSource, { before, limit: batch });
      deleted += n;
      if (n > 0) this.metrics.notificationsPruned(n);
      if (n < batch || this.task.stopped) break;
    }
    if (deleted > 0)
      this.logger.log(
        { deleted, retentionDays, before: before.toISOString() },
        'notification outbox pruned',
      );
    return deleted;
  }
}
