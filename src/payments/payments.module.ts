import { Module } from '@nestjs/common';
import { MomoModule } from '../momo/momo.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TransactionsModule } from '../transactions/transactions.module';
import { PaymentInitiationService } from './payment-initiation.service';
import { PaymentQueriesService } from './payment-queries.service';
import { StatusSyncService } from './status-sync.service';
import { TransactionPoller } from './transaction-poller.service';
import { WebhookService } from './webhook.service';
import { WebhooksController } from './webhooks.controller';

/**
 * What the three product modules share: starting a payment, reading transactions, MTN's
 * callbacks and the poller. The product modules import this and stay thin.
 */
@Module({
  imports: [MomoModule, TransactionsModule, NotificationsModule],
  controllers: [WebhooksController],
  providers: [PaymentInitiationService, PaymentQueriesService, StatusSyncService, TransactionPoller, WebhookService],
  exports: [PaymentInitiationService, PaymentQueriesService, StatusSyncService, TransactionPoller, WebhookService, MomoModule, TransactionsModule],
})
export class PaymentsModule {}
