import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsModule } from '../payments/payments.module';
import { ReconciliationItem } from './entities/reconciliation-item.entity';
import { ReconciliationRunCount } from './entities/reconciliation-run-count.entity';
import { ReconciliationRunTotal } from './entities/reconciliation-run-total.entity';
import { ReconciliationRun } from './entities/reconciliation-run.entity';
import { ReconciliationReportsService } from './reconciliation-reports.service';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationScheduler } from './reconciliation.scheduler';
import { ReconciliationService } from './reconciliation.service';
import { MtnStatusAsker } from './run/mtn-status.asker';
import { RecordCommitter } from './run/record-committer';
import { ReconciliationRunStore } from './run/run.store';

/**
 * Scheduled and on-demand comparison of our transactions with MTN's, with repairs, reports and
 * acknowledgements (docs/reconciliation.md). PaymentsModule brings StatusSyncService (the
 * daily-limit release), MomoClient and the transactions core.
 */
@Module({
  imports: [
    PaymentsModule,
    TypeOrmModule.forFeature([
      ReconciliationRun,
      ReconciliationItem,
      ReconciliationRunCount,
      ReconciliationRunTotal,
    ]),
  ],
  controllers: [ReconciliationController],
  providers: [
    ReconciliationService,
    ReconciliationReportsService,
    ReconciliationScheduler,
    ReconciliationRunStore,
    MtnStatusAsker,
    RecordCommitter,
  ],
  exports: [ReconciliationService, ReconciliationReportsService],
})
export class ReconciliationModule {}
