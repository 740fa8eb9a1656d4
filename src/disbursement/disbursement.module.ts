import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';
import { DisbursementController } from './disbursement.controller';
import { DisbursementService } from './disbursement.service';

@Module({
  imports: [PaymentsModule],
  controllers: [DisbursementController],
  providers: [DisbursementService],
})
export class DisbursementModule {}
