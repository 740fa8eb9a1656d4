import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { sqlRows } from '../transactions/sql-rows';
import { decodeCursor, encodeCursor } from '../transactions/transaction-cursor';
import { isUuid } from '../transactions/uuid';
import { NotificationOutboxEntry } from './notification-outbox.entity';
import type { DeliveryStatus } from './notification.types';
import {
  toNotificationView,
  type NotificationPageView,
  type NotificationView,
} from './notification.views';
import { RETRY_WINDOW_MS } from './retry-schedule';

export interface NotificationFilters {
  status?: DeliveryStatus;
  transactionId?: string;
  /** 1..200, default 50. */
  limit?: number;
  cursor?: string;
}

const DEFAULT_LIMIT = 50;

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `No notification ${id} (or its endpoint was deleted)`);
}

/** The notifications sent to a key's endpoints: listed, and replayed on request. */
@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, keyset-paginated like the transaction lists. */
  async list(apiKeyId: string, filters: NotificationFilters = {}): Promise<NotificationPageView> {
    const limit = filters.limit ?? DEFAULT_LIMIT;
    const qb = this.dataSource.manager
      .createQueryBuilder(NotificationOutboxEntry, 'n')
      .innerJoin('n.endpoint', 'e')
      .where('e.apiKeyId = :apiKeyId', { apiKeyId });
    if (filters.status !== undefined) qb.andWhere('n.status = :status', { status: filters.status });
    if (filters.transactionId !== undefined) {
      if (!isUuid(filters.transactionId)) return { items: [] };
      qb.andWhere('n.transactionId = :transactionId', { transactionId: filters.transactionId });
    }
    if (filters.cursor !== undefined) {
      const cursor = decodeCursor(filters.cursor);
      qb.andWhere(
        '(n.createdAt, n.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS uuid))',
        {
          cursorAt: cursor.createdAt.toISOString(),
          cursorId: cursor.id,
        },
      );
    }
    const rows = await qb
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toNotificationView),
      ...(rows.length > limit && last
        ? { nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) }
        : {}),
    };
  }

  /**
   * Queues a notification again, due now, whatever its state (PENDING, DELIVERED or FAILED), with
   * a fresh 24-hour retry window. An attempt in flight loses the row: its result is not recorded.
   */
  async replay(apiKeyId: string, id: string, now: Date = new Date()): Promise<NotificationView> {
    if (!isUuid(id)) throw notFound(id);
    return this.dataSource.transaction(async (manager) => {
      const rows = await sqlRows<{ id: string }>(
        manager,
        `UPDATE notification_outbox n
            SET status = 'PENDING', attempts = 0, attempt_id = NULL, delivered_at = NULL,
                next_attempt_at = $3::timestamptz,
                retry_until = $3::timestamptz + $4 * interval '1 millisecond'
           FROM notification_endpoints e
          WHERE n.id = $1 AND e.id = n.endpoint_id AND e.api_key_id = $2 AND e.deleted_at IS NULL
      RETURNING n.id`,
        [id, apiKeyId, now.toISOString(), RETRY_WINDOW_MS],
      );
      if (rows.length === 0) throw notFound(id);
      return toNotificationView(await manager.findOneByOrFail(NotificationOutboxEntry, { id }));
    });
  }
}
