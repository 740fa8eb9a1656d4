import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/**
 * The metrics registry and its typed recording methods, global so that any module (reconciliation,
 * notifications) can inject `MetricsService` without importing anything. It depends on nothing,
 * so it can never be part of an import cycle.
 */
@Global()
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
