import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { PRODUCTS, type Product } from '../common/product';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { sqlRows } from '../transactions/sql-rows';
import { isUuid } from '../transactions/uuid';
import { HOST_NOT_ALLOWED, isHostAllowed } from './allowed-hosts';
import { NotificationEndpoint } from './notification-endpoint.entity';
import {
  toEndpointView,
  type CreatedNotificationEndpointView,
  type NotificationEndpointView,
} from './notification.views';

/** Live endpoints per API key; more is almost certainly a mistake (each one gets every event). */
export const MAX_ENDPOINTS_PER_KEY = 10;

export interface CreateEndpointInput {
  url: string;
  products?: Product[];
}

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `No notification endpoint ${id}`);
}

/**
 * A key's notification endpoints. Every method takes the calling key's id and touches only that
 * key's endpoints: another key's endpoint is answered as not found, never as forbidden, so its
 * existence is not revealed.
 */
@Injectable()
export class NotificationEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates an endpoint with a new signing secret, returned here and never again. Its host must be
   * in NOTIFICATIONS_ALLOWED_HOSTS (when set); the sender checks again before every attempt.
   */
  async create(
    apiKeyId: string,
    input: CreateEndpointInput,
  ): Promise<CreatedNotificationEndpointView> {
    if (!isHostAllowed(this.config.notifications.allowedHosts, input.url)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'This gateway does not send notifications to the host of this URL',
        { details: [{ field: 'url', message: HOST_NOT_ALLOWED }] },
      );
    }
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    return this.dataSource.transaction(async (manager) => {
      // One creation at a time per key, so the limit and the duplicate check hold under concurrency.
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `notification-endpoints:${apiKeyId}`,
      ]);
      const live = await manager.findBy(NotificationEndpoint, { apiKeyId, deletedAt: IsNull() });
      const same = live.find((e) => e.url === input.url);
      if (same) {
        throw new DomainError(
          'RESOURCE_ALREADY_EXIST',
          'This API key already has a notification endpoint with this URL',
          {
            details: [{ field: 'url', message: 'already registered', endpointId: same.id }],
          },
        );
      }
      if (live.length >= MAX_ENDPOINTS_PER_KEY) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `An API key may have at most ${MAX_ENDPOINTS_PER_KEY} notification endpoints`,
          {
            details: [
              {
                field: 'url',
                message: `at most ${MAX_ENDPOINTS_PER_KEY} endpoints per API key; delete one first`,
              },
            ],
          },
        );
      }
      const products = input.products ? PRODUCTS.filter((p) => input.products?.includes(p)) : null;
      const id = randomUUID();
      await manager.insert(NotificationEndpoint, {
        id,
        apiKeyId,
        url: input.url,
        products,
        secret,
        deletedAt: null,
      });
      return {
        ...toEndpointView(await manager.findOneByOrFail(NotificationEndpoint, { id })),
        secret,
      };
    });
  }

  /** The key's live endpoints, oldest first. */
  async list(apiKeyId: string): Promise<NotificationEndpointView[]> {
    const rows = await this.dataSource.manager.find(NotificationEndpoint, {
      where: { apiKeyId, deletedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(toEndpointView);
  }

  /**
   * Deletes an endpoint: nothing more is sent to it, and its notifications still waiting are
   * closed as FAILED. It stays on record, so its past deliveries remain listed.
   */
  async remove(apiKeyId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw notFound(id);
    await this.dataSource.transaction(async (manager) => {
      const deleted = await sqlRows<{ id: string }>(
        manager,
        `UPDATE notification_endpoints SET deleted_at = CURRENT_TIMESTAMP
          WHERE id = $1 AND api_key_id = $2 AND deleted_at IS NULL
      RETURNING id`,
        [id, apiKeyId],
      );
      if (deleted.length === 0) throw notFound(id);
      await manager.query(
        `UPDATE notification_outbox
            SET status = 'FAILED', next_attempt_at = NULL, attempt_id = NULL, last_error = 'endpoint deleted'
          WHERE endpoint_id = $1 AND status = 'PENDING'`,
        [id],
      );
    });
  }
}
