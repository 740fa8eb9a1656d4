import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config/app-config';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { DomainErrorFilter } from './common/errors/domain-error.filter';
import { createValidationPipe } from './common/http/validation.pipe';
import { loggerOptions } from './common/logging/logger.options';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './observability/metrics.module';
import { ObservabilityModule } from './observability/observability.module';
import { CollectionModule } from './collection/collection.module';
import { DisbursementModule } from './disbursement/disbursement.module';
import { RemittanceModule } from './remittance/remittance.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { NotificationsModule } from './notifications/notifications.module';

/** Wires the modules; global pipe and filter are registered once here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        ScheduleModule.forRoot(),
        DatabaseModule,
        MetricsModule,
        AuthModule,
        HealthModule,
        ObservabilityModule,
        CollectionModule,
        DisbursementModule,
        RemittanceModule,
        ReconciliationModule,
        NotificationsModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        // Every route needs an API key with its declared scope unless marked @Public() (src/auth).
        { provide: APP_GUARD, useExisting: ApiKeyGuard },
      ],
    };
  }
}
