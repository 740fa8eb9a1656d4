import { Module } from '@nestjs/common';
import { MomoModule } from '../momo/momo.module';
import { PaymentsModule } from '../payments/payments.module';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { MomoStateCollector } from './momo-state.collector';
import { MtnCallObserver } from './mtn-call.observer';
import { PendingTransactionsCollector } from './pending-transactions.collector';

/**
 * `GET /metrics` and what feeds it: the request hook (attached by `createApp`), the observer around
 * every MTN exchange (metrics and spans), and the collectors read at scrape time. Needs the global
 * `MetricsModule`.
 */
@Module({
  imports: [MomoModule, PaymentsModule],
  controllers: [MetricsController],
  providers: [
    HttpMetricsHook,
    MtnCallObserver,
    MomoStateCollector,
    PendingTransactionsCollector,
  ],
  exports: [HttpMetricsHook],
})
export class ObservabilityModule {}
