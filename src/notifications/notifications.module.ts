import { Module } from '@nestjs/common';
import { NotificationDeliveryWorker, NOTIFICATION_RANDOM } from './notification-delivery.worker';
import { NotificationEndpointsController } from './notification-endpoints.controller';
import { NotificationEndpointsService } from './notification-endpoints.service';
import { NotificationOutboxPruner } from './notification-outbox.pruner';
import { NotificationOutbox } from './notification-outbox.service';
import { NotificationSender } from './notification.sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/**
 * Status notifications to consumers (docs/notifications.md): endpoints per API key, the outbox
 * written with each final status (`NotificationOutbox`, used by PaymentsModule's final hooks),
 * its delivery worker and retention (`NotificationOutboxPruner`), and the API to list and
 * replay. Depends on nothing of the payments side, so PaymentsModule can import it. Needs the
 * global ConfigModule, MetricsModule and TypeORM root.
 */
@Module({
  controllers: [NotificationEndpointsController, NotificationsController],
  providers: [
    { provide: NOTIFICATION_RANDOM, useValue: Math.random },
    NotificationOutbox,
    NotificationSender,
    NotificationDeliveryWorker,
    NotificationOutboxPruner,
    NotificationEndpointsService,
    NotificationsService,
  ],
  exports: [NotificationOutbox, NotificationDeliveryWorker],
})
export class NotificationsModule {}
