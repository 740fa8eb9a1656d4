import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRODUCTS, type Product } from '../common/product';
import { TransactionView } from '../transactions/transaction.view';
import type { NotificationEndpoint } from './notification-endpoint.entity';
import type { NotificationOutboxEntry } from './notification-outbox.entity';
import {
  DELIVERY_STATUSES,
  NOTIFICATION_EVENTS,
  type DeliveryStatus,
  type NotificationEvent,
} from './notification.types';

/** An endpoint as listings show it: never its secret. */
export class NotificationEndpointView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://erp.example.com/momo/notifications' })
  url!: string;

  @ApiPropertyOptional({
    enum: PRODUCTS,
    isArray: true,
    description: 'Only these products; absent: every product',
  })
  products?: Product[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class CreatedNotificationEndpointView extends NotificationEndpointView {
  @ApiProperty({
    description:
      'The signing secret (HMAC-SHA256 key of X-MoMo-Gateway-Signature). Shown once, here only.',
    example: 'whsec_Vq9c2a3k9x0…',
  })
  secret!: string;
}

export class NotificationEndpointListView {
  @ApiProperty({ type: [NotificationEndpointView] })
  items!: NotificationEndpointView[];
}

/** One notification (to one endpoint) and how its delivery went. */
export class NotificationView {
  @ApiProperty({
    format: 'uuid',
    description: "Also the X-MoMo-Gateway-Delivery header and the body's `id`",
  })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  endpointId!: string;

  @ApiProperty({ format: 'uuid' })
  transactionId!: string;

  @ApiProperty({ enum: NOTIFICATION_EVENTS })
  event!: NotificationEvent;

  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: 'PENDING: to be (re)tried; DELIVERED: a 2xx came back; FAILED: given up',
  })
  status!: DeliveryStatus;

  @ApiProperty({ description: 'Attempts since it was written or last replayed' })
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When it is tried next (PENDING only)' })
  nextAttemptAt?: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Tries stop at this time (24 h after it was written or replayed)',
  })
  retryUntil!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  lastAttemptAt?: string;

  @ApiPropertyOptional({
    description: "Your endpoint's HTTP status at the last attempt",
    example: 503,
  })
  lastStatusCode?: number;

  @ApiPropertyOptional({ description: 'Why the last attempt failed', example: 'HTTP 503' })
  lastError?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  deliveredAt?: string;

  @ApiProperty({
    type: TransactionView,
    description: "The transaction as it was when it became final (the body's `data`)",
  })
  payload!: TransactionView;
}

export class NotificationPageView {
  @ApiProperty({ type: [NotificationView] })
  items!: NotificationView[];

  @ApiPropertyOptional({
    description: 'Pass as `cursor` for the next page; absent on the last page',
  })
  nextCursor?: string;
}

export function toEndpointView(e: NotificationEndpoint): NotificationEndpointView {
  return {
    id: e.id,
    url: e.url,
    ...(e.products ? { products: e.products } : {}),
    createdAt: e.createdAt.toISOString(),
  };
}

export function toNotificationView(n: NotificationOutboxEntry): NotificationView {
  const view: NotificationView = {
    id: n.id,
    endpointId: n.endpointId,
    transactionId: n.transactionId,
    event: n.event,
    status: n.status,
    attempts: n.attempts,
    createdAt: n.createdAt.toISOString(),
    retryUntil: n.retryUntil.toISOString(),
    payload: n.payload,
  };
  if (n.nextAttemptAt !== null) view.nextAttemptAt = n.nextAttemptAt.toISOString();
  if (n.lastAttemptAt !== null) view.lastAttemptAt = n.lastAttemptAt.toISOString();
  if (n.lastStatusCode !== null) view.lastStatusCode = n.lastStatusCode;
  if (n.lastError !== null) view.lastError = n.lastError;
  if (n.deliveredAt !== null) view.deliveredAt = n.deliveredAt.toISOString();
  return view;
}
