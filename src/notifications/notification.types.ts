import type { FinalStatus } from '../transactions/transaction.types';

/** What a consumer is told: a transaction it created became final. */
export const NOTIFICATION_EVENTS = ['transaction.succeeded', 'transaction.failed'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** PENDING: to be (re)tried; DELIVERED: a 2xx came back; FAILED: given up (or endpoint deleted). */
export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export function eventOf(status: FinalStatus): NotificationEvent {
  switch (status) {
    case 'SUCCESSFUL':
      return 'transaction.succeeded';
    case 'FAILED':
      return 'transaction.failed';
  }
}

/** Header names, as consumers see them (docs/notifications.md). */
export const SIGNATURE_HEADER = 'X-MoMo-Gateway-Signature';
export const EVENT_HEADER = 'X-MoMo-Gateway-Event';
export const DELIVERY_HEADER = 'X-MoMo-Gateway-Delivery';
